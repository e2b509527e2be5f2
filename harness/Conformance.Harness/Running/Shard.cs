using System.Globalization;
using Conformance.Harness.Scenarios;

namespace Conformance.Harness.Running;

/// <summary>
/// Part <see cref="Index"/> of <see cref="Count"/> of a suite (<c>--shard k/n</c>), for splitting one suite across CI
/// runners. The split depends only on the scenario ids: sorted by id, the i-th scenario (from 0) goes to shard
/// <c>i mod n + 1</c>, so every runner picks the same split from the same files, the shards together hold every
/// scenario exactly once, and each gets a mix of the suite's folders.
/// </summary>
public readonly record struct Shard(int Index, int Count)
{
    /// <summary>Parses <c>k/n</c> with 1 ≤ k ≤ n; null and a message when it is not.</summary>
    public static Shard? Parse(string text, out string? error)
    {
        var parts = text.Split('/');
        if (parts.Length == 2 &&
            int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index) &&
            int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) &&
            count >= 1 && index >= 1 && index <= count)
        {
            error = null;
            return new Shard(index, count);
        }

        error = $"--shard '{text}': expected k/n with 1 <= k <= n, e.g. 1/2";
        return null;
    }

    /// <summary>This shard's scenarios, in the order of their ids.</summary>
    public IReadOnlyList<Scenario> Select(IEnumerable<Scenario> scenarios)
    {
        var (index, count) = (Index, Count);
        return [.. scenarios.OrderBy(s => s.Id, StringComparer.Ordinal).Where((_, i) => i % count == index - 1)];
    }

    public override string ToString() => $"{Index}/{Count}";
}
