using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Conformance.Harness.Running;
using Conformance.Mocks.Json;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Reports;

/// <summary>
/// Writes a report folder: <c>results.json</c> (one <see cref="ScenarioReport"/> per scenario: verdicts per rule with
/// the rule's text and source, timing figures and every heartbeat gap, why a scenario was skipped, the snapshot diff),
/// <c>transcripts/&lt;id&gt;.json</c> for each run, <c>report.md</c> (<see cref="Markdown(IReadOnlyList{ScenarioReport})"/>) and the HTML report
/// (<see cref="HtmlReport"/>). Credentials (passwords, tokens, secrets, authorization and cookie headers) are replaced by
/// <c>***</c> (<see cref="Credentials"/>) before anything is written. JSON escapes control characters itself; Markdown
/// and HTML have them escaped by <see cref="ControlCharacters"/>, so a client's ANSI colours reach nobody's terminal.
/// Everything but the transcripts is written from the <see cref="ScenarioReport"/>s alone, which is how a merged report
/// (<see cref="ReportMerge"/>) comes out as a single run's would.
/// </summary>
public static class ReportWriter
{
    private static readonly System.Text.Json.JsonSerializerOptions Indented = new(JsonText.Options) { WriteIndented = true };

    /// <summary>Writes a run's transcripts and its report; returns the report's entries.</summary>
    public static IReadOnlyList<ScenarioReport> Write(string directory, IReadOnlyList<ScenarioResult> results, RunInfo? run = null)
    {
        run ??= RunInfo.Unnamed;
        Directory.CreateDirectory(directory);
        var layout = new ReportLayout([run.Client]);
        var entries = new List<ScenarioReport>();
        foreach (var result in results)
        {
            var relative = layout.Transcript(run.Client, result.Scenario.Id);
            var path = OutputPaths.Under(directory, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, Credentials.Scrub(TranscriptJson.ToJson(result.Transcript))!.ToJsonString(Indented));
            entries.Add(ScenarioReport.From(result, run, relative));
        }

        WriteFolder(directory, entries);
        return entries;
    }

    /// <summary>Writes <c>results.json</c>, <c>report.md</c> and the HTML report of entries whose transcripts are in place.</summary>
    public static void WriteFolder(string directory, IReadOnlyList<ScenarioReport> entries)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "results.json"), JsonText.Write(Results(entries)));
        File.WriteAllText(Path.Combine(directory, "report.md"), Markdown(entries));
        HtmlReport.Write(directory, entries);
    }

    /// <summary>Reads the entries of a report folder's <c>results.json</c>.</summary>
    public static IReadOnlyList<ScenarioReport> Read(string directory)
    {
        var path = Path.Combine(directory, "results.json");
        var json = JsonNode.Parse(File.ReadAllText(path)) as JsonArray ?? throw new FormatException($"{path}: not a JSON array");
        return [.. json.Select(e => ScenarioReport.FromJson(e as JsonObject ?? throw new FormatException($"{path}: an entry is not an object")))];
    }

    public static JsonArray Results(IReadOnlyList<ScenarioReport> entries) => new([.. entries.Select(e => (JsonNode)e.ToJson())]);

    public static JsonArray Results(IReadOnlyList<ScenarioResult> results) => Results(ScenarioReport.Of(results));

    public static string Markdown(IReadOnlyList<ScenarioResult> results) => Markdown(ScenarioReport.Of(results));

    /// <summary>
    /// The Markdown report, short enough for a CI step summary (GitHub's <c>$GITHUB_STEP_SUMMARY</c>, a GitLab or Azure
    /// job summary): the verdict counts per client, a table of scenarios by client with the broken rules, then what went
    /// wrong in each scenario that did not pass, folded in a <c>&lt;details&gt;</c> block.
    /// </summary>
    public static string Markdown(IReadOnlyList<ScenarioReport> entries)
    {
        var clients = entries.Select(e => e.Client).Distinct(StringComparer.Ordinal).ToList();
        var text = new StringBuilder();
        text.AppendLine("# Conformance report").AppendLine();
        foreach (var client in clients)
        {
            var own = entries.Where(e => e.Client == client).ToList();
            text.AppendLine(clients.Count > 1 ? $"- `{Code(client)}`: {VerdictTally.Line(own)}" : VerdictTally.Line(own));
        }

        text.AppendLine();
        if (clients.Count == 1)
        {
            text.AppendLine("| scenario | verdict | broken rules | time |").AppendLine("|---|---|---|---|");
            foreach (var e in entries)
            {
                var broken = string.Join(", ", e.Broken.Select(b => b.Id));
                text.AppendLine(CultureInfo.InvariantCulture, $"| {Cell(e.Id)} | {e.Verdict} | {Cell(broken)} | {e.DurationMs / 1000:0.00}s |");
            }
        }
        else
        {
            text.AppendLine("| scenario | " + string.Join(" | ", clients.Select(c => $"`{Code(c)}`")) + " |");
            text.AppendLine("|---|" + string.Concat(clients.Select(_ => "---|")));
            var byKey = entries.ToDictionary(e => (e.Client, e.Id));
            foreach (var id in entries.Select(e => e.Id).Distinct(StringComparer.Ordinal))
            {
                var cells = clients.Select(c => byKey.TryGetValue((c, id), out var e)
                    ? e.Verdict + (e.Broken.Any() ? " (" + string.Join(", ", e.Broken.Select(b => b.Id)) + ")" : "")
                    : "not run");
                text.AppendLine($"| {Cell(id)} | " + string.Join(" | ", cells.Select(Cell)) + " |");
            }
        }

        foreach (var e in entries.Where(e => e.Verdict != Verdict.Pass))
        {
            var who = clients.Count > 1 ? $" ({Code(e.Client)})" : "";
            text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"<details><summary>{Cell(e.Id)}{who}: {e.Verdict}</summary>").AppendLine()
                .AppendLine("```").AppendLine(e.Explanation.Replace("```", "'''", StringComparison.Ordinal)).AppendLine("```").AppendLine().AppendLine("</details>");
        }

        return ControlCharacters.Escape(text.ToString());
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string Code(string text) => text.Replace("`", "'", StringComparison.Ordinal);
}
