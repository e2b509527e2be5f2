using YamlDotNet.RepresentationModel;

namespace Conformance.Harness.Scenarios;

public sealed partial class ScenarioLoader
{
    internal void Error(YamlNode node, string message) => _errors.Add(new ScenarioError(node.Mark(_path), message));

    internal static YamlNode? Value(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private void CheckKeys(YamlMappingNode map, IReadOnlyCollection<string> allowed, string what)
    {
        foreach (var key in map.Children.Keys)
        {
            if (KeyName(key) is { } name && !allowed.Contains(name))
            {
                Error(key, $"unknown key '{name}' in {what}" + Suggest.Hint(name, allowed, "allowed"));
            }
        }
    }

    /// <summary>A mapping key's text; a key that is itself a list or mapping is an error.</summary>
    internal string? KeyName(YamlNode key)
    {
        if (key is YamlScalarNode { Value: { } name })
        {
            return name;
        }

        Error(key, $"keys must be plain names, found {key.Kind()}");
        return null;
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

    internal string? OptionalString(YamlMappingNode map, string key) => Value(map, key) is { } node ? String(node, key) : null;

    internal string? String(YamlNode node, string key)
    {
        if (node is YamlScalarNode { Value: { Length: > 0 } text })
        {
            return text;
        }

        Error(node, $"'{key}' must be a non-empty string, found {node.Kind()}");
        return null;
    }

    internal TimeSpan? OptionalDuration(YamlMappingNode map, string key) => Value(map, key) is { } node ? Duration(node, key) : null;

    internal TimeSpan? Duration(YamlNode node, string key)
    {
        if (node is YamlScalarNode { Value: { } text } && Scenarios.Durations.TryParse(text, out var duration))
        {
            return duration;
        }

        Error(node, $"'{key}' must be a duration such as 250ms, 1.5s or 2m, found {node.Kind()}");
        return null;
    }

    internal int? Integer(YamlNode node, string key, int min, int max)
    {
        if (node is YamlScalarNode { Value: { } text } && int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) &&
            value >= min && value <= max)
        {
            return value;
        }

        Error(node, $"'{key}' must be an integer from {min} to {max}, found {node.Kind()}");
        return null;
    }

    /// <summary>A YAML boolean: <c>true</c> or <c>false</c> (any case).</summary>
    internal bool? Boolean(YamlNode node, string key)
    {
        if (node is YamlScalarNode { Value: { } text } && bool.TryParse(text, out var value))
        {
            return value;
        }

        Error(node, $"'{key}' must be true or false, found {node.Kind()}");
        return null;
    }
}
