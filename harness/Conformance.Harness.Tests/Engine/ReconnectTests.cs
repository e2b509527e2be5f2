using System.Net.WebSockets;
using Conformance.Harness.Clients;
using Conformance.Harness.Running;

namespace Conformance.Harness.Tests.Engine;

/// <summary>
/// <c>expect_reconnects</c> with <c>refuse</c> and <c>drop</c>, against in-process clients that reconnect on a schedule of
/// their own: each way of getting reconnecting wrong breaks the rule the step names for it, and no other.
/// </summary>
[Parallelizable(ParallelScope.Children)]
public sealed class ReconnectTests
{
    private const string Scenario = """
        id: echo/engine/reconnects
        protocol: echo
        rules: [echo.connect, echo.reconnect, echo.storm, echo.backoff]
        timeout: 20s
        steps:
          - expect_connect: { path: /ws, rule: echo.connect }
          - refuse: { status: 503, body: restarting, times: 3 }
          - drop: {}
          - expect_reconnects:
              times: 4
              within: 8s
              storm: { min: 100ms, limit: 5, per: 1s, rule: echo.storm }
              backoff: { grows: true, max: 1s, rule: echo.backoff }
              rule: echo.reconnect
          - expect: { json: { op: ping }, within: 2s, rule: echo.reconnect }
        """;

    [Test]
    public async Task ExpectReconnects_GrowingBackoff_PassesAndActsOnTheNewConnection()
    {
        // Given a client that waits 150 ms after the drop, then 300, 600 ms after each refusal, and pings once let in
        var result = await EngineHarness.RunAsync(Scenario, Reconnecting([150, 300, 600]));

        // Then every rule passes: four attempts, the last accepted and taken up by the next step
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), result.Explain());
        Assert.That(result.Transcript.OfType<Mocks.Transcripts.ConnectionRefused>().Count(), Is.EqualTo(3));
    }

    [Test]
    public async Task ExpectReconnects_AtOnce_FailsTheStormRuleOnly()
    {
        // Given a client that reconnects the moment it can
        var result = await EngineHarness.RunAsync(Scenario, Reconnecting([0, 0, 0]));

        // Then the storm rule (a SHOULD) warns with the attempts and the expected minimum; nothing else is broken
        Assert.That(result.Broken.Select(r => r.Rule.Id), Is.EqualTo(new[] { "echo.storm" }), result.Explain());
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Warn));
        Assert.That(result.Explain(), Does.Contain("expected no attempt within 100ms of the one before").And.Contain("after the end of connection 1 (ServerDropped)"));
    }

    [Test]
    public async Task ExpectReconnects_FlatBackoff_FailsTheBackoffRuleOnly()
    {
        // Given a client that waits 300 ms every time
        var result = await EngineHarness.RunAsync(Scenario, Reconnecting([300, 300, 300]));

        // Then the backoff rule fails, saying the waits never grew
        Assert.That(result.Broken.Select(r => r.Rule.Id), Is.EqualTo(new[] { "echo.backoff" }), result.Explain());
        Assert.That(result.Explain(), Does.Contain("the waits after failed attempts never grew"));
    }

    [Test]
    public async Task ExpectReconnects_WaitBeyondTheCap_FailsTheBackoffRule()
    {
        // Given a client whose third wait (1.6 s) is past the 1 s cap and its jitter allowance (1.25 s)
        var result = await EngineHarness.RunAsync(Scenario, Reconnecting([150, 400, 1600]));

        // Then the backoff rule fails naming that attempt
        Assert.That(result.Broken.Select(r => r.Rule.Id), Is.EqualTo(new[] { "echo.backoff" }), result.Explain());
        Assert.That(result.Explain(), Does.Match("#[0-9]+ came [0-9]+ms after #[0-9]+").And.Contain("no wait longer than 1000ms"));
    }

    [Test]
    public async Task ExpectReconnects_ClientGivesUpAfterARefusal_FailsTheStepRuleWithWhatItSaw()
    {
        // Given a client that tries once after the drop and then stops trying
        var result = await EngineHarness.RunAsync(Scenario, Reconnecting([150], giveUpAfter: 1));

        // Then the step's own rule fails: one attempt of four, listed with its time and wait
        Assert.That(result.Broken.Select(r => r.Rule.Id), Is.EqualTo(new[] { "echo.reconnect" }), result.Explain());
        Assert.That(result.Explain(), Does.Match(@"expected 4 reconnect attempts \(or one accepted\) within 8s, after the end of connection 1 .*; got 1: #[0-9]+ refused 503 /ws at [0-9]+ms \(\+[0-9]+ms\)"));
    }

    /// <summary>
    /// Connects, waits for the drop, then reconnects after <paramref name="waits"/> (the first after the drop, the next
    /// after each refusal; the last wait repeats), ending after <paramref name="giveUpAfter"/> attempts if given; once
    /// let in, pings and stays.
    /// </summary>
    private static Func<InProcessClientContext, CancellationToken, Task> Reconnecting(int[] waits, int giveUpAfter = int.MaxValue) => async (env, stop) =>
    {
        var url = env["CONFORMANCE_URL"]!;
        try
        {
            await using var first = await TestSocket.ConnectAsync(url, stop);
            while (await first.ReceiveAsync(stop) is not null)
            {
                // The greeting, then the drop ends the loop.
            }
        }
        catch (WebSocketException)
        {
            // Dropped without a close frame, as the scenario does.
        }

        for (var attempt = 0; attempt < giveUpAfter; attempt++)
        {
            await Task.Delay(waits[Math.Min(attempt, waits.Length - 1)], stop);
            TestSocket socket;
            try
            {
                socket = await TestSocket.ConnectAsync(url, stop);
            }
            catch (WebSocketException)
            {
                continue; // refused: wait and try again
            }

            await using (socket)
            {
                await socket.SendAsync("""{"op":"ping"}""", stop);
                while (await socket.ReceiveAsync(stop) is not null)
                {
                    // Stay until stopped.
                }
            }

            return;
        }

        // Gave up: the client ends, as one that stops trying would.
    };
}
