using System.Net;
using System.Net.Sockets;
using Conformance.Harness.Clients;
using Conformance.Harness.Running;
using Conformance.Harness.Snapshots;
using Conformance.Mocks.Channels;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Tests.Engine;

/// <summary>UDP in scenarios: datagrams sent and expected beside WebSocket frames, in one timeline, and seeded faults.</summary>
[Parallelizable(ParallelScope.Children)]
public sealed class UdpTests
{
    [Test]
    public async Task UdpEcho_DatagramsAppearBetweenTheWebSocketFramesInTimeOrder()
    {
        // Given a scenario that expects a frame, a datagram exchange on the echo endpoint, then a frame on a new connection
        const string yaml = """
            id: echo/engine/udp-timeline
            protocol: echo
            rules: [echo.frames]
            steps:
              - expect_connect: { path: /ws }
              - expect: { json: { op: before } }
              - expect_datagram: { prefix: "0x0102", size: 4, as: voice, capture: { sent: $.hex } }
              - expect_datagram: { from: server, on: voice, match: even }
              - send_datagram: { hex: "0xff00", on: voice }
              - expect_datagram: { text: "got ff00", on: voice }
              - expect_connect: { path: /ws }
              - expect: { json: { op: after, sent: "${sent}" } }
            """;

        // When an in-process client speaks WebSocket, then UDP, then WebSocket again
        var result = await EngineHarness.RunAsync(yaml, async (env, stop) =>
        {
            await using (var first = await TestSocket.ConnectAsync(env["CONFORMANCE_URL"]!, stop))
            {
                await first.ReceiveAsync(stop);
                await first.SendAsync("""{"op":"before"}""", stop);

                // The pong shows the mock has read (and stamped) the frame before the datagram goes out on another socket.
                await first.SendAsync("""{"op":"ping"}""", stop);
                await first.ReceiveAsync(stop);
                using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
                var audio = new Uri(env["CONFORMANCE_AUDIO_URL"]!);
                var server = new IPEndPoint(IPAddress.Parse(audio.Host), audio.Port);
                await udp.SendAsync(new byte[] { 1, 2, 3, 4 }, server, stop);
                await udp.ReceiveAsync(stop);
                var scripted = await udp.ReceiveAsync(stop);
                await udp.SendAsync(System.Text.Encoding.UTF8.GetBytes("got " + Convert.ToHexString(scripted.Buffer).ToLowerInvariant()), server, stop);
                await udp.ReceiveAsync(stop);
                await using var second = await TestSocket.ConnectAsync(env["CONFORMANCE_URL"]!, stop);
                await second.ReceiveAsync(stop);
                await second.SendAsync("""{"op":"after","sent":"01020304"}""", stop);
                await Task.Delay(Timeout.Infinite, stop);
            }
        });

        // Then the run passes, the datagrams are stamped between the two frames, and the snapshot lists them in that order
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), result.Explain());
        var before = result.Transcript.OfType<FrameRecorded>().Single(f => f.Text == """{"op":"before"}""");
        var after = result.Transcript.OfType<FrameRecorded>().Single(f => f.Text?.Contains("after", StringComparison.Ordinal) == true);
        var datagrams = result.Transcript.OfType<DatagramRecorded>().ToList();
        Assert.That(datagrams, Has.Count.EqualTo(5), "the client's two, their two echoes, the scripted one");
        Assert.That(datagrams.All(d => d.At > before.At && d.At < after.At), "every datagram between the two frames");
        var snapshot = SnapshotRenderer.Render(result, EchoModule.Instance);
        var at = 0;
        foreach (var expected in new[] { "connection 1 /ws", "{\"op\":\"before\"}", "udp peer 2 on audio", "step 5: 0xFF00  (2 bytes)", "client:\n    0x01020304  (4 bytes)", "connection 3 /ws", "{\"op\":\"after\"" })
        {
            at = snapshot.IndexOf(expected, at, StringComparison.Ordinal);
            Assert.That(at, Is.GreaterThanOrEqualTo(0), $"'{expected}' in this order in:\n{snapshot}");
        }
    }

    [Test]
    public async Task UdpFaults_SameSeed_GiveTheSameFates_AnotherSeedOthers()
    {
        // Given seeded faults on the echo endpoint and twenty scripted datagrams
        static string Yaml(int seed) => $$"""
            id: echo/engine/udp-faults
            protocol: echo
            rules: [echo.frames]
            steps:
              - expect_datagram: { size: 1, as: peer }
              - expect_datagram: { from: server, on: peer }
              - udp_faults: { endpoint: audio, loss: 0.3, duplicate: 0.2, reorder: 0.2, delay: 0ms..5ms, seed: {{seed}} }
            """ + string.Concat(Enumerable.Range(0, 20).Select(i => $"\n  - send_datagram: {{ hex: \"{i:x2}\", on: peer }}")) + "\n  - wait: 300ms\n";

        async Task<IReadOnlyList<DatagramFate>> Fates(int seed)
        {
            var result = await EngineHarness.RunAsync(Yaml(seed), Listener);
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), result.Explain());
            Assert.That(result.Transcript.OfType<DatagramFaultsSet>().Single().Settings.Seed, Is.EqualTo(seed));
            return [.. result.Transcript.OfType<DatagramRecorded>().Where(d => d.Origin is not null).Select(d => d.Fate)];
        }

        // When the scenario runs twice with seed 11 and once with seed 12
        var first = await Fates(11);
        var again = await Fates(11);
        var other = await Fates(12);

        // Then seed 11 replays exactly, it did misbehave, and seed 12 misbehaves differently
        Assert.That(again, Is.EqualTo(first));
        Assert.That(first, Does.Contain(DatagramFate.Lost).And.Contain(DatagramFate.Duplicated));
        Assert.That(other, Is.Not.EqualTo(first));
    }

    [Test]
    public async Task UdpFaults_WithoutASeed_UseTheRunsSeed()
    {
        // Given faults without their own seed, in a run given seed 99 (as 'conformance run --seed 99' does)
        const string yaml = """
            id: echo/engine/udp-faults-run-seed
            protocol: echo
            rules: [echo.frames]
            steps:
              - udp_faults: { endpoint: audio, loss: 0.5 }
              - expect_datagram: { size: 1 }
            """;

        // When it runs
        var result = await EngineHarness.RunAsync(yaml, Listener, new RunOptions { Specs = EchoModule.Specs, Seed = 99 });

        // Then the faults were drawn from the run's seed, and that seed is recorded
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), result.Explain());
        Assert.That(result.Transcript.OfType<DatagramFaultsSet>().Single().Settings.Seed, Is.EqualTo(99));
    }

    /// <summary>Says hello on UDP, then reads whatever comes until stopped.</summary>
    private static async Task Listener(InProcessClientContext env, CancellationToken stop)
    {
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var audio = new Uri(env["CONFORMANCE_AUDIO_URL"]!);
        await udp.SendAsync(new byte[] { 7 }, new IPEndPoint(IPAddress.Parse(audio.Host), audio.Port), stop);
        while (true)
        {
            await udp.ReceiveAsync(stop);
        }
    }
}
