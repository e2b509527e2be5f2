using Conformance.Harness.Protocols;
using YamlDotNet.RepresentationModel;

namespace Conformance.Harness.Scenarios;

/// <summary>
/// What a <see cref="StepKind"/> reads its body with: the body, where it is, the protocol, and the loader's readers for
/// values (durations, integers, regexes, captures...), which report problems as <c>path:line:col: message</c>.
/// </summary>
internal sealed class StepSyntax(ScenarioLoader loader, string kind, YamlNode key, YamlNode body, IProtocolModule? module, IReadOnlyList<string> rules)
{
    /// <summary>The default window of an expectation.</summary>
    public static readonly TimeSpan DefaultWithin = TimeSpan.FromSeconds(5);

    public ScenarioLoader Loader { get; } = loader;

    public string Kind { get; } = kind;

    public SourceMark Mark { get; } = key.Mark(loader.Path);

    public YamlNode Body { get; } = body;

    public IProtocolModule? Module { get; } = module;

    /// <summary>The rules the scenario lists, which a setting naming a rule must be one of.</summary>
    public IReadOnlyList<string> Rules { get; } = rules;

    /// <summary>The body as a mapping whose keys are all in <paramref name="keys"/> (plus the keys every step shares); null after an error.</summary>
    public YamlMappingNode? Map(params string[] keys)
    {
        if (Body is not YamlMappingNode map)
        {
            Loader.Error(Body, $"'{Kind}' takes a mapping of its settings, found {Body.Kind()}");
            return null;
        }

        return Loader.Keys(map, Kind, [.. keys, .. ScenarioLoader.SharedStepKeys]) ? map : null;
    }

    /// <summary>
    /// A setting of the body that is itself a mapping whose keys are all in <paramref name="keys"/>, e.g. <c>storm:</c>;
    /// null after an error.
    /// </summary>
    public YamlMappingNode? Submap(YamlNode node, string key, params string[] keys)
    {
        if (node is not YamlMappingNode map)
        {
            Loader.Error(node, $"'{key}' takes a mapping of its settings ({string.Join(", ", keys)}), found {node.Kind()}");
            return null;
        }

        return Loader.Keys(map, $"{Kind}.{key}", keys) ? map : null;
    }

    /// <summary>
    /// The optional <c>rule</c> of a setting's mapping (a storm's, a backoff's), which must be one the scenario lists;
    /// null when absent or after an error.
    /// </summary>
    public string? Rule(YamlMappingNode map)
    {
        if (Value(map, "rule") is not { } node || Loader.String(node, "rule") is not { } rule)
        {
            return null;
        }

        if (!Rules.Contains(rule, StringComparer.Ordinal))
        {
            Error(node, $"rule '{rule}' is not listed in the scenario's 'rules'");
            return null;
        }

        return rule;
    }

    public YamlNode? Value(YamlMappingNode map, string key) => ScenarioLoader.Value(map, key);

    public YamlNode? Required(YamlMappingNode map, string key, string what) => Loader.Required(map, Kind, key, what);

    public void Error(YamlNode node, string message) => Loader.Error(node, message);

    public TimeSpan Within(YamlMappingNode map) => Loader.OptionalDuration(map, "within") ?? DefaultWithin;
}
