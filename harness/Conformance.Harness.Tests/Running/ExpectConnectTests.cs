using Conformance.Fixtures;
using Conformance.Harness.Clients;
using Conformance.Harness.Running;

namespace Conformance.Harness.Tests.Running;

/// <summary><c>expect_connect</c> matches the path, headers and query of the client's upgrade request.</summary>
[Parallelizable(ParallelScope.Children)]
public sealed class ExpectConnectTests
{
    // The reference client connects to CONFORMANCE_URL as given; the shell adds a query string to it.
    private static ClientSpec ClientWithQuery(string query) =>
        new($"CONFORMANCE_URL=\"$CONFORMANCE_URL?{query}\" {FixturePaths.ListenMoeCSharp()}");

    [Test]
    public async Task ExpectConnect_QueryPresent_Passes()
    {
        var scenario = Scenario("{ shards: 2, user_id: \"123\" }");

        var result = await new ScenarioRunner(new RunOptions()).RunAsync(scenario, ClientWithQuery("shards=2&user_id=123&extra=x"));

        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), result.Explain());
    }

    [Test]
    public async Task ExpectConnect_QueryValueDiffers_FailsNamingTheConnectionThatDidNotMatch()
    {
        var scenario = Scenario("{ shards: 3 }");

        var result = await new ScenarioRunner(new RunOptions()).RunAsync(scenario, ClientWithQuery("shards=2"));

        Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail));
        Assert.That(result.Explain(), Does.Contain("connection 1 to /gateway_v2?shards=2 did not match"));
    }

    private static Harness.Scenarios.Scenario Scenario(string query) => TestScenarios.Parse($$"""
        id: listenmoe/test/query
        protocol: listenmoe
        rules: [listenmoe.connect.endpoint]
        mock: { heartbeatInterval: 300ms }
        steps:
          - expect_connect: { path: /gateway_v2, query: {{query}}, within: 4s }
        """);
}
