using Conformance.Fixtures;
using Conformance.Harness.Clients;
using Conformance.Harness.Running;

namespace Conformance.Harness.Tests.Running;

/// <summary>
/// Broken fixtures test the tests: each faulty client breaks one rule, and the built-in suite must report that
/// rule, at the rule's level, and no other.
/// </summary>
[Parallelizable(ParallelScope.Children)]
[Category("e2e")]
public sealed class FaultyClientTests
{
    private static IEnumerable<TestCaseData> Faults()
    {
        yield return Case("listenmoe", "no-heartbeat", "listenmoe.heartbeat.first-beat", Verdict.Fail);
        yield return Case("listenmoe", "double-interval", "listenmoe.heartbeat.period", Verdict.Fail);
        yield return Case("listenmoe", "invalid-json", "listenmoe.frame.json", Verdict.Fail);
        yield return Case("listenmoe", "unknown-op", "listenmoe.frame.known-ops", Verdict.Fail);
        yield return Case("listenmoe", "early-frame", "listenmoe.order.welcome-first", Verdict.Warn);
        yield return Case("listenmoe", "crash-on-unknown", "listenmoe.tolerance.unknown", Verdict.Fail);
        yield return Case("listenmoe", "no-reconnect", "listenmoe.reconnect", Verdict.Warn);
        yield return Case("listenmoe", "gives-up", "listenmoe.reconnect", Verdict.Warn);
        yield return Case("listenmoe", "storm", "listenmoe.reconnect.storm", Verdict.Warn);
        yield return Case("listenmoe", "flat-backoff", "listenmoe.reconnect.backoff", Verdict.Warn);
        yield return Case("plugdj", "no-origin", "plugdj.connect.origin", Verdict.Fail, neverConnects: true);
        yield return Case("plugdj", "late-auth", "plugdj.auth.prompt", Verdict.Fail);
        yield return Case("plugdj", "t-in-ms", "plugdj.frame.t-seconds", Verdict.Warn);
        yield return Case("plugdj", "chat-newline", "plugdj.chat.no-newline", Verdict.Fail);
        yield return Case("plugdj", "chat-flood", "plugdj.chat.pacing", Verdict.Fail);
        yield return Case("plugdj", "unknown-action", "plugdj.frame.known-actions", Verdict.Fail);
        yield return Case("plugdj", "no-reconnect", "plugdj.reconnect", Verdict.Warn);
        yield return Case("plugdj", "ignore-silence", "plugdj.reconnect", Verdict.Warn);
        yield return Case("discodo", "wrong-password", "discodo.connect.authorization", Verdict.Fail);
        yield return Case("discodo", "ms-interval", "discodo.heartbeat.period", Verdict.Fail);
        yield return Case("discodo", "no-identify", "discodo.identify.required", Verdict.Fail);
        yield return Case("discodo", "no-heartbeat", "discodo.heartbeat.first-beat", Verdict.Fail);
        yield return Case("discodo", "other-user-on-resume", "discodo.resume.same-identity", Verdict.Fail);
        yield return Case("discodo", "double-identify", "discodo.identify.once", Verdict.Fail);
        yield return Case("discodo", "no-rejoin", "discodo.resume.rejoin", Verdict.Fail);
        yield return Case("nightingale", "no-user-id", "nightingale.connect.user-id", Verdict.Fail, neverConnects: true);
        yield return Case("nightingale", "no-password", "nightingale.auth.password", Verdict.Fail);
        yield return Case("nightingale", "fresh-session", "nightingale.resume.prefer", Verdict.Warn);
        yield return Case("nightingale", "resume-by-header", "nightingale.resume.path", Verdict.Warn);
        yield return Case("nightingale", "rest-before-ready", "nightingale.rest.after-ready", Verdict.Fail);
        yield return Case("nightingale", "lossy-ids", "nightingale.ids.exact", Verdict.Fail);
        yield return Case("nightingale", "storm", "nightingale.reconnect.storm", Verdict.Warn);
        yield return Case("nightingale", "flat-backoff", "nightingale.reconnect.backoff", Verdict.Warn);
        yield return Case("podcast", "no-connected", "podcast.connected.send", Verdict.Fail);
        yield return Case("podcast", "wrong-port", "podcast.connected.address", Verdict.Fail);
        yield return Case("podcast", "early-audio", "podcast.audio.after-join", Verdict.Fail);
        yield return Case("podcast", "unsealed", "podcast.audio.sealed", Verdict.Fail);
        yield return Case("podcast", "nonce-last", "podcast.audio.sealed", Verdict.Fail);
        yield return Case("podcast", "ignores-end", "podcast.end.teardown", Verdict.Fail);
        yield return Case("podcast", "connected-before-hello", "podcast.hello.first", Verdict.Fail);
    }

    [TestCaseSource(nameof(Faults))]
    public async Task Suite_FaultyClient_IsCaughtByExactlyTheRuleItBreaks(string protocol, string fault, string rule, Verdict level, bool neverConnects)
    {
        // Given a protocol's built-in suite and a client that breaks one rule, declaring the features it has (all the
        // reference client's: a fault changes nothing else). A client the mock refuses at every upgrade leaves each
        // scenario waiting out its connect with nothing to time: those scenarios run 8 at once, the others one per core
        var parallel = neverConnects ? 8 : Environment.ProcessorCount;
        var suite = new SuiteRunner(new RunOptions { Features = FixtureFeatures.Reference(protocol) }, parallel: parallel);
        var client = protocol switch
        {
            "plugdj" => FixturePaths.PlugDjNode(fault),
            "discodo" => FixturePaths.DiscodoNode(fault),
            "nightingale" => FixturePaths.NightingaleNode(fault),
            "podcast" => FixturePaths.PodcastNode(fault),
            _ => FixturePaths.ListenMoeCSharp(fault),
        };

        // When the suite runs against it: all of it but LISTEN.moe's wire/ and chaos/ scenarios, which break the WebSocket
        // layer under a C# client whose faults are all above it (WireFaultyClientTests catches a faulty client in each of
        // those, and ReferenceClientTests has both reference clients pass them); they would double this test's time
        var scenarios = TestScenarios.Suite(protocol).Where(s => !s.Id.StartsWith("listenmoe/wire/", StringComparison.Ordinal) &&
            !s.Id.StartsWith("listenmoe/chaos/", StringComparison.Ordinal)).ToList();
        var results = await suite.RunAsync(scenarios, new ClientSpec(client));

        // Then that rule, and only that rule, is reported broken, at its level where a scenario exercises it (elsewhere
        // it may only warn: a client that never identifies where it has no use for the node); a timing rule the
        // harness could not judge on a busy machine, even after a re-run, says nothing either way and is left out
        var broken = results.SelectMany(r => r.Broken).Where(b => !b.Inconclusive).ToList();
        var report = string.Join("\n\n", results.Where(r => r.Verdict != Verdict.Pass).Select(r => r.Explain()));
        Assert.That(results.SelectMany(r => r.Errors), Is.Empty, report);
        Assert.That(results.Where(r => r.Verdict == Verdict.Skipped).Select(r => r.Scenario.Id), Is.Empty, report);
        Assert.That(broken.Select(b => b.Rule.Id).Distinct(), Is.EquivalentTo(new[] { rule }), report);
        Assert.That(broken.Max(b => b.Verdict), Is.EqualTo(level), report);
    }

    private static TestCaseData Case(string protocol, string fault, string rule, Verdict level, bool neverConnects = false) =>
        new TestCaseData(protocol, fault, rule, level, neverConnects).SetArgDisplayNames($"{protocol} {fault}");
}
