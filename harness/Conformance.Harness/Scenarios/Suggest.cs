namespace Conformance.Harness.Scenarios;

/// <summary>"Did you mean" for misspelt keys, step kinds, option names and rule ids.</summary>
public static class Suggest
{
    /// <summary>The candidate closest to <paramref name="word"/>, when it is close enough to be a likely typo.</summary>
    public static string? Closest(string word, IEnumerable<string> candidates) =>
        candidates.Select(c => (Word: c, Distance: Distance(word, c)))
            .Where(x => x.Distance <= Math.Max(1, x.Word.Length / 3))
            .OrderBy(x => x.Distance)
            .ThenBy(x => x.Word, StringComparer.Ordinal)
            .Select(x => x.Word)
            .FirstOrDefault();

    /// <summary><c>; did you mean 'x'?</c>, or <c> (known: a, b)</c> when nothing is close.</summary>
    public static string Hint(string word, IReadOnlyCollection<string> candidates, string listLabel = "known") =>
        Closest(word, candidates) is { } close ? $"; did you mean '{close}'?" : $" ({listLabel}: {string.Join(", ", candidates)})";

    /// <summary>Edit distance where swapping two neighbouring letters counts as one edit (optimal string alignment).</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
