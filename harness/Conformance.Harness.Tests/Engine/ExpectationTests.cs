using Conformance.Harness.Clients;
using Conformance.Harness.Running;

namespace Conformance.Harness.Tests.Engine;

/// <summary>
/// The scenario language's expectations against in-process clients: forbidden frames, refusals with a status, lower
/// bounds on timing, and integers compared exactly at any size.
/// </summary>
[Parallelizable(ParallelScope.Children)]
public sealed class ExpectationTests
{
    [TestCase(false, Verdict.Pass)]
    [TestCase(true, Verdict.Fail)]
    public async Task ExpectNone_UntilTheNextStep_FailsOnlyWhenTheForbiddenFrameArrives(bool identify, Verdict expected)
    {
        // Given a guard against op identify over the step that waits for the ping
        const string yaml = """
            id: echo/engine/expect-none
            protocol: echo
            rules: [echo.frames]
            steps:
              - expect_connect: { path: /ws }
              - expect_none: { json: { op: identify } }
              - expect: { json: { op: ping } }
            """;

        // When the client sends a ping, after an identify or not
        var result = await EngineHarness.RunAsync(yaml, async (env, stop) =>
        {
            await using var socket = await TestSocket.ConnectAsync(env["CONFORMANCE_URL"]!, stop);
            await socket.ReceiveAsync(stop);
            if (identify)
            {
                await socket.SendAsync("""{"op":"identify","user_id":1}""", stop);
            }

            await socket.SendAsync("""{"op":"ping"}""", stop);
            await WaitForStop(socket, stop);
        });

        // Then only the identify breaks the rule, and the failure names the frame
        Assert.That(result.Verdict, Is.EqualTo(expected), result.Explain());
        if (identify)
        {
            Assert.That(result.Explain(), Does.Contain("expected no {\"op\":\"identify\"}").And.Contain("""{"op":"identify","user_id":1}"""));
        }
    }

