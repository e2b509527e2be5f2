using System.Text.RegularExpressions;
using Conformance.Harness.Protocols;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Conformance.Harness.Scenarios;

/// <summary>
/// Reads scenario YAML into a <see cref="Scenario"/>, checking it against the protocol (rules, endpoints,
/// templates, mock options) and reporting every problem as <c>path:line:col: message</c>.
/// </summary>
public sealed partial class ScenarioLoader(Specs specs)
{
    private static readonly string[] TopKeys = ["id", "protocol", "title", "description", "rules", "endpoint", "timeout", "profile", "scripted", "requires", "withhold", "mock", "stubs", "steps"];
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly List<ScenarioError> _errors = [];
    private string _path = "";

    /// <summary>Loads one file; throws <see cref="ScenarioLoadException"/> listing every problem.</summary>
    public static Scenario LoadFile(string path, Specs? specs = null)
    {
        var (scenario, errors) = new ScenarioLoader(specs ?? Specs.Default).Load(path, File.ReadAllText(path));
        return errors.Count > 0 ? throw new ScenarioLoadException(errors) : scenario!;
    }

    /// <summary>Parses <paramref name="yaml"/> as if read from <paramref name="path"/>.</summary>
    public (Scenario? Scenario, IReadOnlyList<ScenarioError> Errors) Load(string path, string yaml)
    {
        _errors.Clear();
        _path = path;
        YamlNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count == 0)
            {
                return Fail(new SourceMark(path, 1, 1), "the file is empty; a scenario needs id, protocol, rules and steps");
            }

            if (stream.Documents.Count > 1)
            {
                return Fail(stream.Documents[1].RootNode.Mark(path), "a scenario file holds one YAML document; this second one would be ignored");
            }

