using System.CommandLine;
using Conformance.Harness.Reports;
using Conformance.Harness.Running;

namespace Conformance.Cli.Commands;

/// <summary>
/// <c>conformance merge &lt;report dir|results.json&gt;... --report &lt;dir&gt; [--junit f] [--summary f]</c>: one report from
/// several runs' reports (the shards of a suite, or one run per client). Exit codes as <c>run</c>'s, from the merged verdicts.
/// </summary>
internal static class MergeCommand
{
    public static Command Create()
    {
        var inputs = new Argument<string[]>("reports") { Description = "Report folders written by 'conformance run --report' (or their results.json).", Arity = ArgumentArity.OneOrMore };
        var report = new Option<string>("--report") { Description = "Write the merged report into this folder.", Required = true };
        var junit = new Option<string?>("--junit") { Description = "Write the merged JUnit XML here." };
        var summary = new Option<string?>("--summary") { Description = "Append the merged Markdown summary to this file." };
        var command = new Command("merge", "Merge the reports of several runs (shards, or one run per client) into one.") { inputs, report, junit, summary };
        command.SetAction(async (parse, cancellation) =>
        {
            IReadOnlyList<ScenarioReport> merged;
            try
            {
                merged = ReportMerge.Merge(parse.GetValue(inputs)!, parse.GetValue(report)!);
            }
            catch (Exception ex) when (ex is FormatException or IOException or System.Text.Json.JsonException or ArgumentException or InvalidOperationException)
            {
                await Console.Error.WriteLineAsync("conformance: " + ex.Message).ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            if (parse.GetValue(junit) is { } junitPath)
            {
                JUnitWriter.Write(junitPath, merged);
            }

            if (parse.GetValue(summary) is { } summaryPath)
            {
                await File.AppendAllTextAsync(summaryPath, ReportWriter.Markdown(merged), cancellation).ConfigureAwait(false);
            }

            foreach (var client in merged.Select(e => e.Client).Distinct(StringComparer.Ordinal))
            {
                await Console.Out.WriteLineAsync($"{client}: {VerdictTally.Line(merged.Where(e => e.Client == client))}").ConfigureAwait(false);
            }

            await Console.Out.WriteLineAsync($"merged {merged.Count} scenario runs into {parse.GetValue(report)}").ConfigureAwait(false);
            return merged.All(e => e.Verdict is Verdict.Pass or Verdict.Warn or Verdict.Skipped) ? ExitCodes.Passed : ExitCodes.Failed;
        });
        return command;
    }
}
