using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Conformance.Harness.Running;
using Conformance.Mocks.Json;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Reports;

/// <summary>
/// Writes a report folder: <c>report.md</c> (a table of scenarios and every broken rule with its evidence),
/// <c>results.json</c> (verdicts per rule, timing figures, why a scenario was skipped), and <c>transcripts/&lt;id&gt;.json</c> for each run,
/// with credentials (passwords, tokens, secrets, authorization and cookie headers) replaced by <c>***</c> (<see cref="Credentials"/>).
/// JSON escapes control characters itself; <c>report.md</c> has them escaped by <see cref="ControlCharacters"/>, so a
/// client's ANSI colours do not reach whoever opens the report in a terminal.
/// </summary>
public static class ReportWriter
{
    private static readonly System.Text.Json.JsonSerializerOptions Indented = new(JsonText.Options) { WriteIndented = true };

    public static void Write(string directory, IReadOnlyList<ScenarioResult> results)
    {
        Directory.CreateDirectory(directory);
        foreach (var result in results)
        {
            var path = OutputPaths.Under(Path.Combine(directory, "transcripts"), result.Scenario.Id + ".json");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, Credentials.Scrub(TranscriptJson.ToJson(result.Transcript))!.ToJsonString(Indented));
        }

        File.WriteAllText(Path.Combine(directory, "results.json"), JsonText.Write(Results(results)));
        File.WriteAllText(Path.Combine(directory, "report.md"), Markdown(results));
    }

    public static JsonArray Results(IReadOnlyList<ScenarioResult> results) => new(results.Select(r => (JsonNode)new JsonObject
    {
        ["id"] = r.Scenario.Id,
        ["protocol"] = r.Scenario.Protocol,
        ["verdict"] = r.Verdict.ToString(),
        ["skipReason"] = r.SkipReason,
        ["reruns"] = r.Reruns,
        ["durationMs"] = Math.Round(r.Duration.TotalMilliseconds),
        ["errors"] = new JsonArray(r.Errors.Select(e => (JsonNode)e).ToArray()),
        ["rules"] = new JsonArray(r.Rules.Select(v => (JsonNode)new JsonObject
        {
            ["id"] = v.Rule.Id,
            ["level"] = v.Rule.Level.ToString().ToUpperInvariant(),
            ["verdict"] = v.Verdict.ToString(),
            ["inconclusive"] = v.Inconclusive,
            ["messages"] = new JsonArray(v.Messages.Select(m => (JsonNode)m).ToArray()),
            ["evidence"] = new JsonArray(v.Evidence.Select(e => (JsonNode)TranscriptJson.ToJson(e)).ToArray()),
            ["timing"] = v.Timing is { } t ? new JsonObject
            {
                ["advertisedMs"] = t.Advertised.TotalMilliseconds,
                ["samples"] = t.Samples,
                ["minMs"] = Math.Round(t.Min.TotalMilliseconds, 1),
                ["medianMs"] = Math.Round(t.Median.TotalMilliseconds, 1),
                ["p95Ms"] = Math.Round(t.P95.TotalMilliseconds, 1),
                ["maxMs"] = Math.Round(t.Max.TotalMilliseconds, 1),
                ["marginMs"] = Math.Round(t.Margin.TotalMilliseconds, 1),
            } : null,
        }).ToArray()),
    }).ToArray());

    public static string Markdown(IReadOnlyList<ScenarioResult> results)
    {
        var text = new StringBuilder();
        text.AppendLine("# Conformance report").AppendLine();
        text.AppendLine(VerdictTally.Line(results)).AppendLine();
        text.AppendLine("| scenario | verdict | broken rules | time |").AppendLine("|---|---|---|---|");
        foreach (var r in results)
        {
            var broken = string.Join(", ", r.Broken.Select(b => b.Rule.Id));
            text.AppendLine(CultureInfo.InvariantCulture, $"| {r.Scenario.Id} | {r.Verdict} | {broken} | {r.Duration.TotalSeconds:0.00}s |");
        }

        foreach (var r in results.Where(r => r.Verdict != Verdict.Pass))
        {
            text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"## {r.Scenario.Id}").AppendLine().AppendLine("```").AppendLine(r.Explain()).AppendLine("```");
        }

        return ControlCharacters.Escape(text.ToString());
    }
}
