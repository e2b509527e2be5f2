using Conformance.Fixtures;
using Conformance.Harness.Clients;
using Conformance.Harness.Running;

namespace Conformance.Harness.Tests.Running;

/// <summary>
/// The plug.dj scenarios whose REST answers come from WireMock stubs catch the mistake each is about: a login body that
/// is not JSON (JSONPath and equalToJson do not match it), a token request without the session cookie (the templated
/// token then names no session).
/// </summary>
[Category("e2e")]
[Parallelizable(ParallelScope.Children)]
public sealed class StubScenarioFaultTests
{
    [TestCase("plugdj/login/login-body", "login-as-form")]
    [TestCase("plugdj/login/token-from-session", "token-without-session")]
    public async Task Scenario_ClientWithTheRestMistake_FailsOnTheTokenRuleOnly(string id, string fault)
    {
        // Given the scenario and a client that logs in with that one mistake
        var scenario = TestScenarios.Suite("plugdj").Single(s => s.Id == id);
        var client = new ClientSpec(FixturePaths.PlugDjScript("rest-faults.js", $"--fault {fault}"));

        // When it runs
        var result = await new ScenarioRunner(new RunOptions { Features = ClientFeatures.Parse("rest-login") }).RunAsync(scenario, client);

        // Then it fails, and the token rule is the only one broken
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail), result.Explain());
        Assert.That(result.Broken.Select(b => b.Rule.Id), Is.EqualTo(new[] { "plugdj.auth.token" }), result.Explain());
    }
}
