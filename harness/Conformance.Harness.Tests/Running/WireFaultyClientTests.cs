using Conformance.Fixtures;
using Conformance.Harness.Clients;
using Conformance.Harness.Running;

namespace Conformance.Harness.Tests.Running;

/// <summary>
/// Broken fixtures test the wire scenarios: stock WebSocket libraries get RFC 6455 right, so the faults there need a
/// client with WebSocket code of its own. raw-client.js speaks WebSocket over a raw TCP socket and, without a fault,
/// passes every wire scenario; each of its faults (and plug.dj's ignore-silence) is caught, at the rule's level, by the
/// scenario built for it, and by no other rule.
/// </summary>
[Parallelizable(ParallelScope.Children)]
[Category("e2e")]
public sealed class WireFaultyClientTests
{
    /// <summary>
    /// The witness of a fault that keeps the welcome from being read: the only thing a LISTEN.moe client sends on its
    /// own is the heartbeat that answers the welcome, so a client that never reads the welcome also never beats, and
    /// the heartbeat monitor reports that too (after three silent intervals for certain, before that a lateness the
    /// harness excuses on a busy machine).
    /// </summary>
    private const string NoWelcomeNoBeat = "listenmoe.heartbeat.first-beat";

    private static readonly string[] WireScenarios =
    [
        "bad-close-code", "close-unanswered", "dribble", "empty-close", "fragments", "invalid-utf8", "jitter", "oversize",
        "ping-flood", "reserved-bits", "reset", "stall", "unknown-opcode",
    ];

    private static IEnumerable<TestCaseData> Faults()
    {
        yield return Case("no-reassembly", "listenmoe/wire/fragments", "listenmoe.websocket.fragments", Verdict.Fail, NoWelcomeNoBeat);
        yield return Case("one-read-one-frame", "listenmoe/wire/stall", "listenmoe.websocket.stream", Verdict.Fail, NoWelcomeNoBeat);
        yield return Case("one-read-one-frame", "listenmoe/wire/dribble", "listenmoe.websocket.stream", Verdict.Fail, NoWelcomeNoBeat);
        yield return Case("no-pong", "listenmoe/wire/ping-flood", "listenmoe.websocket.pong", Verdict.Fail);
        yield return Case("lenient-utf8", "listenmoe/wire/invalid-utf8", "listenmoe.websocket.utf8", Verdict.Fail);
        yield return Case("ignore-rsv", "listenmoe/wire/reserved-bits", "listenmoe.websocket.reserved-bits", Verdict.Fail);
        yield return Case("ignore-opcode", "listenmoe/wire/unknown-opcode", "listenmoe.websocket.opcode", Verdict.Fail);
        yield return Case("echo-close-code", "listenmoe/wire/bad-close-code", "listenmoe.websocket.close-code", Verdict.Warn);
        yield return Case("no-close-reply", "listenmoe/wire/empty-close", "listenmoe.websocket.close-reply", Verdict.Fail);
        yield return Case("wait-close-forever", "listenmoe/wire/close-unanswered", "listenmoe.websocket.close-timeout", Verdict.Warn);
        yield return Case("crash-on-large", "listenmoe/wire/oversize", "listenmoe.websocket.large-message", Verdict.Warn);
        yield return Case("beat-on-ack", "listenmoe/wire/jitter", "listenmoe.heartbeat.period", Verdict.Fail);
        yield return Case("no-reconnect-on-reset", "listenmoe/wire/reset", "listenmoe.reconnect", Verdict.Warn);
        yield return Case("ignore-silence", "plugdj/socket/half-open", "plugdj.reconnect", Verdict.Warn);
    }

    private static IEnumerable<TestCaseData> Wire() =>
        WireScenarios.Select(name => new TestCaseData($"listenmoe/wire/{name}").SetArgDisplayNames($"listenmoe/wire/{name}"));

    [TestCaseSource(nameof(Faults))]
    public async Task Scenario_FaultyClient_IsCaughtByTheRuleItBreaks(string fault, string scenarioId, string rule, Verdict level, string? witness)
    {
        // Given the scenario built for a wire fault, and a client with that fault declaring the features it has
        var protocol = scenarioId[..scenarioId.IndexOf('/', StringComparison.Ordinal)];
        var scenario = TestScenarios.Suite(protocol).Single(s => s.Id == scenarioId);
        var client = protocol == "plugdj" ? FixturePaths.PlugDjNode(fault) : FixturePaths.ListenMoeRaw(fault);
        var runner = new ScenarioRunner(new RunOptions { Features = FixtureFeatures.Reference(protocol) });

        // When the scenario runs against it
        var result = await runner.RunAsync(scenario, new ClientSpec(client));

        // Then the rule it breaks is reported at its level, and no other rule but the witness through which the scenario
        // sees the fault; a timing rule the harness could not judge on a busy machine says nothing either way
        var broken = result.Broken.Where(b => !b.Inconclusive).ToList();
        var report = result.Explain();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Errors, Is.Empty, report);
            Assert.That(broken.Select(b => b.Rule.Id).Where(id => id != witness), Is.EquivalentTo(new[] { rule }), report);
            Assert.That(broken.FirstOrDefault(b => b.Rule.Id == rule)?.Verdict, Is.EqualTo(level), report);
        }
    }

    [TestCaseSource(nameof(Wire))]
    public async Task Scenario_RawClientWithoutFault_Passes(string scenarioId)
    {
        // Given a wire scenario and the raw-socket client without a fault
        var scenario = TestScenarios.Suite("listenmoe").Single(s => s.Id == scenarioId);
        var runner = new ScenarioRunner(new RunOptions { Features = FixtureFeatures.ListenMoeReference });

        // When the scenario runs against it
        var result = await runner.RunAsync(scenario, new ClientSpec(FixturePaths.ListenMoeRaw()));

        // Then no rule is broken: its own frame reader holds where the reference clients' libraries do
        var report = result.Explain();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Errors, Is.Empty, report);
            Assert.That(result.Broken.Where(b => !b.Inconclusive).Select(b => b.Rule.Id), Is.Empty, report);
        }
    }

    private static TestCaseData Case(string fault, string scenarioId, string rule, Verdict level, string? witness = null) =>
        new TestCaseData(fault, scenarioId, rule, level, witness).SetArgDisplayNames($"{scenarioId} {fault}");
}
