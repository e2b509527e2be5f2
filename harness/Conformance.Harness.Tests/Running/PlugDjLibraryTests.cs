using Conformance.Fixtures;
using Conformance.Harness.Clients;
using Conformance.Harness.Rules;
using Conformance.Harness.Running;

namespace Conformance.Harness.Tests.Running;

/// <summary>
/// Real clients are the truth: each published plug.dj library (pinned in fixtures/clients/plugdj/node/package.json),
/// unmodified and pointed at the mock by its driver script, runs the whole built-in plug.dj suite. No scenario may end
/// in Error, a Warn may only be a broken SHOULD rule, and a Fail only one of the library's expected deviations below,
/// each of which must still occur (so the list cannot go stale). See fixtures/clients/plugdj/README.md.
/// </summary>
[Category("e2e")]
[Category("plugdj")]
[Parallelizable(ParallelScope.Children)]
public sealed class PlugDjLibraryTests
{
    /// <summary>
    /// plugapi 5.1.1 stamps every frame with <c>t: DateUtilities.getServerEpoch()</c> = <c>Date.now() + offset</c>
    /// (lib/client.js _sendEvent), milliseconds, where seed 001 §Sending Messages asks for seconds.
    /// </summary>
    private const string PlugApiMilliseconds =
        "plugapi 5.1.1 sends t in milliseconds (lib/client.js _sendEvent: DateUtilities.getServerEpoch() = Date.now() + offset)";

    private static IEnumerable<TestCaseData> Libraries()
    {
        // Warns expected on plugdj.reconnect (SHOULD) only: plug-socket never reconnects (server-close,
        // long-silence, auth-rejected), nor does plug-login, which has no socket of its own.
        yield return Case("plug-login 2.1.0", "plug-login-check.js");

        // miniplug never reconnects either (its socket is plug-socket): Warn on plugdj.reconnect.
        yield return Case("miniplug 2.0.3", "miniplug-check.js");

        // plugapi reconnects 5 s after a close, but only 15 s after the last frame on a silence (long-silence
        // looks 8 s), and ignores a failed ack until it has joined a room (auth-rejected): Warn on plugdj.reconnect.
        yield return Case("plugapi 5.1.1", "plugapi-check.js", ("plugdj.frame.t-seconds", PlugApiMilliseconds));
    }

    [TestCaseSource(nameof(Libraries))]
    public async Task Suite_PublishedLibrary_BreaksNoMustRuleBeyondItsKnownDeviations(string script, IReadOnlyDictionary<string, string> deviations)
    {
        // Given the whole built-in plug.dj suite and a published library's driver
        var suite = new SuiteRunner(new RunOptions(), parallel: 3);

        // When the suite runs against it
        var results = await suite.RunAsync(TestScenarios.Suite("plugdj"), new ClientSpec(FixturePaths.PlugDjScript(script)));

        // Then nothing is the harness's fault, only SHOULD rules warn, and only known deviations fail
        var broken = results.SelectMany(r => r.Broken).ToList();
        var report = string.Join("\n\n", results.Where(r => r.Verdict != Verdict.Pass).Select(r => r.Explain()));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(results.Where(r => r.Verdict == Verdict.Error).Select(r => r.Scenario.Id), Is.Empty, report);
            Assert.That(broken.Where(b => b.Verdict == Verdict.Warn && b.Rule.Level != RuleLevel.Should).Select(b => b.Rule.Id), Is.Empty, report);
            Assert.That(broken.Where(b => b.Verdict == Verdict.Fail).Select(b => b.Rule.Id).Distinct(), Is.SubsetOf(deviations.Keys), report);
            Assert.That(deviations.Keys, Is.SubsetOf(broken.Select(b => b.Rule.Id)), "every expected deviation still shows:\n" + report);
        }
    }

    private static TestCaseData Case(string library, string script, params (string Rule, string Reason)[] deviations) =>
        new TestCaseData(script, deviations.ToDictionary(d => d.Rule, d => d.Reason, StringComparer.Ordinal)).SetArgDisplayNames(library);
}
