using YamlDotNet.RepresentationModel;

namespace Conformance.Harness.Scenarios;

public sealed partial class ScenarioLoader
{
    private void Error(YamlNode node, string message) => _errors.Add(new ScenarioError(node.Mark(_path), message));

    private static YamlNode? Value(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private void CheckKeys(YamlMappingNode map, IReadOnlyCollection<string> allowed, string what)
    {
        foreach (var key in map.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            if (!allowed.Contains(name))
            {
                var hint = Closest(name, allowed);
                Error(key, $"unknown key '{name}' in {what}" + (hint is null ? $" (allowed: {string.Join(", ", allowed)})" : $"; did you mean '{hint}'?"));
            }
        }
    }

    private string? RequiredString(YamlMappingNode map, string key)
    {
        var node = Value(map, key);
        if (node is null)
        {
            Error(map, $"missing '{key}'");
            return null;
        }

        return String(node, key);
    }

    private string? OptionalString(YamlMappingNode map, string key) => Value(map, key) is { } node ? String(node, key) : null;

    private string? String(YamlNode node, string key)
    {
        if (node is YamlScalarNode { Value: { Length: > 0 } text })
        {
            return text;
        }

        Error(node, $"'{key}' must be a non-empty string, found {node.Kind()}");
        return null;
    }

    private TimeSpan? OptionalDuration(YamlMappingNode map, string key) => Value(map, key) is { } node ? Duration(node, key) : null;

    private TimeSpan? Duration(YamlNode node, string key)
    {
        if (node is YamlScalarNode { Value: { } text } && Scenarios.Durations.TryParse(text, out var duration))
        {
            return duration;
        }

        Error(node, $"'{key}' must be a duration such as 250ms, 1.5s or 2m, found {node.Kind()}");
        return null;
    }

    private int? Integer(YamlNode node, string key, int min, int max)
    {
        if (node is YamlScalarNode { Value: { } text } && int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) &&
            value >= min && value <= max)
        {
            return value;
        }

        Error(node, $"'{key}' must be an integer from {min} to {max}, found {node.Kind()}");
        return null;
    }

    /// <summary>The allowed word closest to a misspelt one, when it is close enough to be a likely typo.</summary>
    private static string? Closest(string word, IEnumerable<string> allowed) =>
        allowed.Select(a => (Word: a, Distance: Levenshtein(word, a)))
            .Where(x => x.Distance <= Math.Max(1, x.Word.Length / 3))
            .OrderBy(x => x.Distance)
            .Select(x => x.Word)
            .FirstOrDefault();

    private static int Levenshtein(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }

        return row[b.Length];
    }
}
