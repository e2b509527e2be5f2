using System.Text.RegularExpressions;

namespace Conformance.Harness.Snapshots;

/// <summary>
/// Replaces volatile values with stable names numbered by first appearance (<c>Guid_1</c>, <c>Time_1</c>), and
/// ports with <c>{port}</c>, so a deterministic client gives byte-identical snapshots run after run.
/// </summary>
public static partial class Scrubber
{
    public static string Scrub(string text)
    {
        text = Port().Replace(text, "127.0.0.1:{port}");
        text = Numbered(text, Guid(), "Guid");
        text = Numbered(text, IsoTime(), "Time");
        return text;
    }

    private static string Numbered(string text, Regex pattern, string name)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        return pattern.Replace(text, m =>
        {
            if (!seen.TryGetValue(m.Value, out var n))
            {
                n = seen.Count + 1;
                seen[m.Value] = n;
            }

            return $"{name}_{n}";
        });
    }

    [GeneratedRegex(@"(?:127\.0\.0\.1|localhost|\[::1\]):\d{1,5}")]
    private static partial Regex Port();

    [GeneratedRegex(@"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b")]
    private static partial Regex Guid();

    [GeneratedRegex(@"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?")]
    private static partial Regex IsoTime();
}
