using YamlDotNet.RepresentationModel;

namespace Conformance.Harness.Scenarios;

/// <summary>A delay setting: one duration (20ms) or a range to draw from (10ms..40ms).</summary>
internal static class DelayRange
{
    /// <summary>The range; after an error (reported at the node) both ends are <see cref="TimeSpan.MinValue"/>.</summary>
    public static (TimeSpan Min, TimeSpan Max) Read(StepSyntax syntax, YamlNode node)
    {
        var text = (node as YamlScalarNode)?.Value ?? "";
        var parts = text.Split("..");
        if (parts.Length <= 2 && Durations.TryParse(parts[0].Trim(), out var min) && Durations.TryParse(parts[^1].Trim(), out var max) && min <= max)
        {
            return (min, max);
        }

        syntax.Error(node, $"'delay' is a duration (20ms) or a range such as 10ms..40ms, found '{text}'");
        return (TimeSpan.MinValue, TimeSpan.MinValue);
    }
}
