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

    [Test]
    public void Check_OneStallWithTheNextBeatBackOnSchedule_IsNeitherMissedNorEarly()
    {
        // Given a beat held up 130 ms by a stall, and the next one sent on its original schedule; and another client
        // held up 330 ms, which sends the overdue beat and the one due meanwhile back to back, then keeps its schedule
        var brief = Check(beats: [0, 200, 400, 730, 800, 1000, 1200], end: 1300);
        var longer = Check(beats: [0, 200, 400, 930, 935, 1000, 1200, 1400], end: 1500);

        // Then the period holds, and the report says a stall was absorbed
        Assert.That(brief[Period].Violated, Is.False, brief[Period].Message);
        Assert.That(brief[Period].Message, Does.Contain("1 single stall"));
        Assert.That(longer[Period].Violated, Is.False, longer[Period].Message);
        Assert.That(longer[Period].Message, Does.Contain("1 single stall"));
    }

    [Test]
    public void Check_LateBeatWhoseNextBeatDoesNotCatchUp_IsAMissedBeat()
    {
        // Given a beat 430 ms late and the next one only 70 ms after it: together 700 ms, not the two intervals kept
        var findings = Check(beats: [0, 200, 400, 1030, 1100, 1300, 1500], end: 1600);

        // Then the long gap is a missed beat
        Assert.That(findings[Period].Violated, Is.True);
        Assert.That(findings[Period].Message, Does.Contain("missed beat: 630ms"));
    }

    [Test]
    public void Check_ShortIntervalJitterWithinTheFloor_Passes()
    {
        // Given a 100 ms interval (25% is 25 ms) and a client 40 ms off now and then
        var findings = Check(beats: [0, 140, 200, 340, 400, 500, 600], end: 650, interval: 100);

        // Then the 50 ms jitter floor keeps the median band and the missed limit clear
        Assert.That(findings[Period].Violated, Is.False, findings[Period].Message);
    }

    [Test]
    public void Check_PeriodSomewhatShorterThanAdvertised_OnlyWarns()
    {
        // Given a client that beats every 120 ms against 200 ms advertised (early on purpose)
        var findings = Check(beats: [0, 120, 240, 360, 480, 600], end: 650);

        // Then the period rule is broken, but only as advice
        Assert.That(findings[Period].Violated, Is.True);
        Assert.That(findings[Period].Advisory, Is.True, findings[Period].Message);
        Assert.That(findings[Period].Message, Does.Contain("median gap 120ms is shorter"));
    }

    [Test]
    public void Check_PeriodUnderAQuarterInterval_Fails()
    {
        // Given a client beating every 20 ms against 200 ms advertised (the interval read in the wrong unit)
        var findings = Check(beats: [0, 20, 40, 60, 80, 100, 120], end: 130);

        // Then that is no advice: the period fails
        Assert.That(findings[Period].Violated, Is.True);
        Assert.That(findings[Period].Advisory, Is.False);
        Assert.That(findings[Period].Message, Does.Contain("under a quarter"));
    }

    [Test]
    public void Check_BeatsStopWhenTheHarnessStopsTheClient_NoMissedBeat()
    {
        // Given a client that beat until the harness began stopping it at 610 ms, and closed at 1000 ms
        var findings = Check(beats: [0, 200, 400, 600], end: 1000, stoppingAt: 610);

        // Then the silence after the stop is not a missed beat
        Assert.That(findings[Period].Violated, Is.False, findings[Period].Message);
    }

    [Test]
    public void Check_MissedBeatWhileTheMachineWasOverloaded_IsInconclusive()
    {
        // Given one missed beat in a window where the harness's own timer ran 120 ms late
        var busy = new LoadReading(TimeSpan.FromMilliseconds(120), 0.8, 10);
        var findings = Check(beats: [0, 200, 400, 800, 1000, 1200], end: 1300, load: (from, to) => to <= Ms(800) && from >= Ms(400) ? busy : Idle);

        // Then the harness cannot blame the client, and says why
        Assert.That(findings[Period].Violated, Is.True);
        Assert.That(findings[Period].Inconclusive, Is.True);
        Assert.That(findings[Period].Message, Does.Contain("too busy to judge timing").And.Contain("lag up to 120ms").And.Contain("80 %"));
    }

    [TestCase(true, true)]
    [TestCase(false, false)]
    public void Check_TwoBeatsReadAtOnceAfterTheMachineWasBusy_IsInconclusive(bool busyBefore, bool inconclusive)
    {
        // Given a first beat read late, at 195 ms, together with the next one, and the schedule after; the machine
        // overloaded before the first beat was read (in the first 150 ms), or idle throughout
        var busy = new LoadReading(TimeSpan.FromMilliseconds(150), 0.9, 10);
        var findings = Check(beats: [195, 195, 390, 590], end: 700, load: (from, _) => busyBefore && from < Ms(150) ? busy : Idle);

        // Then the early beat is the harness reading late when it was busy, and the client's otherwise
        Assert.That(findings[Period].Violated, Is.True, findings[Period].Message);
        Assert.That(findings[Period].Inconclusive, Is.EqualTo(inconclusive), findings[Period].Message);
    }

    [Test]
    public void Check_MissedBeatOnAnIdleMachine_StaysAFailure()
    {
        var findings = Check(beats: [0, 200, 400, 800, 1000, 1200], end: 1300, load: (_, _) => Idle);

        Assert.That(findings[Period].Violated, Is.True);
        Assert.That(findings[Period].Inconclusive, Is.False);
    }

    [Test]
    public void Check_TwiceTheIntervalOnAnOverloadedMachine_StillFails()
    {
        // Given a client that beats at twice the interval throughout, while the machine is overloaded throughout
        var busy = new LoadReading(TimeSpan.FromMilliseconds(300), 1, 10);
        var findings = Check(beats: [0, 400, 800, 1200, 1600], end: 1700, load: (_, _) => busy);

        // Then a period wrong from start to end is the client's, whatever the load
        Assert.That(findings[Period].Violated, Is.True);
        Assert.That(findings[Period].Inconclusive, Is.False, findings[Period].Message);
    }

    [Test]
    public void Check_NoBeatAtAllForManyIntervalsOnAnOverloadedMachine_StillFails()
    {
        var busy = new LoadReading(TimeSpan.FromMilliseconds(300), 1, 10);
        var findings = Check(beats: [], end: 1000, load: (_, _) => busy);

        Assert.That(findings[FirstBeat].Violated, Is.True);
        Assert.That(findings[FirstBeat].Inconclusive, Is.False);
    }

    [Test]
    public void Check_LongStallThenABurstWhileOverloaded_IsInconclusiveNotAWrongPeriod()
    {
        // Given beats every 200 ms, then nothing read for 1.4 s while the machine was overloaded, then the seven beats
        // the client sent meanwhile read at once, then the schedule again
        var busy = new LoadReading(TimeSpan.FromMilliseconds(400), 0.9, 10);
        var findings = Check(
            beats: [0, 200, 400, 1800, 1800, 1800, 1800, 1800, 1800, 1800, 2000, 2200],
            end: 2300,
            load: (from, to) => from >= Ms(400) && to <= Ms(1800) ? busy : Idle);

        // Then the harness cannot judge the period: not a median of 0 ms, not a missed beat, but too busy
        Assert.That(findings[Period].Violated, Is.True, findings[Period].Message);
        Assert.That(findings[Period].Inconclusive, Is.True, findings[Period].Message);
        Assert.That(findings[Period].Message, Does.Contain("1400ms stall").And.Contain("too busy to judge timing"));
    }

    [Test]
    public void Check_StallThenABurstReadLateByTheHarness_IsInconclusiveNotAWrongPeriod()
    {
        // Given beats every 300 ms, then nothing read for 979 ms while the harness's own timer lagged 516 ms, then two
        // beats read at once with the one that ended the stall (as a CI run on two busy cores saw): three gaps that keep
        // the schedule only within the band plus the harness's lag
        var busy = new LoadReading(TimeSpan.FromMilliseconds(516), 0.01, 10);
        var findings = Check(
            beats: [0, 300, 600, 1579, 1579, 1579],
            end: 1700,
            interval: 300,
            load: (from, to) => from >= Ms(600) && to <= Ms(1579) ? busy : Idle);

        // Then the harness cannot judge the period: not a median of 0 ms read as a wrong unit, but too busy
        Assert.That(findings[Period].Violated, Is.True, findings[Period].Message);
        Assert.That(findings[Period].Inconclusive, Is.True, findings[Period].Message);
    }

    [Test]
    public void Check_LongStallThenABurstOnAnIdleMachine_StaysAFailure()
    {
        // Given the same beats on a machine the harness saw idle: the client itself went quiet, then flooded
        var findings = Check(beats: [0, 200, 400, 1800, 1800, 1800, 1800, 1800, 1800, 1800, 2000, 2200], end: 2300, load: (_, _) => Idle);

        // Then it is the client's failure
        Assert.That(findings[Period].Violated, Is.True);
        Assert.That(findings[Period].Inconclusive, Is.False, findings[Period].Message);
    }

    private static readonly LoadReading Idle = new(TimeSpan.FromMilliseconds(1), 0.02, 10);

    /// <summary>The findings of one rule, merged as the verdict sees them.</summary>
    private sealed record Judged(bool Violated, bool Advisory, bool Inconclusive, string Message, IReadOnlyList<TranscriptEntry> Evidence, TimingStats? Timing);

    private static Dictionary<string, Judged> Check(
        int[] beats, int end, int interval = 200, int? stoppingAt = null, Func<TimeSpan, TimeSpan, LoadReading?>? load = null)
    {
        var clock = new ManualClock();
        var transcript = new Transcript(clock);
        transcript.Append(new ConnectionOpened(1, "gateway", "/gateway_v2", "", new Dictionary<string, string>()));
        transcript.Append(new FrameRecorded(1, Direction.ServerToClient, FrameKind.Text, $$$"""{"op":0,"d":{"message":"hi","heartbeat":{{{interval}}}}}""", null));
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
        var context = new MonitorContext(scenario, transcript.Snapshot(), transcript.Now)
        {
            ClientStoppingAt = stoppingAt is { } s ? Ms(s) : null,
            Load = load ?? ((_, _) => null),
        };
        return module.Monitors.OfType<HeartbeatMonitor>().Single().Check(context).GroupBy(f => f.RuleId).ToDictionary(
            g => g.Key,
            g =>
            {
                var broken = g.Where(f => f.Violated).ToList();
                return new Judged(
                    broken.Count > 0,
                    broken.Count > 0 && broken.All(f => f.Advisory),
                    broken.Count > 0 && broken.All(f => f.Inconclusive),
                    string.Join("; ", g.Select(f => f.Message)),
                    [.. g.SelectMany(f => f.Evidence)],
                    g.Select(f => f.Timing).LastOrDefault(t => t is not null));
            });
    }

    private static TimeSpan Ms(int ms) => TimeSpan.FromMilliseconds(ms);
}
