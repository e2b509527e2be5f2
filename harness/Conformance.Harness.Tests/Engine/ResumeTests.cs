using System.Text.Json.Nodes;
using Conformance.Harness.Running;

namespace Conformance.Harness.Tests.Engine;

/// <summary>
/// A resume written as YAML: capture the session id from the mock's own frame, drop, hold two sends while the client is
/// away, expect it on <c>/ws/resume/${session}</c>, and expect the held frames replayed there in order.
/// </summary>
[Parallelizable(ParallelScope.Children)]
public sealed class ResumeTests
{
    private const string Scenario = """
        id: echo/engine/resume
        protocol: echo
        rules: [echo.resume]
        timeout: 15s
        steps:
          - expect_connect: { path: /ws }
          - expect: { from: server, json: { op: ready, resumed: false }, capture: { session: $.session } }
          - expect: { json: { op: ping } }
          - drop: {}
          - send: { json: { op: event, n: 1 } }
          - send: { json: { op: event, n: 2, session: "${session}" } }
          - expect_connect: { path: "/ws/resume/{resumed}", as: second }
          - expect: { from: server, json: { op: ready, resumed: true, session: "${resumed}" } }
          - expect: { from: server, json: { op: event, n: 1 } }
          - expect: { from: server, json: { op: event, n: 2, session: "${session}" } }
          - expect: { json: { op: got, n: 1 }, on: second }
          - expect: { json: { op: got, n: 2 }, on: second }
        """;

    [Test]
    public async Task Resume_HeldSendsAreReplayedInOrderOnTheResumedConnection()
    {
        // Given a client that resumes its session after a drop and acknowledges what it then receives
        // When the scenario drops it and sends twice while it is away
        var result = await EngineHarness.RunAsync(Scenario, ResumingClient(sessionOverride: null));

        // Then both frames were held for its session and came, in order, after the resumed ready
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), result.Explain());
        var held = result.Transcript.OfType<Mocks.Transcripts.FrameHeld>().ToList();
        Assert.That(held.Select(h => h.Session), Is.EqualTo(new[] { "s1", "s1" }));
        var replayed = result.Transcript.OfType<Mocks.Transcripts.FrameRecorded>()
            .Where(f => f.Connection == 2 && f.Direction == Mocks.Transcripts.Direction.ServerToClient).Select(f => f.Text).ToList();
        Assert.That(replayed, Is.EqualTo(new[]
        {
            """{"op":"ready","session":"s1","resumed":true}""",
            """{"op":"event","n":1}""",
            """{"op":"event","n":2,"session":"s1"}""",
        }));
    }

    [Test]
    public async Task Resume_ClientResumingAnotherSession_FailsTheResumeRule()
    {
        // Given a client that resumes a session id it was never given
        var result = await EngineHarness.RunAsync(Scenario, ResumingClient(sessionOverride: "s9"));

        // Then the mock refuses it (close 4004) and the held frames never come: the resume rule fails
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail), result.Explain());
        Assert.That(result.Rules.Single(r => r.Rule.Id == "echo.resume").Verdict, Is.EqualTo(Verdict.Fail));
    }

    /// <summary>Connects, pings, waits for the drop, resumes (its own session unless overridden) and acknowledges events.</summary>
    private static Func<Harness.Clients.InProcessClientContext, CancellationToken, Task> ResumingClient(string? sessionOverride) => async (env, stop) =>
    {
        var url = env["CONFORMANCE_URL"]!;
        string session;
        await using (var first = await TestSocket.ConnectAsync(url, stop))
        {
            var ready = JsonNode.Parse((await first.ReceiveAsync(stop))!)!;
            session = ready["session"]!.GetValue<string>();
            await first.SendAsync("""{"op":"ping"}""", stop);
            try
            {
                while (await first.ReceiveAsync(stop) is not null)
                {
                    // The pong, then the drop ends the loop.
                }
            }
            catch (System.Net.WebSockets.WebSocketException)
            {
                // Dropped without a close frame, as the scenario does.
            }
        }

        await Task.Delay(300, stop);
        await using var second = await TestSocket.ConnectAsync($"{url}/resume/{sessionOverride ?? session}", stop);
        while (await second.ReceiveAsync(stop) is { } text)
        {
            if (JsonNode.Parse(text) is JsonObject { } frame && frame["op"]?.GetValue<string>() == "event")
            {
                await second.SendAsync($$"""{"op":"got","n":{{frame["n"]}}}""", stop);
            }
        }
    };
}
