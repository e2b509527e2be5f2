using Conformance.Harness.Monitors;
using Conformance.Harness.Protocols;
using Conformance.Harness.Protocols.ListenMoe;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Tests.Running;

/// <summary>The LISTEN.moe frame-shape rules on made-up timelines: one connection, the welcome at 0 unless a test says otherwise.</summary>
public sealed class ListenMoeFrameMonitorTests
{
    [Test]
    public void Check_OneFrameOfEachKindOfMistake_NamesEachUnderItsOwnRule()
    {
        // Given a client that sends, after the welcome, each mistake once and one good beat
        var findings = Check(
            welcomeAt: 0,
            (10, "not json"),
            (20, """{"op":"9"}"""),
            (30, """{"op":9,"d":[1]}"""),
            (40, """{"op":7}"""),
            (50, """{"op":9}"""),
            (60, null));

        // Then each rule names exactly its frames (by the time they were sent) and the order rule holds
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Evidence(findings, "listenmoe.frame.json"), Is.EqualTo(new[] { 10, 60 }));
            Assert.That(Evidence(findings, "listenmoe.frame.shape"), Is.EqualTo(new[] { 20, 30 }));
            Assert.That(Evidence(findings, "listenmoe.frame.known-ops"), Is.EqualTo(new[] { 40 }));
            Assert.That(Evidence(findings, "listenmoe.order.welcome-first"), Is.Empty);
        }
    }

    [Test]
    public void Check_ABeatBeforeTheWelcome_BreaksOnlyWelcomeFirst()
    {
        var findings = Check(welcomeAt: 100, (50, """{"op":9}"""), (150, """{"op":2}"""));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(findings.Where(f => f.Violated).Select(f => f.RuleId), Is.EqualTo(new[] { "listenmoe.order.welcome-first" }));
            Assert.That(Evidence(findings, "listenmoe.order.welcome-first"), Is.EqualTo(new[] { 50 }));
        }
    }

    private static int[] Evidence(List<RuleFinding> findings, string rule) =>
        [.. findings.Single(f => f.RuleId == rule).Evidence.Select(e => (int)e.At.TotalMilliseconds)];

    /// <summary>Client frames at the given times; a null text is a binary frame.</summary>
    private static List<RuleFinding> Check(int welcomeAt, params (int At, string? Text)[] frames)
    {
        var clock = new ManualClock();
        var transcript = new Transcript(clock);
        transcript.Append(new ConnectionOpened(1, "gateway", "/gateway_v2", "", new Dictionary<string, string>()));
        var welcome = new FrameRecorded(1, Direction.ServerToClient, FrameKind.Text, """{"op":0,"d":{"message":"hi","heartbeat":45000}}""", null);
        var sent = frames.Select(f => (f.At, Frame: f.Text is null
            ? new FrameRecorded(1, Direction.ClientToServer, FrameKind.Binary, null, [0x01])
            : new FrameRecorded(1, Direction.ClientToServer, FrameKind.Text, f.Text, null)));
        foreach (var (at, frame) in sent.Append((At: welcomeAt, Frame: welcome)).OrderBy(f => f.At))
        {
            clock.AdvanceTo(TimeSpan.FromMilliseconds(at));
            transcript.Append(frame);
        }

        var scenario = TestScenarios.Parse("""
            id: listenmoe/test/timeline
            protocol: listenmoe
            rules: [listenmoe.frame.shape]
            steps:
              - wait: 1ms
            """);
        var context = new MonitorContext(scenario, transcript.Snapshot(), transcript.Now);
        return [.. ProtocolRegistry.Find("listenmoe")!.Monitors.OfType<ListenMoeFrameMonitor>().Single().Check(context)];
    }
}