            root = stream.Documents[0].RootNode;
        }
        catch (Exception ex) when (ex is YamlException or InvalidOperationException)
        {
            // YamlDotNet throws InvalidOperationException, without a position, on some unclosed brackets.
            return (null, [YamlSyntax.Explain(path, yaml, ex)]);
        }

        if (root is not YamlMappingNode top)
        {
            return Fail(root.Mark(path), $"a scenario must be a mapping with id, protocol, rules and steps, found {root.Kind()}");
        }

        var scenario = ReadScenario(top);
        return (_errors.Count == 0 ? scenario : null, [.. _errors]);
    }

    private Scenario? ReadScenario(YamlMappingNode top)
    {
        CheckKeys(top, TopKeys, "scenario");
        var id = RequiredString(top, "id");
        var protocolName = RequiredString(top, "protocol");
        var module = protocolName is null ? null : specs.Protocol(protocolName);
        if (protocolName is not null && module is null)
        {
            Error(Value(top, "protocol")!, $"unknown protocol '{protocolName}' (known: {string.Join(", ", specs.ProtocolIds)})");
        }

        if (id is not null && !IdPattern().IsMatch(id))
        {
            var wrong = string.Join(", ", id.Where(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '/')).Distinct().Select(c => $"'{c}'"));
            Error(Value(top, "id")!, $"id '{id}' must be words of a-z, 0-9 and '-' separated by '/', such as '{protocolName ?? "listenmoe"}/heartbeat/steady-period'" +
                (wrong.Length > 0 ? $"; it contains {wrong}" : ""));
        }
        else if (id is not null && module is not null && !id.StartsWith(module.Id + "/", StringComparison.Ordinal))
        {
            Error(Value(top, "id")!, $"id '{id}' must start with the protocol, '{module.Id}/'");
        }

        var rules = ReadRules(top, module);
        var endpoint = OptionalString(top, "endpoint");
        if (endpoint is not null && module is not null && !module.Endpoints.Contains(endpoint))
        {
            Error(Value(top, "endpoint")!, $"unknown endpoint '{endpoint}' for {module.Id} (known: {string.Join(", ", module.Endpoints)})");
        }

        var timeout = OptionalDuration(top, "timeout") ?? DefaultTimeout;
        var profile = ReadProfile(top, module);
        var scripted = Value(top, "scripted") is { } scriptedNode && Boolean(scriptedNode, "scripted") == true;
        var requires = ReadRequires(top, module);
        var withhold = ReadWithhold(top, module);
        var (mock, hostOptions) = ReadMock(top, module);
        var stubs = ReadStubs(top);
        var steps = ReadSteps(top, module, rules, hostOptions);
        if (id is null || protocolName is null || _errors.Count > 0)
        {
            return null;
        }

        return new Scenario(
            id, protocolName, OptionalString(top, "title") ?? id, OptionalString(top, "description"), rules, endpoint, timeout,
            mock, steps, top.Mark(_path))
        {
            Stubs = stubs,
            Profile = profile,
            Scripted = scripted,
            Requires = requires,
            Withhold = withhold,
        };
    }

    /// <summary>The <c>profile:</c> the scenario is written for: one of the protocol's, by name; null when it names none.</summary>
    private string? ReadProfile(YamlMappingNode top, IProtocolModule? module)
    {
        var name = OptionalString(top, "profile");
        if (name is not null && module is not null && module.FindProfile(name) is null)
        {
            var hint = Suggest.Closest(name, module.Profiles.Select(p => p.Name));
            Error(Value(top, "profile")!, $"unknown profile '{name}' for {module.Id}" +
                (hint is null ? $" (known: {module.ProfileNames()})" : $"; did you mean '{hint}'?"));
        }

        return name;
    }

    private List<string> ReadRules(YamlMappingNode top, IProtocolModule? module)
    {
        var node = Value(top, "rules");
        if (node is null)
        {
            Error(top, "missing 'rules': list the rule ids this scenario exercises");
            return [];
        }

        if (node is not YamlSequenceNode list)
        {
            Error(node, $"'rules' must be a list of rule ids, found {node.Kind()}");
            return [];
        }

        if (list.Children.Count == 0)
        {
            Error(node, "'rules' is empty; list the rule ids this scenario exercises");
            return [];
        }

        var rules = new List<string>();
        foreach (var item in list.Children)
        {
            if (item is not YamlScalarNode { Value: { Length: > 0 } ruleId })
            {
                Error(item, $"a rule id must be a string, found {item.Kind()}");
                continue;
            }

            if (module is not null && !specs.Rules(module.Id).TryGet(ruleId, out _))
            {
                var hint = Suggest.Closest(ruleId, specs.Rules(module.Id).All.Select(r => r.Id));
                Error(item, $"unknown rule '{ruleId}' for {module.Id}" + (hint is null ? $" (see specs/{module.Id}/rules.yaml)" : $"; did you mean '{hint}'?"));
            }

            rules.Add(ruleId);
        }

        return rules;
    }

    /// <summary>
    /// The <c>mock:</c> options every protocol's mock has, whatever the protocol: each is the step of that name set before
    /// the client starts, so <c>mock: { chaos: {...} }</c> is <c>- chaos: {...}</c> as the first step.
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, string> HostOptionSteps = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["wireFaults"] = "ws_faults",
        ["udpFaults"] = "udp_faults",
        ["chaos"] = "chaos",
    };

    /// <summary>The protocol's options of the <c>mock:</c> block, and apart from them the host options (key and body).</summary>
    private (Dictionary<string, MockSetting> Settings, List<(YamlNode Key, YamlNode Body)> HostOptions) ReadMock(YamlMappingNode top, IProtocolModule? module)
    {
        var hostOptions = new List<(YamlNode Key, YamlNode Body)>();
        var settings = new Dictionary<string, MockSetting>(StringComparer.Ordinal);
        var node = Value(top, "mock");
        if (node is null)
        {
            return (settings, hostOptions);
        }

        if (node is not YamlMappingNode map)
        {
            Error(node, $"'mock' must be a mapping of option names to values, found {node.Kind()}");
            return (settings, hostOptions);
        }

        foreach (var (key, value) in map.Children)
        {
            if (KeyName(key) is not { } name)
            {
                continue;
            }

            if (HostOptionSteps.ContainsKey(name))
            {
                hostOptions.Add((key, value));
                continue;
            }

            var scalar = value is YamlScalarNode s && s.ToJson() is not null ? s.Value : null;
            settings[name] = new MockSetting(name, scalar, value is YamlScalarNode ? null : value.ToJson(), key.Mark(_path))
            {
                ValueMark = value.Mark(_path),
            };
        }

        if (module is not null)
        {
            _errors.AddRange(MockOptionBinder.Validate(module.OptionsType, settings.Values));
        }

        return (settings, hostOptions);
    }

    private (Scenario?, IReadOnlyList<ScenarioError>) Fail(SourceMark mark, string message) => (null, [new ScenarioError(mark, message)]);

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*(/[a-z0-9]+(-[a-z0-9]+)*)+$")]
    private static partial Regex IdPattern();
}
