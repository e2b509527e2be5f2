using Conformance.Harness.Clients;
using Conformance.Harness.Running;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Tests.Running;

/// <summary>Scenario HTTP stubs in WireMock's shape, matched before the mock's own routes, and <c>expect_http</c>.</summary>
[Parallelizable(ParallelScope.Children)]
public sealed class HttpStubTests
{
    // A client that makes three requests in order with Node's fetch and prints each status and body.
    private static readonly ClientSpec Client = new("""
        node -e '
        const base = process.env.CONFORMANCE_HTTP_URL;
        (async () => {
          for (const [method, path, body] of [["GET", "/things?kind=a", null], ["POST", "/things", "{\"name\":\"x\",\"n\":1}"], ["GET", "/_/auth/token", null]]) {
            const r = await fetch(base + path, { method, body, headers: { "X-Test": "yes", "Content-Type": "application/json" } });
            console.log(method + " " + path + " " + r.status + " " + await r.text());
          }
          setInterval(() => {}, 1000);
        })();'
        """);

    [Test]
    public async Task Stubs_MatchOnQueryHeaderAndBody_AndOverrideTheMocksOwnRoutes()
    {
        // Given stubs for a new route (query and header matchers), a POST (JSON body matcher), and plug.dj's token route
        var scenario = TestScenarios.Parse("""
            id: plugdj/test/stubs
            protocol: plugdj
            rules: [plugdj.auth.token]
            stubs:
              - request: { method: GET, urlPath: /things, queryParameters: { kind: { equalTo: b } } }
                response: { status: 418 }
              - request: { method: GET, urlPathPattern: "^/thin.s$", queryParameters: { kind: a }, headers: { X-Test: { matches: "^y" } } }
                response: { status: 200, jsonBody: { found: true }, fixedDelayMilliseconds: 50 }
              - request: { method: POST, url: /things, bodyPatterns: [ { equalToJson: { n: 1, name: x } }, { contains: name } ] }
                response: { status: 201, body: created, headers: { Location: /things/1 } }
              - request: { method: GET, urlPath: /_/auth/token, headers: { Cookie: { absent: true } } }
                response: { status: 200, jsonBody: { data: [stubbed], status: ok } }
            steps:
              - expect_http: { method: GET, path: /things, status: 200, within: 15s }
              - expect_http: { method: POST, path: /things, status: 201, within: 5s }
              - expect_http: { method: GET, path: /_/auth/token, status: 200, within: 5s }
              - expect_output: { regex: "^GET /_/auth/token 200 .*stubbed", within: 5s }
            """);

        // When a client makes the requests
        var result = await new ScenarioRunner(new RunOptions()).RunAsync(scenario, Client);

        // Then each got the stub meant for it, in order, and the transcript says which stub answered
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), result.Explain());
        var lines = result.Transcript.OfType<ProcessOutput>().Select(o => o.Line).ToList();
        Assert.That(lines, Is.EqualTo(new[]
        {
            """GET /things?kind=a 200 {"found":true}""",
            "POST /things 201 created",
            """GET /_/auth/token 200 {"data":["stubbed"],"status":"ok"}""",
        }));
        Assert.That(result.Transcript.OfType<HttpExchange>().Select(h => h.Route), Is.EqualTo(new[] { "stub at line 7", "stub at line 9", "stub at line 11" }));
    }

    [Test]
    public async Task ExpectHttp_RequestNeverMade_FailsListingTheRequestsThatWere()
    {
        var scenario = TestScenarios.Parse("""
            id: plugdj/test/missing-request
            protocol: plugdj
            rules: [plugdj.auth.token]
            steps:
              - expect_http: { method: DELETE, path: /_/auth/session, within: 2s }
            """);

        var result = await new ScenarioRunner(new RunOptions()).RunAsync(scenario, Client);

        Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail));
        Assert.That(result.Explain(), Does.Contain("expected HTTP DELETE /_/auth/session").And.Contain("GET /things -> 404"));
    }

    [Test]
    public async Task ExpectHttp_AfterAFrameExpectation_MustComeAfterThatFrame()
    {
        // Given the plug.dj reference client, which joins its room over REST once the socket acked its auth
        string Script(string first, string second) => $$"""
            id: plugdj/test/order
            protocol: plugdj
            rules: [plugdj.auth.token]
            steps:
              - expect_connect: { path: /socket, within: 15s }
              - {{first}}
              - {{second}}
            """;
        const string Auth = "expect: { json: { a: auth }, within: 4s }";
        const string Join = "expect_http: { method: POST, path: /_/rooms/join, within: 4s }";
        var client = new ClientSpec(Conformance.Fixtures.FixturePaths.PlugDjNode());

        // When one script expects the join after the auth frame, and another expects it before
        var inOrder = await new ScenarioRunner(new RunOptions()).RunAsync(TestScenarios.Parse(Script(Auth, Join)), client);
        var reversed = await new ScenarioRunner(new RunOptions()).RunAsync(TestScenarios.Parse(Script(Join, Auth)), client);

        // Then the first passes and the second fails on the auth frame, which came before the join
        Assert.That(inOrder.Verdict, Is.EqualTo(Verdict.Pass), inOrder.Explain());
        Assert.That(reversed.Verdict, Is.EqualTo(Verdict.Fail));
        Assert.That(reversed.Steps.Single(s => s.Status == StepStatus.Failed).Step, Is.InstanceOf<Harness.Scenarios.ExpectStep>());
    }
}
