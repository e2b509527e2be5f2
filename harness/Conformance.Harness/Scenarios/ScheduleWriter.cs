using System.Globalization;
using Conformance.Mocks.Chaos;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Conformance.Harness.Scenarios;

/// <summary>
/// Writes a scenario file again with its chaos step replaced by an explicit schedule: what <c>conformance shrink</c>
/// prints, for the user to keep. The id gains <c>-shrunk</c> so it can sit beside the original; the rest of the file
/// keeps its content (comments are not kept).
/// </summary>
public static class ScheduleWriter
{
    public static string Write(string scenarioYaml, IReadOnlyList<ChaosEvent> schedule)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(scenarioYaml));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        if (root.Children.TryGetValue(new YamlScalarNode("id"), out var id) && id is YamlScalarNode { Value: { } text })
        {
            root.Children[new YamlScalarNode("id")] = new YamlScalarNode(text + "-shrunk");
        }

        if (root.Children.TryGetValue(new YamlScalarNode("title"), out var title) && title is YamlScalarNode { Value: { } name })
        {
            root.Children[new YamlScalarNode("title")] = new YamlScalarNode($"{name} (shrunk to {schedule.Count} chaos event{(schedule.Count == 1 ? "" : "s")})");
        }

        var steps = root.Children.TryGetValue(new YamlScalarNode("steps"), out var list) ? list as YamlSequenceNode : null;
        var mock = root.Children.TryGetValue(new YamlScalarNode("mock"), out var options) ? options as YamlMappingNode : null;

        // The chaos that turns chaos on, as a mock option or a step: not a chaos: {} that turns it off.
        var chaos = new[] { mock }.Concat(steps?.Children.OfType<YamlMappingNode>() ?? [])
            .FirstOrDefault(s => s is not null && s.Children.TryGetValue(new YamlScalarNode("chaos"), out var body) && body is YamlMappingNode { Children.Count: > 0 })
            ?? throw new ArgumentException("The scenario has no chaos option or step that turns chaos on.", nameof(scenarioYaml));
        var events = new YamlSequenceNode(schedule.Select(Entry));
        chaos.Children[new YamlScalarNode("chaos")] = new YamlMappingNode(new YamlScalarNode("schedule"), events);

        var writer = new StringWriter(CultureInfo.InvariantCulture);
        yaml.Save(writer, assignAnchors: false);
        var written = writer.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);

        // A YAML stream ends with a document end marker ("..."); a scenario file does not need it.
        return written.EndsWith("...\n", StringComparison.Ordinal) ? written[..^4] : written;
    }

    private static YamlMappingNode Entry(ChaosEvent chaos)
    {
        var entry = new YamlMappingNode(
            new YamlScalarNode("channel"), new YamlScalarNode(chaos.Channel.ToString(CultureInfo.InvariantCulture)),
            new YamlScalarNode("message"), new YamlScalarNode(chaos.Message.ToString(CultureInfo.InvariantCulture)),
            new YamlScalarNode("action"), new YamlScalarNode(chaos.Action.ToString().ToLowerInvariant()))
        {
            Style = MappingStyle.Flow,
        };
        if (chaos.Action == ChaosAction.Delay)
        {
            entry.Add("delay", Durations.Format(chaos.Delay));
        }

        return entry;
    }
}
