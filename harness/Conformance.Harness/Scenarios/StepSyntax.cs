using Conformance.Harness.Protocols;
using YamlDotNet.RepresentationModel;

namespace Conformance.Harness.Scenarios;

/// <summary>
/// What a <see cref="StepKind"/> reads its body with: the body, where it is, the protocol, and the loader's readers for
/// values (durations, integers, regexes, captures...), which report problems as <c>path:line:col: message</c>.
/// </summary>
internal sealed class StepSyntax(ScenarioLoader loader, string kind, YamlNode key, YamlNode body, IProtocolModule? module)
{
    /// <summary>The default window of an expectation.</summary>
    public static readonly TimeSpan DefaultWithin = TimeSpan.FromSeconds(5);

    public ScenarioLoader Loader { get; } = loader;

    public string Kind { get; } = kind;

    public SourceMark Mark { get; } = key.Mark(loader.Path);

    public YamlNode Body { get; } = body;

    public IProtocolModule? Module { get; } = module;

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

    public YamlNode? Value(YamlMappingNode map, string key) => ScenarioLoader.Value(map, key);

    public YamlNode? Required(YamlMappingNode map, string key, string what) => Loader.Required(map, Kind, key, what);

    public void Error(YamlNode node, string message) => Loader.Error(node, message);

    public TimeSpan Within(YamlMappingNode map) => Loader.OptionalDuration(map, "within") ?? DefaultWithin;
}
