using Conformance.Harness.Reports;
using Conformance.Harness.Rules;
using Conformance.Harness.Running;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Tests.Reports;

/// <summary>
/// <c>conformance merge</c>'s engine: reports of a suite's shards come together as one run's report would be, and runs of
/// several clients become columns with their own transcripts and pages.
/// </summary>
public sealed class ReportMergeTests
{
    private string _dir = null!;

    [SetUp]
    public void CreateFolder() => _dir = Directory.CreateTempSubdirectory("conformance-merge-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Merge_TwoShardsOfOneClient_IsTheReportOfTheWholeRunInIdOrder()
    {
        // Given one client's run of four scenarios written whole, and the same results split into two shards
        var results = new[] { Result("p/d", Verdict.Pass), Result("p/a", Verdict.Fail), Result("p/c", Verdict.Skipped), Result("p/b", Verdict.Warn) };
        var ordered = results.OrderBy(r => r.Scenario.Id, StringComparer.Ordinal).ToList();
        var whole = Path.Combine(_dir, "whole");
        ReportWriter.Write(whole, ordered, new RunInfo("bot", 5));
        var shards = new Shard(1, 2).Select(results.Select(r => r.Scenario)).Select(s => s.Id).ToHashSet();
        ReportWriter.Write(Path.Combine(_dir, "s1"), [.. results.Where(r => shards.Contains(r.Scenario.Id))], new RunInfo("bot", 5, "1/2"));
        ReportWriter.Write(Path.Combine(_dir, "s2"), [.. results.Where(r => !shards.Contains(r.Scenario.Id))], new RunInfo("bot", 5, "2/2"));

        // When the shards are merged
        var merged = ReportMerge.Merge([Path.Combine(_dir, "s2"), Path.Combine(_dir, "s1", "results.json")], Path.Combine(_dir, "merged"));

        // Then it holds every scenario once, in id order, with the whole run's verdicts, and the same files
        var expected = ReportWriter.Read(whole);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(merged.Select(e => (e.Id, e.Verdict)), Is.EqualTo(expected.Select(e => (e.Id, e.Verdict))));
            Assert.That(merged.Select(e => e.Transcript), Is.EqualTo(expected.Select(e => e.Transcript)));
            Assert.That(Files(Path.Combine(_dir, "merged")), Is.EqualTo(Files(whole)));
            Assert.That(File.ReadAllText(Path.Combine(_dir, "merged", "transcripts", "p", "a.json")), Does.Contain("frame of p/a"));
        }
    }

    [Test]
    public void Merge_TwoClients_GivesEachItsColumnTranscriptsAndPages()
    {
        // Given the same two scenarios run by two clients
        ReportWriter.Write(Path.Combine(_dir, "one"), [Result("p/a", Verdict.Pass), Result("p/b", Verdict.Pass)], new RunInfo("node bot.js"));
        ReportWriter.Write(Path.Combine(_dir, "two"), [Result("p/a", Verdict.Fail), Result("p/b", Verdict.Pass)], new RunInfo("python bot.py"));

        // When they are merged
        var merged = ReportMerge.Merge([Path.Combine(_dir, "one"), Path.Combine(_dir, "two")], Path.Combine(_dir, "merged"));

        // Then each client keeps its own transcripts and pages, and the Markdown and index have a column per client
        var markdown = File.ReadAllText(Path.Combine(_dir, "merged", "report.md"));
        var index = File.ReadAllText(Path.Combine(_dir, "merged", "index.html"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(merged.Select(e => e.Transcript), Is.EqualTo(new[]
            {
                "transcripts/client-1/p/a.json", "transcripts/client-1/p/b.json", "transcripts/client-2/p/a.json", "transcripts/client-2/p/b.json",
            }));
            Assert.That(File.Exists(Path.Combine(_dir, "merged", "scenarios", "client-2", "p", "a.html")), Is.True);
            Assert.That(markdown, Does.Contain("| scenario | `node bot.js` | `python bot.py` |").And.Contain("| p/a | Pass | Fail (p.rule) |"));
            Assert.That(index, Does.Contain("<th class=\"client\">node bot.js</th><th class=\"client\">python bot.py</th>"));
        }
    }

    [Test]
    public void Merge_SameScenarioOfTheSameClientTwice_IsRefusedNamingBoth()
    {
        // Given two reports that both hold p/a of the same client
        ReportWriter.Write(Path.Combine(_dir, "one"), [Result("p/a", Verdict.Pass)], new RunInfo("bot"));
        ReportWriter.Write(Path.Combine(_dir, "two"), [Result("p/a", Verdict.Pass)], new RunInfo("bot"));

        // When they are merged, then the merge says which scenario is in both
        var merge = () => ReportMerge.Merge([Path.Combine(_dir, "one"), Path.Combine(_dir, "two")], Path.Combine(_dir, "merged"));
        Assert.That(merge, Throws.TypeOf<FormatException>().With.Message.Contains("scenario p/a of client 'bot' is in").And.Message.Contains("one"));
    }

    [Test]
    public void Merge_FolderWithoutResults_IsRefused()
    {
        var merge = () => ReportMerge.Merge([_dir], Path.Combine(_dir, "merged"));

        Assert.That(merge, Throws.TypeOf<FormatException>().With.Message.Contains("no results.json"));
    }

    private static IEnumerable<string> Files(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f)).Order(StringComparer.Ordinal);

    internal static ScenarioResult Result(string id, Verdict verdict)
    {
        var scenario = TestScenarios.Parse("""
            id: listenmoe/test/report
            protocol: listenmoe
            rules: [listenmoe.connect.endpoint]
            steps:
              - wait: 10ms
            """) with { Id = id };
        var transcript = new Transcript();
        transcript.Append(new FrameRecorded(1, Direction.ClientToServer, FrameKind.Text, $"frame of {id}", null));
        var rule = new RuleVerdict(new Rule("p.rule", RuleLevel.Must, "A rule.", "a document, §1"), verdict is Verdict.Skipped ? Verdict.Pass : verdict, ["message"]);
        return new ScenarioResult(scenario, verdict, [rule], [], transcript.Snapshot(), [], TimeSpan.FromMilliseconds(120))
        {
            SkipReason = verdict == Verdict.Skipped ? "requires client feature x" : null,
        };
    }
}
