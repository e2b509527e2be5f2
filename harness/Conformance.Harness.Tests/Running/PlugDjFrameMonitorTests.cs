using Conformance.Harness.Monitors;
using Conformance.Harness.Protocols;
using Conformance.Harness.Scenarios;
using Conformance.Mocks.Transcripts;
using Conformance.Mocks.Wire;

namespace Conformance.Harness.Tests.Running;

/// <summary>
/// The plug.dj frame rules on made-up timelines: one connection opened at 0 with the right Origin, and client frames
/// carrying the mock's decisions as a test sets them.
/// </summary>
public sealed class PlugDjFrameMonitorTests
{
    [Test]
    public void Check_TInMilliseconds_BreaksOnlyTheTRule()
    {
        // Given a client that stamps its frames with Date.now()
        var findings = Check((10, """{"a":"auth","p":"tok","t":1437829673000}"""), (1500, """{"a":"chat","p":"hi","t":1437829674000}"""));

        // Then the t rule is broken (a SHOULD in the catalogue) and nothing else
        Assert.That(Broken(findings), Is.EquivalentTo(new[] { "plugdj.frame.t-seconds" }));
        Assert.That(findings.Single(f => f.Violated).Message, Does.Contain("2 of 2"));
    }

    [Test]
    public void Check_BogusButIntegerT_Passes()
    {
        // Given a birthday as t, as the seed says is safe
        var findings = Check((10, """{"a":"auth","p":"tok","t":19900101}"""));

        Assert.That(Broken(findings), Is.Empty);
    }

    [Test]
    public void Check_ChatBeforeAuthWithinTheDeadline_OnlyAdvisesOnAuthPrompt()
    {
        // Given a client whose first frame is a chat, and whose auth follows 100 ms later, well within the deadline
        var findings = Check((10, """{"a":"chat","p":"early","t":1}"""), (110, """{"a":"auth","p":"tok","t":1}"""));

        // Then auth.prompt is broken only as advice (auth should come first), not as a failure
        var prompt = findings.Where(f => f.RuleId == "plugdj.auth.prompt" && f.Violated).ToList();
        Assert.That(prompt, Has.Count.EqualTo(1));
        Assert.That(prompt[0].Advisory, Is.True, prompt[0].Message);
    }

    [Test]
    public void Check_AuthAfterTheDeadline_FailsAuthPrompt()
    {
        var findings = Check((5200, """{"a":"auth","p":"tok","t":1}"""));

        var prompt = findings.Single(f => f.RuleId == "plugdj.auth.prompt");
        Assert.That((prompt.Violated, prompt.Advisory), Is.EqualTo((true, false)));
    }

    [Test]
    public void Check_NoAuthBeforeTheHarnessStopsTheClient_IsNotJudged()
    {
        // Given a connection the harness stopped 1 s after it opened, before the 5 s deadline, with nothing sent
        var findings = Check(stoppingAt: 1000, end: 6000);

        Assert.That(findings.Where(f => f.RuleId == "plugdj.auth.prompt"), Is.Empty);
    }

