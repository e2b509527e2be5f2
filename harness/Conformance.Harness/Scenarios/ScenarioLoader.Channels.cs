using Conformance.Harness.Protocols;
using YamlDotNet.RepresentationModel;

namespace Conformance.Harness.Scenarios;

/// <summary>Which connection or channel a step acts on: <c>on:</c>, and the names earlier steps give with <c>as:</c>.</summary>
public sealed partial class ScenarioLoader
{
    /// <summary>Names given to connections and channels with <c>as:</c> by the steps read so far, for <c>on:</c>.</summary>
    private readonly HashSet<string> _channelNames = new(StringComparer.Ordinal);

    /// <summary>
    /// <c>on: 2</c> (a connection or channel number) or <c>on: name</c>: an endpoint of <paramref name="module"/> (one it
    /// opens at run time too, such as <c>podcast-&lt;id&gt;</c>), or a name an earlier step gave with <c>as:</c>
    /// (<paramref name="named"/>).
    /// </summary>
    private ChannelRef? ReadOn(YamlNode node, IProtocolModule? module, IReadOnlyList<string> named)
    {
        if (node is not YamlScalarNode { Value: { Length: > 0 } text })
        {
            return BadOn(node);
        }

        if (int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            return number >= 1 ? new ChannelRef(number, null) : BadOn(node);
        }

        if (module is not null && !module.IsEndpoint(text) && !named.Contains(text, StringComparer.Ordinal))
        {
            Error(node, $"'on: {text}' is neither an endpoint of {module.Id} nor a name an earlier step gave with 'as:'" +
                Suggest.Hint(text, [.. module.EndpointNames, .. named]));
            return null;
        }

        return new ChannelRef(null, text);
    }

    /// <summary><c>as: name</c>: names the connection or channel a step sees, for the <c>on:</c> of the steps after it.</summary>
    internal string? ReadAs(YamlMappingNode map)
    {
        var name = OptionalString(map, "as");
        if (name is not null)
        {
            _channelNames.Add(name);
        }

        return name;
    }

    private ChannelRef? BadOn(YamlNode node)
    {
        Error(node, $"'on' names a connection: its number from 1 (on: 2), or an endpoint or 'as:' name (on: audio), found {node.Kind()}");
        return null;
    }
}
