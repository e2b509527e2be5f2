using Conformance.Fixtures;
using Conformance.Harness.Clients;
using Conformance.Harness.Protocols;
using Conformance.Harness.Running;
using Conformance.Harness.Scenarios;
using Conformance.Harness.Snapshots;
using Conformance.Mocks.Chaos;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Tests.Chaos;

/// <summary>
/// Seeded chaos against the LISTEN.moe reference client: the same seed replays the same chaos and the same snapshot; a
/// failing run (a client that never reconnects) shrinks to the event that breaks it, printed as a scenario that still
/// fails.
/// </summary>
[Category("e2e")]
[Parallelizable(ParallelScope.Children)]
public sealed class ChaosRunTests
{
    private const string Replayed = """
        id: listenmoe/chaos/replayed
        protocol: listenmoe
        title: Chaos from the run's seed
        rules: [listenmoe.connect.endpoint, listenmoe.heartbeat.period]
        mock:
          heartbeatInterval: 250ms
        steps:
          - chaos: { duplicate: 0.2, reorder: 0.2, delay: 0.4, delay_range: 5ms..60ms }
          - expect_connect: { path: /gateway_v2, within: 15s, rule: listenmoe.connect.endpoint }
          - wait: 2s
        """;

    private const string Breaking = """
        id: listenmoe/chaos/breaking
        protocol: listenmoe
        title: Chaos that drops and resets, then the client must be connected
        rules: [listenmoe.connect.endpoint, listenmoe.reconnect]
        mock:
          heartbeatInterval: 250ms
        steps:
          - chaos: { drop: 0.04, reset: 0.04, duplicate: 0.2, reorder: 0.2, delay: 0.3 }
          - expect_connect: { path: /gateway_v2, within: 15s, rule: listenmoe.connect.endpoint }
          - wait: 3s
          - chaos: {}
          - wait: 1500ms
          - expect_alive: { for: 300ms, rule: listenmoe.reconnect }
        """;

    [Test]
    public async Task Run_SameSeedTwice_SameChaosAndTheSameSnapshot_AnotherSeedOtherChaos()
    {
        // Given a chaos scenario that takes the run's seed, and the reference client
        var scenario = TestScenarios.Parse(Replayed);
        var client = new ClientSpec(FixturePaths.ListenMoeCSharp());

        // When it runs twice with seed 4242 and once with 4243
        var first = await RunAsync(scenario, client, 4242);
        var again = await RunAsync(scenario, client, 4242);
        var other = await RunAsync(scenario, client, 4243);

        // Then the events match message for message (as far as both runs sent messages: the last ack may fall either
        // side of the end) and the snapshots are equal; the other seed strikes other messages
        var module = ProtocolRegistry.Find("listenmoe")!;
        var (a, b) = (Events(first), Events(again));
        var shared = Math.Min(a.Count, b.Count);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Verdict, Is.EqualTo(Verdict.Pass), first.Explain());
            Assert.That(a, Has.Count.GreaterThanOrEqualTo(5), "chaos struck");
            Assert.That(Math.Abs(a.Count - b.Count), Is.LessThanOrEqualTo(1));
            Assert.That(b.Take(shared), Is.EqualTo(a.Take(shared)));
            Assert.That(SnapshotRenderer.Render(again, module), Is.EqualTo(SnapshotRenderer.Render(first, module)));
            Assert.That(Events(other).Take(shared), Is.Not.EqualTo(a.Take(shared)));
            Assert.That(first.Transcript.OfType<ChaosSet>().First().Settings.Seed, Is.EqualTo(4242), "the seed is recorded");
        }
    }

    [Test]
    public async Task Shrink_ClientThatNeverReconnects_EndsWithTheOneDropOrResetAndAScenarioThatStillFails()
    {
        // Given a chaos run that a client without reconnects fails (seed 893057810 resets connection 1 within the window)
        var scenario = TestScenarios.Parse(Breaking, "breaking.yaml");
        var client = new ClientSpec(FixturePaths.ListenMoeCSharp("no-reconnect"));
        var options = new RunOptions { Seed = 893057810, Features = FixtureFeatures.Reference("listenmoe") };

        // When it is shrunk
        var result = await new ChaosShrinker(options, maxRuns: 30).ShrinkAsync(scenario, client);

        // Then one event is left, a drop or a reset, and the scenario printed with it still breaks the rule
        var printed = ScheduleWriter.Write(Breaking, result.Schedule);
        var kept = TestScenarios.Parse(printed, "shrunk.yaml");
        var rerun = await new ScenarioRunner(options).RunAsync(kept, client);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Rule, Is.EqualTo("listenmoe.reconnect"), result.First.Explain());
            Assert.That(result.Original, Has.Count.GreaterThan(1));
            Assert.That(result.FailsWithoutChaos, Is.False);
            Assert.That(result.Schedule, Has.Count.EqualTo(1));
            Assert.That(result.Schedule.Single().Action, Is.AnyOf(ChaosAction.Drop, ChaosAction.Reset));
            Assert.That(kept.Id, Is.EqualTo("listenmoe/chaos/breaking-shrunk"));
            Assert.That(printed, Does.Contain("schedule:"));
            Assert.That(rerun.Broken.Select(r => r.Rule.Id), Does.Contain("listenmoe.reconnect"), rerun.Explain());
        }
    }

    private static Task<ScenarioResult> RunAsync(Scenario scenario, ClientSpec client, int seed) =>
        new ScenarioRunner(new RunOptions { Seed = seed, Features = FixtureFeatures.Reference("listenmoe") }).RunAsync(scenario, client);

    private static List<ChaosEvent> Events(ScenarioResult result) => [.. result.Transcript.OfType<ChaosApplied>().Select(a => a.Event)];
}