    [Test]
    public void Check_ChatTheMockDecidedToDropForPace_FailsPacingWhateverItsDetailSays()
    {
        // Given a chat the mock dropped for its rate limit, with a detail that reads like an accepted message
        var findings = Check(
            (10, """{"a":"auth","p":"tok","t":1}""", null),
            (100, """{"a":"chat","p":"hi","t":1}""", new FrameDecision(FrameDecisionKind.DroppedRateLimit, "accepted, nothing dropped")));

        // Then the pacing rule is broken naming that chat, and the newline rule is not
        var pacing = findings.Single(f => f.RuleId == "plugdj.chat.pacing");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Broken(findings), Is.EquivalentTo(new[] { "plugdj.chat.pacing" }));
            Assert.That(pacing.Evidence.Select(e => e.Index), Is.EqualTo(new[] { 2 }));
        }
    }

    [Test]
    public void Check_ChatDroppedForANewlineWithARateLimitDetail_FailsOnlyTheNewlineRule()
    {
        // Given a chat the mock dropped for a newline, whose detail names the rate limit
        var findings = Check(
            (10, """{"a":"auth","p":"tok","t":1}""", null),
            (100, """{"a":"chat","p":"a\nb","t":1}""", new FrameDecision(FrameDecisionKind.DroppedNewline, "dropped: rate limit")));

        Assert.That(Broken(findings), Is.EquivalentTo(new[] { "plugdj.chat.no-newline" }));
    }

    [Test]
    public void Check_ChatsWithoutADecision_PassTheChatRulesWhateverTheirText()
    {
        // Given chats the mock acted on, one of them holding a newline (the mock's decision is what counts)
        var findings = Check(
            (10, """{"a":"auth","p":"tok","t":1}""", null),
            (100, """{"a":"chat","p":"dropped: rate limit","t":1}""", null),
            (200, """{"a":"chat","p":"a\nb","t":1}""", null));

        Assert.That(Broken(findings), Is.Empty);
    }

    [Test]
    public void Check_AuthRefusedByTheScenarioWithARejectedDetail_DoesNotBreakTheTokenRule()
    {
        // Given a valid token the scenario told the mock to refuse, with a detail that says "rejected"
        var refused = Check((10, """{"a":"auth","p":"tok","t":1}""", new FrameDecision(FrameDecisionKind.AuthRefusedByScenario, "rejected: unknown token")));

        // And a token the mock rejected, with a detail that does not
        var rejected = Check((10, """{"a":"auth","p":"tok","t":1}""", new FrameDecision(FrameDecisionKind.AuthRejected, "refused on purpose")));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Broken(refused), Is.Empty);
            Assert.That(Broken(rejected), Is.EquivalentTo(new[] { "plugdj.auth.token" }));
        }
    }

    [TestCase("https://plug.dj", false)]
    [TestCase("https://example.test", true)]
    public void Check_RefusedUpgrade_BreaksTheOriginRuleOnlyWithTheWrongOrigin(string origin, bool broken)
    {
        // Given a transcript where an upgrade was refused (a scenario's refuse step, or the mock's own Origin check)
        var clock = new ManualClock();
        var transcript = new Transcript(clock);
        transcript.Append(new ConnectionRefused("socket", "/socket", 503, "scripted (step 3): restarting")
        {
            Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Origin"] = origin },
        });
        var scenario = TestScenarios.Parse("""
            id: plugdj/test/refused
            protocol: plugdj
            rules: [plugdj.connect.origin]
            steps:
              - wait: 1ms
            """);

        // When the monitors check it
        var context = new MonitorContext(scenario, transcript.Snapshot(), transcript.Now);
        var findings = ProtocolRegistry.Find("plugdj")!.Monitors.SelectMany(m => m.Check(context)).ToList();

        // Then the refusal is the client's fault only when its Origin was wrong
        Assert.That(findings.Single(f => f.RuleId == "plugdj.connect.origin").Violated, Is.EqualTo(broken));
    }

    [TestCase(false, true)]
    [TestCase(true, false)]
    public void Check_NoAuthReadBeforeTheMockWentHalfOpen_IsNotJudged(bool halfOpen, bool judged)
    {
        // Given a connection with no auth read in 6 s; the mock stopped reading it at 1 s (a half-open fault), or not
        var clock = new ManualClock();
        var transcript = new Transcript(clock);
        transcript.Append(new ConnectionOpened(1, "socket", "/socket", "", new Dictionary<string, string> { ["Origin"] = "https://plug.dj" }));
        clock.AdvanceTo(TimeSpan.FromMilliseconds(1000));
        if (halfOpen)
        {
            transcript.Append(new WireFaultSent(1, HalfOpenFault.FaultName, new HalfOpenFault().Detail));
        }

        clock.AdvanceTo(TimeSpan.FromMilliseconds(6000));
        var context = new MonitorContext(Timeline, transcript.Snapshot(), transcript.Now);

        // When
        var findings = ProtocolRegistry.Find("plugdj")!.Monitors.SelectMany(m => m.Check(context));

        // Then an auth the mock never read is not held against the client: the deadline ran out after it stopped reading
        Assert.That(findings.Any(f => f.RuleId == "plugdj.auth.prompt" && f.Violated), Is.EqualTo(judged));
    }

    private static Scenario Timeline => TestScenarios.Parse("""
        id: plugdj/test/timeline
        protocol: plugdj
        rules: [plugdj.auth.prompt]
        steps:
          - wait: 1ms
        """);

    private static string[] Broken(IEnumerable<RuleFinding> findings) => [.. findings.Where(f => f.Violated).Select(f => f.RuleId).Distinct()];

    private static List<RuleFinding> Check(params (int At, string Text)[] frames) => Check(null, 2000, [.. frames.Select(f => (f.At, f.Text, (FrameDecision?)null))]);

    private static List<RuleFinding> Check(params (int At, string Text, FrameDecision? Decision)[] frames) => Check(null, 2000, frames);

    private static List<RuleFinding> Check(int? stoppingAt, int end, params (int At, string Text, FrameDecision? Decision)[] frames)
    {
        var clock = new ManualClock();
        var transcript = new Transcript(clock);
        transcript.Append(new ConnectionOpened(1, "socket", "/socket", "", new Dictionary<string, string> { ["Origin"] = "https://plug.dj" }));
        foreach (var (at, text, decision) in frames)
        {
            clock.AdvanceTo(TimeSpan.FromMilliseconds(at));
            var frame = new FrameRecorded(1, Direction.ClientToServer, FrameKind.Text, text, null);
            transcript.Append(decision is null ? frame : frame.Decide(decision));
        }

        clock.AdvanceTo(TimeSpan.FromMilliseconds(Math.Max(end, frames.Select(f => f.At).DefaultIfEmpty(0).Max())));
        var context = new MonitorContext(Timeline, transcript.Snapshot(), transcript.Now)
        {
            ClientStoppingAt = stoppingAt is { } s ? TimeSpan.FromMilliseconds(s) : null,
        };
        return [.. ProtocolRegistry.Find("plugdj")!.Monitors.SelectMany(m => m.Check(context))];
    }
}
