using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace Conformance.Harness.Tests.Cli;

/// <summary>
/// A suite split across two CI runners with <c>--shard 1/2</c> and <c>--shard 2/2</c>, joined with <c>conformance merge</c>:
/// every scenario runs exactly once, and the merged report is the report of one run of the whole suite.
/// </summary>
[Parallelizable(ParallelScope.Children)]
public sealed class ShardMergeCommandTests
{
    // Prints "hello" and waits to be stopped: it passes every scenario of the folder below (one requires chat, undeclared).
    private const string Client = "echo hello; exec sleep 30";

    [Test]
    public async Task ShardsMerged_AreTheWholeRunsReport_EachScenarioOnce()
    {
        // Given a folder of seven scenarios
        var folder = ScenarioFolder(7);
        string Out(string name) => Path.Combine(folder, name);

        // When it runs whole, and as shards 1/2 and 2/2, and the shards are merged
        var whole = await CliProcess.RunAsync("run", "--client", Client, "--scenario", Out("scenarios"), "--parallel", "7", "--report", Out("whole"), "--seed", "3");
        var one = await CliProcess.RunAsync("run", "--client", Client, "--scenario", Out("scenarios"), "--parallel", "7", "--report", Out("s1"), "--seed", "3", "--shard", "1/2");
        var two = await CliProcess.RunAsync("run", "--client", Client, "--scenario", Out("scenarios"), "--parallel", "7", "--report", Out("s2"), "--seed", "3", "--shard", "2/2");
        var merge = await CliProcess.RunAsync("merge", Out("s1"), Out("s2"), "--report", Out("merged"), "--junit", Out("merged.xml"), "--summary", Out("summary.md"));

        // Then the shards took 4 and 3 scenarios, none twice; the merged results list the same scenarios in the same order
        // with the same verdicts and rules as the whole run, its folder holds the same files, and the merge exits as a run would
        var ids1 = Ids(Out("s1"));
        var ids2 = Ids(Out("s2"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That((whole.Exit, one.Exit, two.Exit, merge.Exit), Is.EqualTo((0, 0, 0, 0)), whole.Err + one.Err + two.Err + merge.Err);
            Assert.That(one.Err, Does.Contain("shard 1/2: 4 of 7 scenarios"));
            Assert.That(ids1.Concat(ids2).Order(StringComparer.Ordinal), Is.EqualTo(Ids(Out("whole"))));
            Assert.That(ids1.Intersect(ids2), Is.Empty);
            Assert.That(Comparable(Out("merged")), Is.EqualTo(Comparable(Out("whole"))));
            Assert.That(Files(Out("merged")), Is.EqualTo(Files(Out("whole"))));
            Assert.That(merge.Out, Does.Contain("6 passed, 0 warned, 0 failed, 0 errors, 1 skipped"));
            Assert.That(XDocument.Load(Out("merged.xml")).Descendants("testcase").Count(), Is.EqualTo(7));
            Assert.That(File.ReadAllText(Out("summary.md")), Does.StartWith("# Conformance report"));
        }
    }

    [Test]
    public async Task Run_ShardNotKOfN_IsAUsageError()
    {
        var (exit, _, stderr) = await CliProcess.RunAsync("run", "--client", "true", "--protocol", "plugdj", "--shard", "3/2");

        Assert.That((exit, stderr.Trim()), Is.EqualTo((2, "conformance: --shard '3/2': expected k/n with 1 <= k <= n, e.g. 1/2")));
    }

    [Test]
    public async Task Merge_NoReportThere_IsAUsageError()
    {
        var folder = ScenarioFolder(1);

        var (exit, _, stderr) = await CliProcess.RunAsync("merge", Path.Combine(folder, "scenarios"), "--report", Path.Combine(folder, "merged"));

        Assert.That((exit, stderr), Is.EqualTo((2, $"conformance: {Path.Combine(folder, "scenarios")}: no results.json there (give the folder a run wrote with --report, or its results.json)\n")));
    }

    private static List<string> Ids(string report) =>
        [.. JsonNode.Parse(File.ReadAllText(Path.Combine(report, "results.json")))!.AsArray().Select(e => (string)e!["id"]!)];

    /// <summary>results.json without what differs between two runs of the same scenarios: times, the shard, timing figures.</summary>
    private static string Comparable(string report)
    {
        var results = JsonNode.Parse(File.ReadAllText(Path.Combine(report, "results.json")))!.AsArray();
        foreach (var entry in results.Select(e => e!.AsObject()))
        {
            entry.Remove("durationMs");
            entry.Remove("shard");
            entry.Remove("explanation");
            foreach (var rule in entry["rules"]!.AsArray().Select(r => r!.AsObject()))
            {
                rule.Remove("messages");
                rule.Remove("evidence");
            }
        }

        return results.ToJsonString();
    }

    private static IEnumerable<string> Files(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f)).Order(StringComparer.Ordinal);

    /// <summary>A temporary folder with <c>scenarios/</c>: n scenarios a client that prints "hello" passes; the fourth requires chat.</summary>
    private static string ScenarioFolder(int count)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"conformance-shard-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(folder, "scenarios"));
        for (var i = 1; i <= count; i++)
        {
            File.WriteAllText(Path.Combine(folder, "scenarios", $"s{i}.yaml"), $$"""
                id: plugdj/test/s{{i}}
                protocol: plugdj
                rules: [plugdj.events.tolerate]
                {{(i == 4 ? "requires: [chat]\n" : "")}}steps:
                  - expect_output: { regex: "^hello$", within: 10s }

                """);
        }

        return folder;
    }
}
