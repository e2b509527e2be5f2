using Conformance.Fixtures;
using Conformance.Harness.Clients;
using Conformance.Harness.Running;

namespace Conformance.Harness.Tests.Running;

/// <summary>
/// Real clients are the truth: each published plug.dj library (pinned in fixtures/clients/plugdj/node/package.json),
/// unmodified and pointed at the mock by its driver script, runs the whole built-in plug.dj suite declaring the client
/// features it has (all three log in over REST and chat). No scenario may fail or end in Error; a library may only
/// warn, and each warning it is known for must still show (so the list cannot go stale). See
/// fixtures/clients/plugdj/README.md.
/// </summary>
[Category("e2e")]
[Category("plugdj")]
[Parallelizable(ParallelScope.Children)]
public sealed class PlugDjLibraryTests
{
    private static IEnumerable<TestCaseData> Libraries()
    {
        // plug-socket never reconnects (server-close, long-silence, auth-rejected), nor does plug-login, which has no
        // socket of its own: Warn on plugdj.reconnect (SHOULD).
        yield return Case("plug-login 2.1.0", "plug-login-check.js", "plugdj.reconnect");

        // miniplug's socket is plug-socket, which never reconnects: Warn on plugdj.reconnect.
        yield return Case("miniplug 2.0.3", "miniplug-check.js", "plugdj.reconnect");

        // plugapi reconnects 5 s after a close, but only 15 s after the last frame on a silence (long-silence looks
        // 12 s), and ignores a failed ack until it has joined a room (auth-rejected): Warn on plugdj.reconnect. It
        // stamps every frame with t = Date.now() + offset (lib/client.js _sendEvent), milliseconds where seed 001
        // §Sending Messages asks for seconds but calls "completely bogus values" safe: Warn on plugdj.frame.t-seconds.
        yield return Case("plugapi 5.1.1", "plugapi-check.js", "plugdj.reconnect", "plugdj.frame.t-seconds");
    }

    [TestCaseSource(nameof(Libraries))]
    public async Task Suite_PublishedLibrary_PassesWithOnlyItsKnownWarnings(string script, string[] warnings)
    {
        // Given the whole built-in plug.dj suite and a published library's driver, declaring REST login and chat
        var suite = new SuiteRunner(new RunOptions { Features = FixtureFeatures.PlugDjReference }, parallel: Environment.ProcessorCount);

        // When the suite runs against it
        var results = await suite.RunAsync(TestScenarios.Suite("plugdj"), new ClientSpec(FixturePaths.PlugDjScript(script)));

        // Then every scenario ran, none failed or ended in Error, and the warnings are the library's known ones
        var broken = results.SelectMany(r => r.Broken).ToList();
        var report = string.Join("\n\n", results.Where(r => r.Verdict != Verdict.Pass).Select(r => r.Explain()));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(results.Where(r => r.Verdict is not (Verdict.Pass or Verdict.Warn)).Select(r => $"{r.Scenario.Id}: {r.Verdict}"), Is.Empty, report);
            Assert.That(broken.Select(b => b.Rule.Id).Distinct(), Is.EquivalentTo(warnings), report);
        }
    }

    private static TestCaseData Case(string library, string script, params string[] warnings) =>
        new TestCaseData(script, warnings).SetArgDisplayNames(library);
}
