using Conformance.Harness.Monitors;
using Conformance.Harness.Scenarios;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Tests.Running;

/// <summary>
/// The reconnect pace on made-up timelines: a connection ends at 1000 ms, then the client's attempts come at the given
/// times, each refused but the last. Storm and backoff are separate rules, as a scenario's <c>expect_reconnects</c> names them.
/// </summary>
public sealed class ReconnectTimingTests
{
    private const string StormRule = "test.reconnect.storm";
    private const string BackoffRule = "test.reconnect.backoff";
    private static readonly ReconnectStorm Storm = new(Ms(100), 5, TimeSpan.FromSeconds(1));
    private static readonly ReconnectBackoff Backoff = new(Grows: true, Max: Ms(5000));

    [Test]
    public void Judge_DoublingBackoff_PassesBothRulesListingTheWaits()
    {
        // Given attempts 250, 500, 1000 and 2000 ms apart (the reference clients' backoff)
        var findings = Judge(1250, 1750, 2750, 4750);

        // Then neither rule is broken, and the message lists each attempt with its time and wait
        using (Assert.EnterMultipleScope())
        {
            Assert.That(findings.Select(f => f.Violated), Has.All.False);
            Assert.That(findings[0].Message, Does.Contain("refused 503 /ws at 1250ms (+250ms)").And.Contain("connection 2 /ws at 4750ms (+2000ms)"));
        }
    }