    [Test]
    public async Task ExpectNone_ForADuration_FailsWhenTheFrameComesInsideIt()
    {
        const string yaml = """
            id: echo/engine/expect-none-for
            protocol: echo
            rules: [echo.frames]
            steps:
              - expect_connect: { path: /ws }
              - expect_none: { regex: identify, for: 2s }
            """;

        var result = await EngineHarness.RunAsync(yaml, async (env, stop) =>
        {
            await using var socket = await TestSocket.ConnectAsync(env["CONFORMANCE_URL"]!, stop);
            await socket.ReceiveAsync(stop);
            await socket.SendAsync("""{"op":"identify"}""", stop);
            await WaitForStop(socket, stop);
        });

        Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail), result.Explain());
        Assert.That(result.Rules.Single(r => r.Rule.Id == "echo.frames").Verdict, Is.EqualTo(Verdict.Fail));
    }

    [Test]
    public async Task Refuse_401WithAChallenge_ThenTheRetrySucceeds()
    {
        // Given the next upgrade refused with 401 and a Basic challenge
        const string yaml = """
            id: echo/engine/refuse
            protocol: echo
            rules: [echo.connect]
            steps:
              - refuse: { status: 401, headers: { WWW-Authenticate: 'Basic realm="echo"' }, body: wrong password }
              - expect_output: { regex: 'refused 401 Basic realm="echo"' }
              - expect_connect: { path: /ws }
              - expect: { from: server, json: { op: ready } }
            """;

        // When the client reports what it was refused with and tries again
        Func<InProcessClientContext, CancellationToken, Task> retry = async (env, stop) =>
        {
            await using var socket = await TestSocket.ConnectAsync(env["CONFORMANCE_URL"]!, stop);
            await WaitForStop(socket, stop);
        };
        var result = await EngineHarness.RunAsync(yaml, retry.WithRefusalReport());

        // Then the refusal is in the transcript with its status, and the retry is served
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), result.Explain());
        var refusal = result.Transcript.OfType<Mocks.Transcripts.ConnectionRefused>().Single();
        Assert.That((refusal.Status, refusal.Path), Is.EqualTo((401, "/ws")));
        Assert.That(refusal.Reason, Does.Contain("wrong password"));
    }

    [TestCase(0, Verdict.Fail)]
    [TestCase(1200, Verdict.Pass)]
    public async Task After_ReconnectEarlierThanTheLowerBound_Fails(int backoffMs, Verdict expected)
    {
        // Given a scenario that drops the client and wants it back no sooner than 1 s later
        const string yaml = """
            id: echo/engine/backoff
            protocol: echo
            rules: [echo.backoff]
            steps:
              - expect_connect: { path: /ws }
              - drop: {}
              - expect_connect: { path: /ws, after: 1s, within: 5s }
            """;

        // When the client reconnects at once, or after a backoff
        var result = await EngineHarness.RunAsync(yaml, async (env, stop) =>
        {
            try
            {
                await using var first = await TestSocket.ConnectAsync(env["CONFORMANCE_URL"]!, stop);
                await WaitForStop(first, stop);
            }
            catch (System.Net.WebSockets.WebSocketException)
            {
                // The drop can come before the client's handshake has finished.
            }

            await Task.Delay(backoffMs, stop);
            await using var second = await TestSocket.ConnectAsync(env["CONFORMANCE_URL"]!, stop);
            await WaitForStop(second, stop);
        });

        // Then the eager client fails the backoff rule with the measured time
        Assert.That(result.Verdict, Is.EqualTo(expected), result.Explain());
        if (expected == Verdict.Fail)
        {
            Assert.That(result.Explain(), Does.Match("connection 2 to /ws came [0-9]+ms after connection 1 ended \\(ServerDropped.*expected not before 1s"));
        }
    }

    [TestCase("123456789012345678901", Verdict.Pass)]
    [TestCase("123456789012345678900", Verdict.Fail)]
    public async Task Expect_SnowflakeBeyond64Bits_IsComparedExactly(string sent, Verdict expected)
    {
        const string yaml = """
            id: echo/engine/snowflake
            protocol: echo
            rules: [echo.frames]
            steps:
              - expect_connect: { path: /ws }
              - expect: { json: { op: identify, user_id: 123456789012345678901, shard: { $is: integer }, token: { $is: absent } }, within: 2s }
            """;

        var result = await EngineHarness.RunAsync(yaml, async (env, stop) =>
        {
            await using var socket = await TestSocket.ConnectAsync(env["CONFORMANCE_URL"]!, stop);
            await socket.SendAsync($$"""{"op":"identify","user_id":{{sent}},"shard":0}""", stop);
            await WaitForStop(socket, stop);
        });

        Assert.That(result.Verdict, Is.EqualTo(expected), result.Explain());
    }

    [TestCase("""{"op":"identify","d":{"user":7}}""", Verdict.Pass)]
    [TestCase("""{"op":"identify","d":{"user":7,"shard":null}}""", Verdict.Fail)]
    public async Task Capture_OfAnAbsentField_MatchesOnlyAnAbsentFieldLater(string second, Verdict expected)
    {
        // Given a first identify without a shard, and a second that must carry the same shard (here: none at all)
        const string yaml = """
            id: echo/engine/absent-capture
            protocol: echo
            rules: [echo.frames]
            steps:
              - expect_connect: { path: /ws }
              - expect: { json: { op: identify }, capture: { user: $.d.user, shard: $.d.shard } }
              - expect: { json: { op: identify, d: { user: "${user}", shard: "${shard}" } }, within: 2s }
            """;

        // When the client leaves the shard out both times, or sends null the second time
        var result = await EngineHarness.RunAsync(yaml, async (env, stop) =>
        {
            await using var socket = await TestSocket.ConnectAsync(env["CONFORMANCE_URL"]!, stop);
            await socket.SendAsync("""{"op":"identify","d":{"user":7}}""", stop);
            await socket.SendAsync(second, stop);
            await WaitForStop(socket, stop);
        });

        // Then "absent" is kept apart from null
        Assert.That(result.Verdict, Is.EqualTo(expected), result.Explain());
    }

    /// <summary>Reads until the mock closes or the harness stops the client.</summary>
    private static async Task WaitForStop(TestSocket socket, CancellationToken stop)
    {
        try
        {
            while (await socket.ReceiveAsync(stop) is not null)
            {
            }
        }
        catch (System.Net.WebSockets.WebSocketException)
        {
            // Dropped by the mock.
        }
    }
}

/// <summary>Adds to a client a first attempt that prints the status and challenge of a refused upgrade.</summary>
internal static class RefusalReport
{
    public static Func<InProcessClientContext, CancellationToken, Task> WithRefusalReport(this Func<InProcessClientContext, CancellationToken, Task> then) =>
        async (env, stop) =>
        {
            using var socket = new System.Net.WebSockets.ClientWebSocket();
            socket.Options.CollectHttpResponseDetails = true;
            try
            {
                await socket.ConnectAsync(new Uri(env["CONFORMANCE_URL"]!), stop);
            }
            catch (System.Net.WebSockets.WebSocketException)
            {
                var challenge = socket.HttpResponseHeaders?.TryGetValue("WWW-Authenticate", out var values) == true ? string.Join(",", values) : "";
                env.WriteLine($"refused {(int)socket.HttpStatusCode} {challenge}");
            }

            await then(env, stop);
        };
}
