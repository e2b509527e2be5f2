using Conformance.Fixtures;
using Conformance.Harness.Clients;
using Conformance.Harness.Running;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Tests.Running;

/// <summary>The plug.dj mock against a real published client and under a chat flood.</summary>
[Parallelizable(ParallelScope.Children)]
public sealed class PlugDjClientTests
{
    [Test]
    public async Task PlugSocketPackage_PointedAtTheMock_AuthenticatesAndReceivesEventsUnmodified()
    {
        // Given the npm package plug-socket 1.0.0, untouched, given the mock's URL and Origin through its own options
        var scenario = TestScenarios.Parse("""
            id: plugdj/test/plug-socket
            protocol: plugdj
            rules: [plugdj.auth.prompt, plugdj.events.tolerate]
            steps:
              - expect_connect: { path: /socket, headers: { Origin: "https://plug.dj" }, within: 15s, rule: plugdj.auth.prompt }
              - expect: { json: { a: auth }, within: 2s, rule: plugdj.auth.prompt }
              - expect_output: { regex: "^plug-socket authenticated$", within: 3s, rule: plugdj.auth.prompt }
              - send: { templates: [advance, vote] }
              - send: { template: chat }
              - expect_output: { regex: "^plug-socket event advance$", within: 3s, rule: plugdj.events.tolerate }
              - expect_output: { regex: "^plug-socket event vote$", within: 3s, rule: plugdj.events.tolerate }
              - expect_output: { regex: "^plug-socket event chat$", within: 3s, rule: plugdj.events.tolerate }
            """);

        // When the scenario runs against it
        var result = await new ScenarioRunner(new RunOptions()).RunAsync(scenario, new ClientSpec(FixturePaths.PlugDjScript("plug-socket-check.js")));

        // Then it authenticated with a REST token and printed every event it was sent
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), result.Explain());
        var auth = result.Transcript.OfType<FrameRecorded>().First(f => f.Direction == Direction.ClientToServer);
        Assert.That(auth.Text, Does.StartWith("""{"a":"auth","p":"""));
        Assert.That(result.Transcript.OfType<HttpExchange>().Select(h => h.Path), Does.Contain("/_/auth/token"));
    }

    [Test]
    public async Task ChatFlood_ThousandMessages_AllRecordedDroppedOnesMarkedAndTheMockKeepsServing()
    {
        // Given a client that sends 1,000 chat messages as fast as it can
        var scenario = TestScenarios.Parse("""
            id: plugdj/test/flood
            protocol: plugdj
            rules: [plugdj.chat.pacing, plugdj.events.tolerate]
            mock: { chatInterval: 1s }
            steps:
              - expect_connect: { path: /socket, within: 15s, rule: plugdj.events.tolerate }
              - expect: { regex: "flood \\d+", within: 10s, count: 1000, rule: plugdj.events.tolerate }
              - send: { template: advance }
              - expect_alive: { for: 300ms, rule: plugdj.events.tolerate }
            """);

        // When it runs
        var result = await new ScenarioRunner(new RunOptions()).RunAsync(scenario, new ClientSpec(FixturePaths.PlugDjScript("flood.js", "1000")));

        // Then every message is in the transcript, all but the first are marked dropped, the pacing rule names the
        // flood, and the mock still answered afterwards
        var chats = result.Transcript.OfType<FrameRecorded>()
            .Where(f => f.Direction == Direction.ClientToServer && f.Text?.Contains("\"flood ", StringComparison.Ordinal) == true).ToList();
        Assert.That(chats, Has.Count.EqualTo(1000));
        Assert.That(chats.Count(c => c.Note == "dropped: rate limit"), Is.EqualTo(999));
        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Steps.Select(s => s.Status), Is.All.EqualTo(StepStatus.Passed), result.Explain());
        Assert.That(result.Rules.Single(r => r.Rule.Id == "plugdj.chat.pacing").Verdict, Is.EqualTo(Verdict.Fail));
        var advance = result.Transcript.OfType<FrameRecorded>().Last(f => f.Direction == Direction.ServerToClient && f.Origin is not null);
        Assert.That(advance.Index, Is.GreaterThan(chats[^1].Index), "the scripted advance went out after the flood");
    }
}