    [Test]
    public void Judge_AttemptsAtOnce_BreakTheStormRuleOnlyNamingTheGaps()
    {
        // Given attempts 2 ms apart, straight after the drop
        var findings = Judge(1002, 1004, 1006, 1008);

        // Then the storm rule is broken with the attempts and what was expected; the backoff is not judged on a storm
        var storm = findings.Single(f => f.RuleId == StormRule);
        var backoff = findings.Single(f => f.RuleId == BackoffRule);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(storm.Violated, Is.True);
            Assert.That(storm.Message, Does.Contain("expected no attempt within 100ms of the one before (under 50ms counts, for jitter)"));
            Assert.That(storm.Message, Does.Contain("#2 came 2ms after the drop").And.Contain("(+2ms)"));
            Assert.That(storm.Evidence, Has.Count.EqualTo(4));
            Assert.That(backoff.Violated, Is.False);
            Assert.That(backoff.Message, Does.Contain("not judged: the attempts came as a storm"));
        }
    }

    [Test]
    public void Judge_SixAttemptsInASecond_BreakTheStormLimitEvenWithWaitsOverTheMinimum()
    {
        // Given attempts 150 ms apart: each wait is over the minimum, but six come within a second
        var findings = Judge(1150, 1300, 1450, 1600, 1750, 1900);

        // Then the storm rule names the attempt that was one too many in its window
        var storm = findings.Single(f => f.RuleId == StormRule);
        Assert.That(storm.Violated, Is.True);
        Assert.That(storm.Message, Does.Contain("#7 was the 6th attempt in 750ms (from #2)"));
    }

    [Test]
    public void Judge_FlatBackoff_BreaksTheBackoffRuleOnly()
    {
        // Given the same 500 ms before every attempt
        var findings = Judge(1500, 2000, 2500, 3000);

        // Then the backoff rule says the waits never grew; the storm rule passes
        var backoff = findings.Single(f => f.RuleId == BackoffRule);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(findings.Single(f => f.RuleId == StormRule).Violated, Is.False);
            Assert.That(backoff.Violated, Is.True);
            Assert.That(backoff.Message, Does.Contain("never grew: 500ms, 500ms, 500ms"));
        }
    }

    [Test]
    public void Judge_FixedWaitAtTheCap_PassesTheBackoffRule()
    {
        // Given a client that waits 5 s every time (the LISTEN.moe usage sample), the cap the rule states
        var findings = Judge(6000, 11000, 16000, 21000);

        // Then a wait already at the cap needs not grow
        Assert.That(findings.Select(f => f.Violated), Has.All.False, string.Join("\n", findings.Select(f => f.Message)));
    }

    [Test]
    public void Judge_WaitBeyondTheCapAndItsJitterAllowance_BreaksTheBackoffRule()
    {
        // Given a backoff that keeps doubling, past 5 s plus 25 %
        var findings = Judge(2000, 4000, 8000, 16000);

        // Then the attempt after the 8 s wait is named
        var backoff = findings.Single(f => f.RuleId == BackoffRule);
        Assert.That(backoff.Violated, Is.True);
        Assert.That(backoff.Message, Does.Contain("#5 came 8000ms after #4").And.Contain("no wait longer than 5000ms (over 6250ms counts, for jitter)"));
    }

    [Test]
    public void Judge_ShrinkingWait_BreaksTheBackoffRule()
    {
        // Given waits of 250, 1000 and then 300 ms
        var findings = Judge(1250, 2250, 2550, 4550);

        // Then the shorter wait is named
        var backoff = findings.Single(f => f.RuleId == BackoffRule);
        Assert.That(backoff.Violated, Is.True);
        Assert.That(backoff.Message, Does.Contain("the wait before #4 (300ms) was shorter than the one before it (1000ms)"));
    }

    [Test]
    public void Judge_OneAttemptTooSoonWhileTheHarnessLagged_IsInconclusive()
    {
        // Given one attempt 20 ms after the drop, then a doubling backoff, measured while the harness's own timer lagged 80 ms
        var findings = Judge([1020, 1520, 2520, 4520], (_, _) => new LoadReading(Ms(80), CpuPressure: null, Samples: 10));

        // Then the harness may have stamped an attempt late: the one-off is inconclusive and says why
        var storm = findings.Single(f => f.RuleId == StormRule);
        Assert.That((storm.Violated, storm.Inconclusive), Is.EqualTo((true, true)));
        Assert.That(storm.Message, Does.StartWith("the machine was too busy to judge timing (harness timer lag up to 80ms"));
    }

    [Test]
    public void Judge_OneAttemptTooSoonWhileOnlyTheCpuWasUnderPressure_IsStillTheClients()
    {
        // Given the same attempt, while the CPU was under pressure but the harness kept its own time
        var findings = Judge([1020, 1520, 2520, 4520], (_, _) => new LoadReading(Ms(1), CpuPressure: 0.9, Samples: 10));

        // Then load on the client cannot make its waits shorter: the storm is certain
        var storm = findings.Single(f => f.RuleId == StormRule);
        Assert.That((storm.Violated, storm.Inconclusive), Is.EqualTo((true, false)));
    }

    [Test]
    public void Judge_WaitsThatNeverGrewWhileTheHarnessLagged_AreStillTheClients()
    {
        // Given three waits of 500 ms after refusals, measured while the harness lagged
        var findings = Judge([1500, 2000, 2500, 3000], (_, _) => new LoadReading(Ms(80), CpuPressure: 0.9, Samples: 10));

        // Then a schedule that never grew over three waits is a pattern no load explains
        var backoff = findings.Single(f => f.RuleId == BackoffRule);
        Assert.That((backoff.Violated, backoff.Inconclusive), Is.EqualTo((true, false)));
    }

    [Test]
    public void Judge_WaitBeyondTheCapWhileTheCpuWasUnderPressure_IsInconclusive()
    {
        // Given one wait past the cap, while the CPU was under pressure (the client may have been starved)
        var findings = Judge([1250, 1750, 2750, 9750], (_, _) => new LoadReading(Ms(1), CpuPressure: 0.9, Samples: 10));

        // Then the harness cannot tell a slow client from a starved one
        var backoff = findings.Single(f => f.RuleId == BackoffRule);
        Assert.That((backoff.Violated, backoff.Inconclusive), Is.EqualTo((true, true)));
    }

    [Test]
    public void Judge_OneWaitAfterAFailure_DoesNotJudgeGrowth()
    {
        // Given one refused attempt, then one accepted
        var findings = Judge(1250, 1750);

        // Then growth needs two waits after failures, and nothing is broken
        var backoff = findings.Single(f => f.RuleId == BackoffRule);
        Assert.That(backoff.Violated, Is.False);
        Assert.That(backoff.Message, Does.Contain("growth not judged: 1 wait(s) after a failed attempt, 2 needed"));
    }

    private static List<RuleFinding> Judge(params int[] attemptsMs) => Judge(attemptsMs, static (_, _) => null);

    /// <summary>A connection that ends at 1000 ms, then attempts at <paramref name="attemptsMs"/>: all refused but the last.</summary>
    private static List<RuleFinding> Judge(int[] attemptsMs, Func<TimeSpan, TimeSpan, LoadReading?> load)
    {
        var clock = new ManualClock();
        var transcript = new Transcript(clock);
        transcript.Append(new ConnectionOpened(1, "ws", "/ws", "", new Dictionary<string, string>()));
        clock.AdvanceTo(Ms(1000));
        var ended = transcript.Append(new ConnectionClosed(1, CloseInitiator.ServerDropped, null, null));
        var attempts = new List<TranscriptEntry>();
        for (var i = 0; i < attemptsMs.Length; i++)
        {
            clock.AdvanceTo(Ms(attemptsMs[i]));
            attempts.Add(i < attemptsMs.Length - 1
                ? transcript.Append(new ConnectionRefused("ws", "/ws", 503, "scripted (step 2)"))
                : transcript.Append(new ConnectionOpened(2, "ws", "/ws", "", new Dictionary<string, string>())));
        }

        var seen = new ReconnectAttempts(ended.At, "the drop", attempts);
        return [.. ReconnectTiming.Judge(seen, Storm, StormRule, Backoff, BackoffRule, load)];
    }

    private static TimeSpan Ms(int ms) => TimeSpan.FromMilliseconds(ms);
}
