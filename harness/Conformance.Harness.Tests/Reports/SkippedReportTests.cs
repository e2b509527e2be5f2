using Conformance.Harness.Clients;
using Conformance.Harness.Reports;
using Conformance.Harness.Running;

namespace Conformance.Harness.Tests.Reports;

/// <summary>A Skipped scenario in every report: JUnit XML, results.json and report.md show it as skipped, with the reason.</summary>
public sealed class SkippedReportTests
{
    private const string Reason = "requires client feature chat (the client sends chat messages on its own); declare it with --features chat";

    [Test]
    public async Task JUnit_SkippedScenario_IsASkippedTestCaseWithTheReason()
    {
        // Given a passed and a skipped scenario
        var results = await PassedAndSkippedAsync();

        // When the JUnit XML is built
        var suite = JUnitWriter.Build(results).Root!.Element("testsuite")!;

        // Then the suite counts one skipped case, which carries <skipped message="reason"/> and no failure
        var skipped = suite.Elements("testcase").Single(c => (string?)c.Attribute("name") == "plugdj/test/chat");
        using (Assert.EnterMultipleScope())
        {
            Assert.That((string?)suite.Attribute("skipped"), Is.EqualTo("1"));
            Assert.That((string?)suite.Attribute("failures"), Is.EqualTo("0"));
            Assert.That((string?)skipped.Element("skipped")?.Attribute("message"), Is.EqualTo(Reason));
            Assert.That(skipped.Elements("failure").Concat(skipped.Elements("error")), Is.Empty);
        }
    }

    [Test]
    public async Task ResultsJson_SkippedScenario_HasTheOutcomeAndTheReason()
    {
        // Given a passed and a skipped scenario
        var results = await PassedAndSkippedAsync();

        // When results.json is built
        var json = ReportWriter.Results(results);

        // Then the skipped one says Skipped and why; the passed one has no reason
        var byId = json.ToDictionary(r => (string)r!["id"]!, r => r!.AsObject());
        using (Assert.EnterMultipleScope())
        {
            Assert.That((string?)byId["plugdj/test/chat"]["verdict"], Is.EqualTo("Skipped"));
            Assert.That((string?)byId["plugdj/test/chat"]["skipReason"], Is.EqualTo(Reason));
            Assert.That(byId["plugdj/test/plain"]["skipReason"], Is.Null);
        }
    }

    [Test]
    public async Task Markdown_SkippedScenario_IsCountedAndExplained()
    {
        // Given a passed and a skipped scenario
        var results = await PassedAndSkippedAsync();

        // When report.md is written
        var markdown = ReportWriter.Markdown(results);

        // Then the summary counts it, its row says Skipped, and its section gives the reason
        Assert.That(markdown, Does.Contain("1 passed, 0 warned, 0 failed, 0 errors, 1 skipped")
            .And.Contain("| plugdj/test/chat | Skipped |")
            .And.Contain("skipped: " + Reason));
    }

    private static async Task<List<ScenarioResult>> PassedAndSkippedAsync()
    {
        var plain = TestScenarios.Parse("""
            id: plugdj/test/plain
            protocol: plugdj
            rules: [plugdj.events.tolerate]
            steps:
              - wait: 10ms
            """);
        var chat = TestScenarios.Parse("""
            id: plugdj/test/chat
            protocol: plugdj
            rules: [plugdj.chat.pacing]
            requires: [chat]
            steps:
              - expect: { json: { a: chat }, within: 5s }
            """);
        var skipped = await new ScenarioRunner(new RunOptions()).RunAsync(chat, new ClientSpec("true"));
        return [new ScenarioResult(plain, Verdict.Pass, [], [], [], [], TimeSpan.FromSeconds(1)), skipped];
    }
}
