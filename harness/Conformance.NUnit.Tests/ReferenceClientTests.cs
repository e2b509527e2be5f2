using Conformance.Fixtures;
using Conformance.Harness.Clients;
using Conformance.Harness.Running;
using Conformance.Harness.Scenarios;

namespace Conformance.NUnit.Tests;

/// <summary>
/// The built-in LISTEN.moe suite as a user's test project runs it: one case per scenario, against the bundled
/// reference clients, which must pass everything. Both clients behave alike on the wire and print the same lines,
/// so both are verified against the one set of snapshots in fixtures/snapshots/reference.
/// </summary>
[Parallelizable(ParallelScope.All)]
[Category("e2e")]
public sealed class ReferenceClientTests
{
    [TestCaseSource(typeof(ConformanceCases), nameof(ConformanceCases.ListenMoe))]
    public async Task CSharpReferenceClient_PassesScenario_WithVerifiedSnapshot(Scenario scenario)
    {
        var result = await ConformanceAssert.PassesAsync(scenario, new ClientSpec(FixturePaths.ListenMoeCSharp()), Options(FixtureFeatures.ListenMoeReference));

        Assert.That(result.Snapshot?.Matched, Is.True, result.Explain());
    }

    [TestCaseSource(typeof(ConformanceCases), nameof(ConformanceCases.ListenMoe))]
    public async Task NodeReferenceClient_PassesScenario_WithVerifiedSnapshot(Scenario scenario)
    {
        var result = await ConformanceAssert.PassesAsync(scenario, new ClientSpec(FixturePaths.ListenMoeNode), Options(FixtureFeatures.ListenMoeReference));

        Assert.That(result.Snapshot?.Matched, Is.True, result.Explain());
    }

    [TestCaseSource(typeof(ConformanceCases), nameof(ConformanceCases.PlugDj))]
    public async Task PlugDjNodeReferenceClient_PassesScenario_WithVerifiedSnapshot(Scenario scenario)
    {
        var result = await ConformanceAssert.PassesAsync(scenario, new ClientSpec(FixturePaths.PlugDjNode()), Options(FixtureFeatures.PlugDjReference));

        Assert.That(result.Snapshot?.Matched, Is.True, result.Explain());
    }

    [TestCaseSource(typeof(ConformanceCases), nameof(ConformanceCases.Discodo))]
    public async Task DiscodoNodeReferenceClient_PassesScenario_WithVerifiedSnapshot(Scenario scenario)
    {
        var result = await ConformanceAssert.PassesAsync(scenario, new ClientSpec(FixturePaths.DiscodoNode()), Options(FixtureFeatures.Reference("discodo")));

        Assert.That(result.Snapshot?.Matched, Is.True, result.Explain());
    }

    [TestCaseSource(typeof(ConformanceCases), nameof(ConformanceCases.Nightingale))]
    public async Task NightingaleNodeReferenceClient_PassesScenario_WithVerifiedSnapshot(Scenario scenario)
    {
        var result = await ConformanceAssert.PassesAsync(scenario, new ClientSpec(FixturePaths.NightingaleNode()), Options(FixtureFeatures.Reference("nightingale")));

        Assert.That(result.Snapshot?.Matched, Is.True, result.Explain());
    }

    [TestCaseSource(typeof(ConformanceCases), nameof(ConformanceCases.Podcast))]
    public async Task PodcastNodeReferenceClient_PassesScenario_WithVerifiedSnapshot(Scenario scenario)
    {
        var result = await ConformanceAssert.PassesAsync(scenario, new ClientSpec(FixturePaths.PodcastNode()), Options(FixtureFeatures.Reference("podcast")));

        Assert.That(result.Snapshot?.Matched, Is.True, result.Explain());
    }

    /// <summary>Every scenario runs: the reference clients declare all the features they have, which is all there are.</summary>
    private static RunOptions Options(IReadOnlySet<string> features) =>
        new() { SnapshotDirectory = FixturePaths.Snapshots("reference"), AcceptSnapshots = Accept, Features = features };

    private static bool Accept => Environment.GetEnvironmentVariable("CONFORMANCE_ACCEPT") == "1";
}
