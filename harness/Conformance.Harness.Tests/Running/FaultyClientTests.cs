using Conformance.Fixtures;
using Conformance.Harness.Clients;
using Conformance.Harness.Running;

namespace Conformance.Harness.Tests.Running;

/// <summary>
/// Broken fixtures test the tests: each faulty client breaks one rule, and the built-in suite must report that
/// rule, at the rule's level, and no other.
/// </summary>
[Parallelizable(ParallelScope.Children)]
public sealed class FaultyClientTests
{
    private static IEnumerable<TestCaseData> Faults()
    {
        yield return Case("no-heartbeat", "listenmoe.heartbeat.first-beat", Verdict.Fail);
        yield return Case("double-interval", "listenmoe.heartbeat.period", Verdict.Fail);
        yield return Case("invalid-json", "listenmoe.frame.json", Verdict.Fail);
        yield return Case("unknown-op", "listenmoe.frame.known-ops", Verdict.Fail);
        yield return Case("early-frame", "listenmoe.order.welcome-first", Verdict.Fail);
        yield return Case("crash-on-unknown", "listenmoe.tolerance.unknown", Verdict.Fail);
        yield return Case("no-reconnect", "listenmoe.reconnect", Verdict.Warn);
    }

    [TestCaseSource(nameof(Faults))]
    public async Task Suite_FaultyClient_IsCaughtByExactlyTheRuleItBreaks(string fault, string rule, Verdict level)
    {
        // Given the built-in LISTEN.moe suite and a client that breaks one rule
        var suite = new SuiteRunner(new RunOptions(), parallel: 3);

        // When the whole suite runs against it
        var results = await suite.RunAsync(TestScenarios.Suite("listenmoe"), new ClientSpec(FixturePaths.ListenMoeCSharp(fault)));

        // Then that rule, and only that rule, is reported broken, at its level
        var broken = results.SelectMany(r => r.Broken).ToList();
        var report = string.Join("\n\n", results.Where(r => r.Verdict != Verdict.Pass).Select(r => r.Explain()));
        Assert.That(results.SelectMany(r => r.Errors), Is.Empty, report);
        Assert.That(broken.Select(b => b.Rule.Id).Distinct(), Is.EquivalentTo(new[] { rule }), report);
        Assert.That(broken.Select(b => b.Verdict).Distinct(), Is.EquivalentTo(new[] { level }), report);
    }

    private static TestCaseData Case(string fault, string rule, Verdict level) =>
        new TestCaseData(fault, rule, level).SetArgDisplayNames(fault);
}
