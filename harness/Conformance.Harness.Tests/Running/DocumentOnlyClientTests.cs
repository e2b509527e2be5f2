using Conformance.Fixtures;
using Conformance.Harness.Clients;
using Conformance.Harness.Running;

namespace Conformance.Harness.Tests.Running;

/// <summary>
/// No false failures: a plug.dj client written from the seed alone (token-only.js: it authenticates with the token it
/// is handed and never chats) declares no features and must not fail the built-in suite.
/// </summary>
[Parallelizable(ParallelScope.Children)]
public sealed class DocumentOnlyClientTests
{
    private static readonly string[] LoginScenarios = ["plugdj/login/flow-order", "plugdj/login/rest-then-socket", "plugdj/login/token-stub", "plugdj/login/token-from-session"];

    [Test]
    public async Task Suite_TokenOnlyClientDeclaringNoFeatures_SkipsLoginAndChatAndPassesTheRest()
    {
        // Given the plug.dj suite and a client that uses CONFORMANCE_TOKEN and never chats, declaring no features
        var suite = new SuiteRunner(new RunOptions(), parallel: 3);

        // When the whole suite runs against it
        var results = await suite.RunAsync(TestScenarios.Suite("plugdj"), new ClientSpec(FixturePaths.PlugDjScript("token-only.js")));

        // Then the scenarios for REST login and chat are skipped with their reason, and every other one passes
        var report = string.Join("\n\n", results.Where(r => r.Verdict != Verdict.Pass).Select(r => r.Explain()));
        var skipped = results.Where(r => r.Verdict == Verdict.Skipped).ToDictionary(r => r.Scenario.Id, r => r.SkipReason);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(skipped.Keys, Is.EquivalentTo(LoginScenarios.Append("plugdj/chat/echo-and-pacing")), report);
            Assert.That(LoginScenarios.Select(id => skipped.GetValueOrDefault(id)), Has.All.StartWith("requires client feature rest-login (the client logs in over REST itself"));
            Assert.That(results.Where(r => r.Verdict != Verdict.Skipped).Select(r => r.Verdict), Has.All.EqualTo(Verdict.Pass), report);
        }
    }

    [Test]
    public async Task LoginScenarios_TokenOnlyClientClaimingRestLogin_FailBecauseTheTokenIsWithheld()
    {
        // Given the login scenarios, and the same client wrongly declaring rest-login
        var suite = new SuiteRunner(new RunOptions { Features = ClientFeatures.Parse("rest-login") }, parallel: 3);
        var scenarios = TestScenarios.Suite("plugdj").Where(s => LoginScenarios.Contains(s.Id)).ToList();

        // When they run
        var results = await suite.RunAsync(scenarios, new ClientSpec(FixturePaths.PlugDjScript("token-only.js")));

        // Then each fails on the token rule: without CONFORMANCE_TOKEN the client cannot authenticate
        var report = string.Join("\n\n", results.Select(r => r.Explain()));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(results.Select(r => r.Verdict), Has.All.EqualTo(Verdict.Fail), report);
            Assert.That(results.SelectMany(r => r.Broken).Select(b => b.Rule.Id), Does.Contain("plugdj.auth.token"), report);
            Assert.That(results.SelectMany(r => r.Transcript).OfType<Mocks.Transcripts.ProcessOutput>().Select(o => o.Line),
                Does.Contain("CONFORMANCE_TOKEN is not set"), report);
        }
    }
}
