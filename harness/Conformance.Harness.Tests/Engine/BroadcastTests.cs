using Conformance.Harness.Running;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Tests.Engine;

/// <summary><c>broadcast</c>: one frame to every open connection at once.</summary>
[Parallelizable(ParallelScope.Children)]
public sealed class BroadcastTests
{
    [Test]
    public async Task Broadcast_TwoOpenConnections_BothGetTheSameFrame()
    {
        // Given a client with two connections
        const string yaml = """
            id: echo/engine/broadcast
            protocol: echo
            rules: [echo.frames]
            steps:
              - expect_connect: { path: /ws, as: first }
              - expect_connect: { path: /ws, as: second }
              - broadcast: { template: hello, with: { n: 7 }, endpoint: ws }
              - expect: { json: { op: got, n: 7 }, on: first }
              - expect: { json: { op: got, n: 7 }, on: second }
            """;

        // When the scenario broadcasts a template and each connection acknowledges what it got
        var result = await EngineHarness.RunAsync(yaml, async (env, stop) =>
        {
            await Task.WhenAll(Acknowledge(env["CONFORMANCE_URL"]!, stop), Task.Delay(200, stop).ContinueWith(_ => Acknowledge(env["CONFORMANCE_URL"]!, stop), stop).Unwrap());
        });

        // Then both connections were sent the same frame, recorded as the step's
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), result.Explain());
        var sent = result.Transcript.OfType<FrameRecorded>().Where(f => f.Origin == "step 3").ToList();
        Assert.That(sent.Select(f => f.Connection), Is.EquivalentTo(new[] { 1, 2 }));
        Assert.That(sent.Select(f => f.Text).Distinct(), Is.EqualTo(new[] { """{"op":"hello","n":7}""" }));
    }

    [Test]
    public async Task Broadcast_NoOpenConnection_FailsSayingSo()
    {
        const string yaml = """
            id: echo/engine/broadcast-none
            protocol: echo
            rules: [echo.frames]
            steps:
              - broadcast: { json: { op: news } }
            """;

        var result = await EngineHarness.RunAsync(yaml, (_, stop) => Task.Delay(Timeout.Infinite, stop));

        Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail));
        Assert.That(result.Explain(), Does.Contain("cannot broadcast: no connection is open"));
    }

    [Test]
    public void Broadcast_WithWithoutTemplate_IsALoadError()
    {
        var errors = EngineHarness.Errors("""
            id: echo/engine/broadcast-with
            protocol: echo
            rules: [echo.frames]
            steps:
              - broadcast: { json: { op: news }, with: { n: 1 } }
            """);

        Assert.That(errors, Is.EqualTo(new[] { "engine.yaml:5:44: 'with' merges into a template; use it together with 'template'" }));
    }

    /// <summary>Connects, and answers each hello with {"op":"got","n":n}.</summary>
    private static async Task Acknowledge(string url, CancellationToken stop)
    {
        await using var socket = await TestSocket.ConnectAsync(url, stop);
        while (await socket.ReceiveAsync(stop) is { } text)
        {
            if (System.Text.Json.Nodes.JsonNode.Parse(text)?["op"]?.GetValue<string>() == "hello")
            {
                await socket.SendAsync($$"""{"op":"got","n":{{System.Text.Json.Nodes.JsonNode.Parse(text)!["n"]}}}""", stop);
            }
        }
    }
}
