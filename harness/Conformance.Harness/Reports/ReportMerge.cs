namespace Conformance.Harness.Reports;

/// <summary>
/// <c>conformance merge</c>: one report from the report folders of several runs: the shards of one suite
/// (<c>--shard k/n</c> on several CI runners), or one run per client (a column each in the matrix). Entries are read back
/// from each folder's <c>results.json</c>, their transcripts copied, and the folder written by
/// <see cref="ReportWriter.WriteFolder"/> from the entries alone, as a single run's report is: the merged shards of a
/// suite give the report one run of the whole suite gives. Clients keep their order of first appearance, and each
/// client's scenarios are in the order of their ids, which is the order <c>conformance run</c> runs them in.
/// </summary>
public static class ReportMerge
{
    /// <summary>Merges <paramref name="inputs"/> (report folders or their <c>results.json</c>) into <paramref name="output"/>.</summary>
    /// <exception cref="FormatException">An input is missing, unreadable, or holds a scenario of a client another input holds too.</exception>
    public static IReadOnlyList<ScenarioReport> Merge(IReadOnlyList<string> inputs, string output)
    {
        var read = new List<(ScenarioReport Entry, string Folder)>();
        var seen = new Dictionary<(string Client, string Id), string>();
        foreach (var input in inputs)
        {
            var folder = Path.GetFileName(input) == "results.json" && File.Exists(input) ? Path.GetDirectoryName(Path.GetFullPath(input))! : input;
            if (!File.Exists(Path.Combine(folder, "results.json")))
            {
                throw new FormatException($"{input}: no results.json there (give the folder a run wrote with --report, or its results.json)");
            }

            foreach (var entry in ReportWriter.Read(folder))
            {
                if (seen.TryGetValue((entry.Client, entry.Id), out var other))
                {
                    throw new FormatException($"{input}: scenario {entry.Id} of client '{entry.Client}' is in {other} too; a merge takes each scenario of a client once");
                }

                seen[(entry.Client, entry.Id)] = input;
                read.Add((entry, folder));
            }
        }

        var clients = read.Select(r => r.Entry.Client).Distinct(StringComparer.Ordinal).ToList();
        var ordered = read.OrderBy(r => clients.IndexOf(r.Entry.Client)).ThenBy(r => r.Entry.Id, StringComparer.Ordinal).ToList();
        var layout = new ReportLayout(ordered.Select(r => r.Entry));
        var merged = new List<ScenarioReport>();
        foreach (var (entry, folder) in ordered)
        {
            string? transcript = null;
            if (entry.Transcript is { } from && File.Exists(OutputPaths.Under(folder, from)))
            {
                transcript = layout.Transcript(entry.Client, entry.Id);
                var source = OutputPaths.Under(folder, from);
                var target = OutputPaths.Under(output, transcript);
                if (!string.Equals(Path.GetFullPath(source), target, StringComparison.Ordinal))
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    File.Copy(source, target, overwrite: true);
                }
            }

            merged.Add(entry with { Transcript = transcript });
        }

        ReportWriter.WriteFolder(output, merged);
        return merged;
    }
}
