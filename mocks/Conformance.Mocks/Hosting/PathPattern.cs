using System.Text.RegularExpressions;

namespace Conformance.Mocks.Hosting;

/// <summary>
/// A request path with named segments, e.g. <c>/ws/resume/{session}</c>: each <c>{name}</c> matches one non-empty
/// path segment and is returned by <see cref="Match"/>. A path without braces matches itself exactly.
/// </summary>
public sealed partial class PathPattern
{
    private readonly Regex _regex;

    public PathPattern(string pattern)
    {
        Text = pattern;
        var names = new List<string>();
        var regex = Segment().Replace(Regex.Escape(pattern).Replace(@"\{", "{", StringComparison.Ordinal), m =>
        {
            names.Add(m.Groups[1].Value);
            return $"(?<{m.Groups[1].Value}>[^/]+)";
        });
        Names = names;
        _regex = new Regex("^" + regex + "$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    public string Text { get; }

    /// <summary>The segment names, in order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Whether <paramref name="pattern"/> is well formed: names of letters, digits and '_', each used once, whole segments.</summary>
    public static string? Problem(string pattern)
    {
        if (!pattern.StartsWith('/'))
        {
            return "a path starts with '/'";
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var segment in pattern.Split('/'))
        {
            if (!segment.Contains('{', StringComparison.Ordinal) && !segment.Contains('}', StringComparison.Ordinal))
            {
                continue;
            }

            if (WholeSegment().Match(segment) is not { Success: true } m)
            {
                return $"'{segment}': a {{name}} takes a whole path segment and a name of letters, digits and '_'";
            }

            if (!names.Add(m.Groups[1].Value))
            {
                return $"'{{{m.Groups[1].Value}}}' is used twice";
            }
        }

        return null;
    }

    /// <summary>The segment values when <paramref name="path"/> matches, else null.</summary>
    public IReadOnlyDictionary<string, string>? Match(string path)
    {
        var m = _regex.Match(path);
        return m.Success ? Names.ToDictionary(n => n, n => Uri.UnescapeDataString(m.Groups[n].Value), StringComparer.Ordinal) : null;
    }

    public override string ToString() => Text;

    [GeneratedRegex(@"\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Segment();

    [GeneratedRegex(@"^\{([A-Za-z_][A-Za-z0-9_]*)\}$")]
    private static partial Regex WholeSegment();
}
