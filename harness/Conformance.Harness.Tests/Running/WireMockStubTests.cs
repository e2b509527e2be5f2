using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Conformance.Harness.Running;
using Conformance.Harness.Tests.Engine;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Tests.Running;

/// <summary>
/// What scenario stubs get from WireMock.Net beyond the hand-written matchers they replaced: JSONPath body matching,
/// response templating, faults, scenario states and priorities. Real sockets: an in-process client calls the mock's
/// HTTP URL, which hands the request to WireMock.Net and, when no stub matches, to the mock's own routes.
/// </summary>
[Parallelizable(ParallelScope.Children)]
public sealed class WireMockStubTests
{
    [Test]
    public async Task JsonPathBodyPattern_MatchesOnlyBodiesWithThatPath_OthersReachTheMocksRoutes()
    {
        // Given a stub for gold customers' orders (a partial equalToJson, nested) with at least one item of quantity
        // above 1 (JSONPath)
        const string yaml = """
            id: echo/stubs/jsonpath
            protocol: echo
            rules: [echo.frames]
            stubs:
              - request:
                  method: POST
                  urlPath: /orders
                  bodyPatterns:
                    - { matchesJsonPath: "$.items[?(@.qty > 1)]" }
                    - { equalToJson: { customer: { tier: gold } }, ignoreExtraElements: true }
                response: { status: 201, jsonBody: { accepted: true } }
            steps:
              - expect_output: { regex: done, within: 10s }
            """;

        // When the client posts an order that matches both, one without such an item, and one of a silver customer
        var result = await EngineHarness.RunAsync(yaml, async (env, stop) =>
        {
            using var http = new HttpClient();
            foreach (var body in new[]
            {
                """{"customer":{"tier":"gold","name":"Rin"},"items":[{"qty":1},{"qty":3}]}""",
                """{"customer":{"tier":"gold"},"items":[{"qty":1}]}""",
                """{"customer":{"tier":"silver"},"items":[{"qty":3}]}""",
            })
            {
                using var response = await http.PostAsync(env["CONFORMANCE_HTTP_URL"] + "/orders", new StringContent(body, Encoding.UTF8, "application/json"), stop);
                env.WriteLine($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(stop)}");
            }

            env.WriteLine("done");
            await Task.Delay(Timeout.Infinite, stop);
        });

        // Then the stub answered the first, and the echo mock (which has no such route) the others
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), result.Explain());
        Assert.That(Lines(result)[0], Is.EqualTo("""201 {"accepted":true}"""));
        Assert.That(Lines(result).Skip(1).Take(2), Has.All.StartWith("404 "));
        Assert.That(result.Transcript.OfType<HttpExchange>().Select(h => h.Route), Is.EqualTo(new[] { "stub at line 5", null, null }));
    }

    [Test]
    public async Task ResponseTemplate_FillsTheAnswerFromTheRequestsPathQueryHeaderAndBody()
    {
        // Given a templated stub (WireMock.Net's Handlebars) echoing parts of the request
        const string yaml = """
            id: echo/stubs/template
            protocol: echo
            rules: [echo.frames]
            stubs:
              - request: { method: POST, urlPathPattern: "^/users/[0-9]+$" }
                response:
                  status: 200
                  transformers: [response-template]
                  headers: { X-Echo: "{{request.headers.X-Trace}}" }
                  jsonBody: { path: "{{request.path}}", lang: "{{request.query.lang}}", name: "{{JsonPath.SelectToken request.body '$.name'}}" }
            steps:
              - expect_output: { regex: done, within: 10s }
            """;

        // When the client calls it
        var result = await EngineHarness.RunAsync(yaml, async (env, stop) =>
        {
            using var http = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Post, env["CONFORMANCE_HTTP_URL"] + "/users/42?lang=en")
            {
                Content = new StringContent("""{"name":"Rin"}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Trace", "t-7");
            using var response = await http.SendAsync(request, stop);
            env.WriteLine($"{response.Headers.GetValues("X-Echo").Single()} {await response.Content.ReadAsStringAsync(stop)}");
            env.WriteLine("done");
            await Task.Delay(Timeout.Infinite, stop);
        });

        // Then the answer carries the request's path, query value, header and a value from its JSON body
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), result.Explain());
        var (header, body) = (Lines(result)[0].Split(' ', 2)[0], JsonNode.Parse(Lines(result)[0].Split(' ', 2)[1])!);
        Assert.That(header, Is.EqualTo("t-7"));
        Assert.That(body.ToJsonString(), Is.EqualTo("""{"path":"/users/42","lang":"en","name":"Rin"}"""));
    }

    [TestCase("EMPTY_RESPONSE", HttpFault.EmptyResponse)]
    [TestCase("CONNECTION_RESET_BY_PEER", HttpFault.ConnectionResetByPeer)]
    [TestCase("MALFORMED_RESPONSE_CHUNK", HttpFault.MalformedResponseChunk)]
    [TestCase("RANDOM_DATA_THEN_CLOSE", HttpFault.RandomDataThenClose)]
    public async Task Fault_BreaksTheAnswer_IsRecorded_AndTheMockKeepsServing(string name, HttpFault fault)
    {
        // Given a stub that answers with a WireMock fault
        var yaml = $$"""
            id: echo/stubs/fault
            protocol: echo
            rules: [echo.frames]
            stubs:
              - request: { method: GET, urlPath: /broken }
                response: { fault: {{name}} }
            steps:
              - expect_output: { regex: done, within: 10s }
            """;

        // When the client calls it, then calls a route of the mock's own on a new connection
        var result = await EngineHarness.RunAsync(yaml, async (env, stop) =>
        {
            using var http = new HttpClient();
            try
            {
                using var broken = await http.GetAsync(env["CONFORMANCE_HTTP_URL"] + "/broken", stop);
                env.WriteLine($"answered {(int)broken.StatusCode} {await broken.Content.ReadAsStringAsync(stop)}");
            }
            catch (HttpRequestException ex)
            {
                env.WriteLine("failed " + ex.HttpRequestError);
            }

            using var fresh = new HttpClient();
            using var after = await fresh.GetAsync(env["CONFORMANCE_HTTP_URL"] + "/elsewhere", stop);
            env.WriteLine($"then {(int)after.StatusCode}");
            env.WriteLine("done");
            await Task.Delay(Timeout.Infinite, stop);
        });

        // Then the client got no answer, the transcript names the fault, and the next request was served
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), result.Explain());
        Assert.That(Lines(result)[0], Does.StartWith("failed "), "the client must not read an answer");
        Assert.That(Lines(result)[1], Is.EqualTo("then 404"));
        var exchange = result.Transcript.OfType<HttpExchange>().First();
        Assert.That((exchange.Fault, exchange.Status, exchange.Route), Is.EqualTo(((HttpFault?)fault, 0, "stub at line 5")));
    }

    [Test]
    public async Task ScenarioStatesAndPriority_FirstCallFails_TheRetryIsAnswered_AndPriorityBeatsFileOrder()
    {
        // Given a WireMock scenario (the first call is reset, later ones answered) and a catch-all of lower priority
        // written first
        const string yaml = """
            id: echo/stubs/states
            protocol: echo
            rules: [echo.frames]
            stubs:
              - request: { urlPathPattern: "^/flaky" }
                response: { status: 503 }
                priority: 9
              - request: { method: GET, urlPath: /flaky }
                scenarioName: retry
                requiredScenarioState: Started
                newScenarioState: failed once
                response: { fault: CONNECTION_RESET_BY_PEER }
              - request: { method: GET, urlPath: /flaky }
                scenarioName: retry
                requiredScenarioState: failed once
                response: { status: 200, body: ok }
            steps:
              - expect_output: { regex: done, within: 10s }
            """;

        // When the client calls three times
        var result = await EngineHarness.RunAsync(yaml, async (env, stop) =>
        {
            for (var i = 0; i < 3; i++)
            {
                using var http = new HttpClient();
                try
                {
                    using var response = await http.GetAsync(env["CONFORMANCE_HTTP_URL"] + "/flaky", stop);
                    env.WriteLine($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(stop)}");
                }
                catch (HttpRequestException)
                {
                    env.WriteLine("failed");
                }
            }

            env.WriteLine("done");
            await Task.Delay(Timeout.Infinite, stop);
        });

        // Then the first failed, the next two were answered, and the lower-priority catch-all never answered
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), result.Explain());
        Assert.That(Lines(result).Take(3), Is.EqualTo(new[] { "failed", "200 ok", "200 ok" }), string.Join("\n", result.Transcript.OfType<HttpExchange>().Select(h => $"{h.Status} {h.Fault} {h.Route}")));
    }

    [Test]
    public async Task AdminApi_OnTheMocksUrl_ListsTheStubs_AndAMappingAddedThereAnswers()
    {
        // Given a LISTEN.moe mock with a stub served with WireMock's admin API
        var module = Protocols.ProtocolRegistry.Find("listenmoe")!;
        await using var mock = await module.StartMockAsync(module.CreateOptions(), new MockHostOptions(), new Transcript());
        var stub = TestScenarios.Parse("""
            id: listenmoe/test/admin
            protocol: listenmoe
            rules: [listenmoe.connect.endpoint]
            stubs:
              - name: now playing
                request: { method: GET, urlPath: /api/nowplaying }
                response: { jsonBody: { title: stubbed } }
            steps:
              - wait: 1s
            """).Stubs;
        using var stubs = await Harness.Stubs.StubServer.StartAsync(stub, options: new Harness.Stubs.StubServerOptions { AdminApi = true });
        stubs.Install(mock.Host);
        using var http = new HttpClient { BaseAddress = mock.HttpUrl };

        // When a mapping is posted to the admin API (WireMock.Net's shape), and the mappings are listed
        const string mapping = """{"Request":{"Path":"/api/added","Methods":["GET"]},"Response":{"StatusCode":202,"Body":"added"}}""";
        using var posted = await http.PostAsync("/__admin/mappings", new StringContent(mapping, Encoding.UTF8, "application/json"));
        var listed = JsonNode.Parse(await http.GetStringAsync("/__admin/mappings"))!.AsArray();
        using var added = await http.GetAsync("/api/added");

        // Then the list holds the scenario's stub by its name, the new mapping answers, and the mock records who answered
        Assert.That(posted.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(listed.Select(m => (string?)m!["Title"]), Does.Contain("now playing"));
        Assert.That((added.StatusCode, await added.Content.ReadAsStringAsync()), Is.EqualTo((HttpStatusCode.Accepted, "added")));
        Assert.That(mock.Transcript.Snapshot().OfType<HttpExchange>().Last().Route, Is.EqualTo("stub added through WireMock's admin API"));
    }

    private static List<string> Lines(Harness.Running.ScenarioResult result) =>
        [.. result.Transcript.OfType<ProcessOutput>().Select(o => o.Line)];
}
