using YamlDotNet.RepresentationModel;

namespace Conformance.Harness.Scenarios;

/// <summary>The settings fault steps share: probabilities, and delays as one duration (20ms) or a range to draw from (10ms..40ms).</summary>
internal static class FaultValues
{
    /// <summary>An optional probability from 0 to 1 (0 when absent); null after an error reported at the value.</summary>
    public static double? Probability(StepSyntax syntax, YamlMappingNode map, string key)
    {
        if (syntax.Value(map, key) is not { } node)
        {
            return 0;
        }

        if (node is YamlScalarNode { Value: { } text } &&
            double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var p) && p is >= 0 and <= 1)
        {
            return p;
        }

        syntax.Error(node, $"'{key}' is a probability from 0 to 1, such as 0.1, found {node.Kind()}");
        return null;
    }

    /// <summary>A delay range; after an error (reported at the node) both ends are <see cref="TimeSpan.MinValue"/>.</summary>
    public static (TimeSpan Min, TimeSpan Max) DelayRange(StepSyntax syntax, YamlNode node)
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
