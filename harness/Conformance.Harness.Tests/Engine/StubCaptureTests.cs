using Conformance.Harness.Running;

namespace Conformance.Harness.Tests.Engine;

/// <summary>HTTP stubs and <c>expect_http</c> with captured values: a stub answers with what a step captured.</summary>
public sealed class StubCaptureTests
{
    [Test]
    public async Task Stub_ResponseUsesAValueCapturedFromTheMocksFrame_AndExpectHttpMatchesTheHeader()
    {
        // Given a stub whose answer carries the session the mock announced, and an expectation on the request's header
        const string yaml = """
            id: echo/engine/stub-capture
            protocol: echo
            rules: [echo.frames]
            stubs:
              - request: { method: GET, urlPath: /whoami }
                response: { jsonBody: { session: "${session}" }, headers: { X-Session: "${session}" } }
            steps:
              - expect_connect: { path: /ws }
              - expect: { from: server, json: { op: ready }, capture: { session: $.session } }
              - expect_http: { method: GET, path: /whoami, headers: { Authorization: "Bearer ${session}" }, status: 200, capture: { echoed: $.response.session } }
              - expect_output: { regex: 'whoami says s1' }
            """;

        // When the client asks the stub with its session as a bearer token and prints the answer
        var result = await EngineHarness.RunAsync(yaml, async (env, stop) =>
        {
            await using var socket = await TestSocket.ConnectAsync(env["CONFORMANCE_URL"]!, stop);
            var session = System.Text.Json.Nodes.JsonNode.Parse((await socket.ReceiveAsync(stop))!)!["session"]!.GetValue<string>();
            await Task.Delay(200, stop);
            using var http = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, env["CONFORMANCE_HTTP_URL"] + "/whoami");
            request.Headers.Add("Authorization", "Bearer " + session);
            using var response = await http.SendAsync(request, stop);
            var body = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync(stop))!;
            env.WriteLine($"whoami says {body["session"]} ({string.Join(",", response.Headers.GetValues("X-Session"))})");
            await Task.Delay(Timeout.Infinite, stop);
        });

        // Then the stub filled in the captured session, and the header expectation matched
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), result.Explain());
        Assert.That(result.Transcript.OfType<Mocks.Transcripts.ProcessOutput>().Single().Line, Is.EqualTo("whoami says s1 (s1)"));
    }
}
