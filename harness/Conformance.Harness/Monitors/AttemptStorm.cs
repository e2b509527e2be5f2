using System.Globalization;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Monitors;

/// <summary>
/// Attempts that come too many at once: more than <see cref="Limit"/> inside any <see cref="Per"/>. The same count judges
/// a client hammering a server that refused it (<see cref="Refusals"/>) and a scenario's reconnect storm limit
/// (<c>expect_reconnects</c> <c>storm: { limit, per }</c>).
/// </summary>
public sealed record AttemptStorm(int Limit, TimeSpan Per)
{
    /// <summary>
    /// Refused requests (upgrades or REST calls): more than 5 inside any one second. Credentials do not change by
    /// themselves, so a client should back off or give up.
    /// </summary>
    public static AttemptStorm Refusals { get; } = new(5, TimeSpan.FromSeconds(1));

    /// <summary>The attempts that came with <see cref="Limit"/> others in the <see cref="Per"/> before them, in order.</summary>
    public List<TranscriptEntry> Find(IEnumerable<TranscriptEntry> attempts)
    {
        var ordered = attempts.OrderBy(e => e.Index).ToList();
        return [.. ordered.Where((e, i) => i >= Limit && e.At - ordered[i - Limit].At < Per)];
    }

    /// <summary>"more than 5 in 1s".</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"more than {Limit} in {Scenarios.Durations.Format(Per)}");
}
