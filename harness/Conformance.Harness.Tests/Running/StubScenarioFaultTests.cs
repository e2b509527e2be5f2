using Conformance.Fixtures;
using Conformance.Harness.Clients;
using Conformance.Harness.Running;

namespace Conformance.Harness.Tests.Running;

/// <summary>
/// The plug.dj scenario whose token comes from a WireMock response template catches the mistake it is about: a token
/// request without the session cookie gets a token that names no session.
/// </summary>
[Category("e2e")]
[Parallelizable(ParallelScope.Children)]
public sealed class StubScenarioFaultTests
{
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
