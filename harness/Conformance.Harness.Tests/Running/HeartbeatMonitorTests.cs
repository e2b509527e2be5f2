using Conformance.Harness.Monitors;
using Conformance.Harness.Protocols;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Tests.Running;

/// <summary>The LISTEN.moe heartbeat rules on made-up timelines (welcome at 0 advertising 200 ms).</summary>
public sealed class HeartbeatMonitorTests
{
    private const string FirstBeat = "listenmoe.heartbeat.first-beat";
    private const string Period = "listenmoe.heartbeat.period";

    [Test]
    public void Check_BeatsOnTheInterval_PassesWithStats()
    {
        var findings = Check(beats: [0, 200, 400, 600, 800, 1000], end: 1100);

        Assert.That(findings[FirstBeat].Violated, Is.False);
        Assert.That(findings[Period].Violated, Is.False);
        var stats = findings[Period].Timing!;
        Assert.That((stats.Samples, stats.Median, stats.Max), Is.EqualTo((5, Ms(200), Ms(200))));
        Assert.That(stats.Margin, Is.EqualTo(Ms(50)), "median 200 against a ±25% band leaves 50 ms");
    }

    [Test]
    public void Check_BeatsAtTwiceTheInterval_FailsPeriodOnly()
    {
        var findings = Check(beats: [0, 400, 800, 1200], end: 1300);

        Assert.That(findings[FirstBeat].Violated, Is.False);
        Assert.That(findings[Period].Violated, Is.True);
        Assert.That(findings[Period].Message, Does.Contain("median gap 400ms").And.Contain("missed beat"));
    }

    [Test]
    public void Check_TwoSlowGaps_AreNotJudgedAsAPeriodYet()
    {
        var findings = Check(beats: [0, 280, 560], end: 600);

        Assert.That(findings[Period].Violated, Is.False, findings[Period].Message);
    }

    [Test]
    public void Check_ThreeGapsThirtyPercentSlow_FailMedianBand()
    {
        var findings = Check(beats: [0, 260, 520, 780], end: 800);

        Assert.That(findings[Period].Violated, Is.True);
        Assert.That(findings[Period].Message, Does.Contain("median gap 260ms").And.Not.Contain("missed"));
    }

    [Test]
    public void Check_OneMissedBeat_FailsPeriodNamingTheGap()
    {
        var findings = Check(beats: [0, 200, 400, 800, 1000, 1200], end: 1300);

        Assert.That(findings[Period].Violated, Is.True);
        Assert.That(findings[Period].Message, Does.Contain("missed beat: 400ms"));
        Assert.That(findings[Period].Evidence.Single().At, Is.EqualTo(Ms(800)));
    }

    [Test]
    public void Check_EarlyBeat_FailsPeriod()
    {
        var findings = Check(beats: [0, 200, 220, 400, 600, 800], end: 900);

        Assert.That(findings[Period].Violated, Is.True);
        Assert.That(findings[Period].Message, Does.Contain("early beat: 20ms"));
    }

    [Test]
    public void Check_NoBeatForTwoIntervals_FailsFirstBeatOnly()
    {
        var findings = Check(beats: [], end: 450);

        Assert.That(findings.Keys, Is.EquivalentTo(new[] { FirstBeat }));
        Assert.That(findings[FirstBeat].Violated, Is.True);
    }

    [Test]
    public void Check_ConnectionShorterThanTheAllowance_JudgesNothing()
    {
        var findings = Check(beats: [], end: 250);

        Assert.That(findings, Is.Empty);
    }

    [Test]
    public void Check_FirstBeatAfterOneAndAHalfIntervals_FailsFirstBeat()
    {
        var findings = Check(beats: [320, 520, 720], end: 800);

        Assert.That(findings[FirstBeat].Violated, Is.True);
        Assert.That(findings[FirstBeat].Message, Does.Contain("320ms"));
    }

    [Test]
    public void Check_ClientStopsBeatingLongBeforeTheEnd_FailsPeriodAsMissed()
    {
        var findings = Check(beats: [0, 200, 400], end: 1000);

        Assert.That(findings[Period].Violated, Is.True);
        Assert.That(findings[Period].Message, Does.Contain("missed beat: 600ms"));
    }

    private static Dictionary<string, RuleFinding> Check(int[] beats, int end)
    {
        var clock = new ManualClock();
        var transcript = new Transcript(clock);
        transcript.Append(new ConnectionOpened(1, "gateway", "/gateway_v2", "", new Dictionary<string, string>()));
        transcript.Append(new FrameRecorded(1, Direction.ServerToClient, FrameKind.Text, """{"op":0,"d":{"message":"hi","heartbeat":200}}""", null));
        foreach (var beat in beats)
        {
            clock.AdvanceTo(Ms(beat));
            transcript.Append(new FrameRecorded(1, Direction.ClientToServer, FrameKind.Text, """{"op":9}""", null));
        }

        clock.AdvanceTo(Ms(end));
        transcript.Append(new ConnectionClosed(1, CloseInitiator.Client, 1000, null));
        var module = ProtocolRegistry.Find("listenmoe")!;
        var scenario = TestScenarios.Parse("""
            id: listenmoe/test/timeline
            protocol: listenmoe
            rules: [listenmoe.heartbeat.period]
            steps:
              - wait: 1ms
            """);
        var context = new MonitorContext(scenario, transcript.Snapshot(), transcript.Now);
        return module.Monitors.OfType<HeartbeatMonitor>().Single().Check(context).ToDictionary(f => f.RuleId);
    }

    private static TimeSpan Ms(int ms) => TimeSpan.FromMilliseconds(ms);
}
