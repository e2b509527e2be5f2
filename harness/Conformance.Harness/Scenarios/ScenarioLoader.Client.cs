using Conformance.Harness.Clients;
using Conformance.Harness.Protocols;
using YamlDotNet.RepresentationModel;

namespace Conformance.Harness.Scenarios;

/// <summary>What a scenario asks of the client: <c>requires:</c> client features and <c>withhold:</c> client variables.</summary>
public sealed partial class ScenarioLoader
{
    private const string VariablePrefix = "CONFORMANCE_";

    private List<string> ReadRequires(YamlMappingNode top, IProtocolModule? module) =>
        ReadNames(top, "requires", "client feature", module is null ? null : [.. module.Features.Select(f => f.Name)], module?.Id, name => name);

    // Every variable starts CONFORMANCE_; a did-you-mean compares what follows, or any two would look alike.
    private List<string> ReadWithhold(YamlMappingNode top, IProtocolModule? module) =>
        ReadNames(top, "withhold", "client variable", module is null ? null : [.. ClientVariables.Engine, .. module.ClientVariables], module?.Id,
            name => name.StartsWith(VariablePrefix, StringComparison.Ordinal) ? name[VariablePrefix.Length..] : name);

    /// <summary>
    /// A list of names, each one of <paramref name="known"/> (unchecked while the protocol is unknown) and none twice;
    /// an unknown one is compared with the known ones by <paramref name="stem"/> for a did-you-mean.
    /// </summary>
    private List<string> ReadNames(YamlMappingNode top, string key, string what, IReadOnlyList<string>? known, string? protocol, Func<string, string> stem)
    {
        var names = new List<string>();
        var node = Value(top, key);
        if (node is null)
        {
            return names;
        }

        if (node is not YamlSequenceNode list)
        {
            Error(node, $"'{key}' must be a list of {what} names, found {node.Kind()}");
            return names;
        }

        foreach (var item in list.Children)
        {
            if (item is not YamlScalarNode { Value: { Length: > 0 } name } || item.ToJson() is null)
            {
                Error(item, $"a {what} name must be a string, found {item.Kind()}");
            }
            else if (known is not null && !known.Contains(name, StringComparer.Ordinal))
            {
                var close = Suggest.Closest(stem(name), known.Select(stem));
                Error(item, $"unknown {what} '{name}' for {protocol}" +
                    (known.Count == 0 ? $" ({protocol} has none)"
                    : close is not null ? $"; did you mean '{known.First(k => stem(k) == close)}'?"
                    : $" (known: {string.Join(", ", known)})"));
            }
            else if (names.Contains(name, StringComparer.Ordinal))
            {
                Error(item, $"{what} '{name}' is listed twice");
            }
            else
            {
                names.Add(name);
            }
        }

        return names;
    }
}
