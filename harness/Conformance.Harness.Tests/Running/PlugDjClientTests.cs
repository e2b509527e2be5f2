using Conformance.Fixtures;
using Conformance.Harness.Clients;
using Conformance.Harness.Running;
using Conformance.Mocks.Protocols.PlugDj;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Tests.Running;

/// <summary>The plug.dj mock against a real published client and under a chat flood.</summary>
[Parallelizable(ParallelScope.Children)]
[Category("e2e")]
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
            mock: { chatRefill: 1s }
            steps:
              - expect_connect: { path: /socket, within: 15s, rule: plugdj.events.tolerate }
              - expect: { regex: "flood \\d+", within: 10s, count: 1000, rule: plugdj.events.tolerate }
              - send: { template: advance }
              - expect_alive: { for: 300ms, rule: plugdj.events.tolerate }
            """);

        // When it runs
        var result = await new ScenarioRunner(new RunOptions()).RunAsync(scenario, new ClientSpec(FixturePaths.PlugDjScript("flood.js", "1000")));

        // Then every message is in the transcript, those past the limit's burst and refill are marked dropped (the rest
        // echoed), the pacing rule names the flood, and the mock still answered afterwards
        var chats = result.Transcript.OfType<FrameRecorded>()
            .Where(f => f.Direction == Direction.ClientToServer && f.Text?.Contains("\"flood ", StringComparison.Ordinal) == true).ToList();
        var accepted = chats.Count(c => c.Decisions.Count == 0);
        var echoes = result.Transcript.OfType<FrameRecorded>()
            .Count(f => f.Direction == Direction.ServerToClient && f.Text?.Contains("\"message\":\"flood ", StringComparison.Ordinal) == true);
        var refills = (int)Math.Ceiling((chats[^1].At - chats[0].At).TotalSeconds);
        Assert.That(chats, Has.Count.EqualTo(1000));
        Assert.That(chats.SelectMany(c => c.Decisions).Select(d => d.Kind), Is.All.EqualTo(FrameDecisionKind.DroppedRateLimit));
        var burst = new PlugDjOptions().ChatBurst;
        Assert.That(accepted, Is.InRange(burst, burst + refills), "the burst, and one more per second the flood lasted");
        Assert.That(echoes, Is.EqualTo(accepted), "every accepted message, and only those, echoed");
        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Steps.Select(s => s.Status), Is.All.EqualTo(StepStatus.Passed), result.Explain());
        Assert.That(result.Rules.Single(r => r.Rule.Id == "plugdj.chat.pacing").Verdict, Is.EqualTo(Verdict.Fail));
        var advance = result.Transcript.OfType<FrameRecorded>().Last(f => f.Direction == Direction.ServerToClient && f.Origin is not null);
        Assert.That(advance.Index, Is.GreaterThan(chats[^1].Index), "the scripted advance went out after the flood");
    }
    [Test]
    public async Task Chat_TwentyMessagesOneASecond_LoseNothingAndPass()
    {
        // Given a client that chats once a second for twenty seconds, against the default chat limit
        var scenario = TestScenarios.Parse("""
            id: plugdj/test/steady-chat
            protocol: plugdj
            rules: [plugdj.chat.pacing]
            timeout: 60s
            steps:
              - expect_connect: { path: /socket, within: 15s }
              - expect: { regex: "flood \\d+", within: 30s, count: 20 }
              - wait: 200ms
            """);

        // When it runs
        var result = await new ScenarioRunner(new RunOptions()).RunAsync(scenario, new ClientSpec(FixturePaths.PlugDjScript("flood.js", "20 1000")));

        // Then all twenty got through and the pacing rule passes
        var chats = ClientChats(result);
        Assert.That(chats, Has.Count.EqualTo(20));
        Assert.That(chats.SelectMany(c => c.Decisions), Is.Empty, result.Explain());
        Assert.That(result.Rules.Single(r => r.Rule.Id == "plugdj.chat.pacing").Verdict, Is.EqualTo(Verdict.Pass), result.Explain());
    }

    [Test]
    public async Task Chat_TenMessagesInOneSecond_FailPacingNamingTheDroppedOnes()
    {
        // Given a client that sends ten chats 100 ms apart
        var scenario = TestScenarios.Parse("""
            id: plugdj/test/quick-chat
            protocol: plugdj
            rules: [plugdj.chat.pacing]
            steps:
              - expect_connect: { path: /socket, within: 15s }
              - expect: { regex: "flood \\d+", within: 10s, count: 10 }
              - wait: 200ms
            """);

        // When it runs
        var result = await new ScenarioRunner(new RunOptions()).RunAsync(scenario, new ClientSpec(FixturePaths.PlugDjScript("flood.js", "10 100")));

        // Then the messages past the burst are dropped, and the pacing rule fails naming each of them
        var dropped = ClientChats(result).Where(c => c.Has(FrameDecisionKind.DroppedRateLimit)).ToList();
        var pacing = result.Rules.Single(r => r.Rule.Id == "plugdj.chat.pacing");
        Assert.That(dropped, Has.Count.InRange(3, 5), result.Explain());
        Assert.That(pacing.Verdict, Is.EqualTo(Verdict.Fail));
        Assert.That(pacing.Evidence, Is.EquivalentTo(dropped));
        Assert.That(pacing.Messages.Single(), Does.Contain($"{dropped.Count} of 10"));
        foreach (var frame in dropped)
        {
            Assert.That(pacing.Messages.Single(), Does.Contain($"#{frame.Index} "));
        }
    }

    private static List<FrameRecorded> ClientChats(ScenarioResult result) =>
        [.. result.Transcript.OfType<FrameRecorded>().Where(f => f.Direction == Direction.ClientToServer && f.Text?.Contains("\"flood ", StringComparison.Ordinal) == true)];
}
