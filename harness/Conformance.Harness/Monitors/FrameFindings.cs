using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Monitors;

/// <summary>The finding of a rule judged on each client frame: checked, or violated by these frames (the first three quoted).</summary>
public static class FrameFindings
{
    public static RuleFinding Of(string rule, List<FrameRecorded> bad, int total, string what) =>
        bad.Count == 0
            ? new RuleFinding(rule, Violated: false, $"{total} client frames checked")
            : new RuleFinding(
                rule,
                Violated: true,
                $"{bad.Count} of {total} client frames {what}: " +
                string.Join(", ", bad.Take(3).Select(f => $"#{f.Index} at {f.At.TotalMilliseconds:0}ms '{Clip(f.Display)}'")))
            { Evidence = bad };

    /// <summary>A frame's text shortened to 60 characters for a message.</summary>
    public static string Clip(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
