using Conformance.Harness.Monitors;
using Conformance.Harness.Protocols;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Tests.Running;

/// <summary>
/// The Discodo IDENTIFY rule on made-up timelines, judged on its outcome ("before using", kijk2869/discodo
/// docs/node/connection.rst §Identifying): one connection opened at 0 with the password and HELLO at 5 ms advertising
/// 0.3 s, then the frames a test gives, either way.
/// </summary>
public sealed class DiscodoFrameMonitorTests
{
    private const string Hello = """{"op":"HELLO","d":{"heartbeat_interval":0.3,"version":"3.0.7"}}""";
    private const string Identify = """{"op":"IDENTIFY","d":{"user_id":"1095998329104949370","shard_id":null}}""";
    private const string VoiceState = """{"op":"DISCORD_EVENT","d":{"t":"VOICE_STATE_UPDATE","d":{"guild_id":"1"}}}""";
    private const string Heartbeat = """{"op":"HEARTBEAT","d":null}""";

    [Test]
    public void Check_IdentifyBeforeHello_Passes()
    {
        // Given a client that identifies as the socket opens, before HELLO, as the official clients do
        var findings = Check(end: 2000, (1, Direction.ClientToServer, Identify), (5, Direction.ServerToClient, Hello), (100, Direction.ClientToServer, VoiceState));

        Assert.That(Broken(findings), Is.Empty);
    }

    [Test]
    public void Check_DiscordEventBeforeIdentify_Fails()
    {
        // Given a client that forwards a voice event before it identifies
        var findings = Check(end: 2000, (5, Direction.ServerToClient, Hello), (50, Direction.ClientToServer, VoiceState), (60, Direction.ClientToServer, Identify));

        // Then the rule fails, naming that frame
        var identify = findings.Single(f => f.RuleId == "discodo.identify.required");
        using (Assert.EnterMultipleScope())
        {
            Assert.That((identify.Violated, identify.Advisory), Is.EqualTo((true, false)));
            Assert.That(identify.Message, Does.Contain("DISCORD_EVENT").And.Contain("before IDENTIFY"));
        }
    }

    [Test]
    public void Check_NeverIdentifiesAndUsesNothing_OnlyWarns()
    {
        // Given a connection that heartbeats for two seconds and never identifies nor uses the node
        var findings = Check(end: 2000, (5, Direction.ServerToClient, Hello), (300, Direction.ClientToServer, Heartbeat));

        var identify = findings.Single(f => f.RuleId == "discodo.identify.required");
        Assert.That((identify.Violated, identify.Advisory), Is.EqualTo((true, true)), identify.Message);
    }

    [Test]
    public void Check_ConnectionShorterThanAHeartbeatInterval_IsNotBlamedForNotIdentifying()
    {
        // Given a run that ends 200 ms after HELLO, before one interval of 0.3 s has passed
        var findings = Check(end: 200, (5, Direction.ServerToClient, Hello));

        Assert.That(Broken(findings), Is.Empty);
    }

    private static string[] Broken(IEnumerable<RuleFinding> findings) => [.. findings.Where(f => f.Violated).Select(f => f.RuleId).Distinct()];

    private static List<RuleFinding> Check(int end, params (int At, Direction Direction, string Text)[] frames)
    {
        var clock = new ManualClock();
        var transcript = new Transcript(clock);
        transcript.Append(new ConnectionOpened(1, "ws", "/ws", "", new Dictionary<string, string> { ["Authorization"] = "hellodiscodo" }));
        foreach (var (at, direction, text) in frames)
        {
            clock.AdvanceTo(TimeSpan.FromMilliseconds(at));
            transcript.Append(new FrameRecorded(1, direction, FrameKind.Text, text, null));
        }

        clock.AdvanceTo(TimeSpan.FromMilliseconds(end));
        var scenario = TestScenarios.Parse("""
            id: discodo/test/timeline
            protocol: discodo
            rules: [discodo.identify.required]
            steps:
              - wait: 1ms
            """);
        var context = new MonitorContext(scenario, transcript.Snapshot(), transcript.Now);
        return [.. ProtocolRegistry.Find("discodo")!.Monitors.OfType<Protocols.Discodo.DiscodoFrameMonitor>().SelectMany(m => m.Check(context))];
    }
}
