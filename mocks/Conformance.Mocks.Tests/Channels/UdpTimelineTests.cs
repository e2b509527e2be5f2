using System.Text;
using System.Text.Json.Nodes;
using Conformance.Mocks.Channels;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Tests.Channels;

/// <summary>WebSocket frames and UDP datagrams of one run share one transcript, one clock and one sequence of channel ids.</summary>
[Category("hosting")]
public sealed class UdpTimelineTests
{
    [Test]
    public async Task FrameThenDatagramThenFrame_TranscriptHoldsTheDatagramsBetweenTheFrames()
    {
        // Given
        await using var mock = await EchoMock.StartAsync();

        // When
        var entries = await FrameDatagramFrameAsync(mock);

        // Then: in index order and in time order, frame "one", its echo, the datagram and its echo, then frame "two"
        var timeline = entries.Where(e => e is FrameRecorded or DatagramRecorded).Select(Describe).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(timeline, Is.EqualTo(new[]
            {
                "frame 1 client one", "frame 1 server one",
                "datagram 2 client 0x0102FF", "datagram 2 server 0x0102FF",
                "frame 1 client two", "frame 1 server two",
            }));
            Assert.That(entries.Select(e => e.At), Is.Ordered);
            Assert.That(entries.Select(e => e.Index), Is.EqualTo(Enumerable.Range(0, entries.Count)));
        }
    }

    [Test]
    public async Task FrameThenDatagramThenFrame_JsonTranscriptShowsThePeerAndItsDatagrams()
    {
        // Given
        await using var mock = await EchoMock.StartAsync();
        var entries = await FrameDatagramFrameAsync(mock);

        // When
        var json = TranscriptJson.ToJson(entries).Select(e => e!.AsObject()).ToList();

        // Then
        var peer = json.Single(e => Kind(e) == nameof(UdpPeerOpened));
        var datagrams = json.Where(e => Kind(e) == nameof(DatagramRecorded)).Select(e => e.ToJsonString()).ToList();
        var kinds = json.Select(Kind).Where(k => k is nameof(FrameRecorded) or nameof(DatagramRecorded)).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(peer["channel"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(peer["endpoint"]!.GetValue<string>(), Is.EqualTo(EchoMock.Audio));
            Assert.That(peer["remote"]!.GetValue<string>(), Does.StartWith("127.0.0.1:"));
            Assert.That(datagrams, Has.Count.EqualTo(2));
            Assert.That(datagrams[0], Does.Contain(""" "channel":2,"direction":"client","size":3,"hex":"0x0102FF" """.Trim()));
            Assert.That(datagrams[1], Does.Contain(""" "channel":2,"direction":"server","size":3,"hex":"0x0102FF" """.Trim()));
            Assert.That(kinds, Is.EqualTo(new[]
            {
                nameof(FrameRecorded), nameof(FrameRecorded), nameof(DatagramRecorded), nameof(DatagramRecorded),
                nameof(FrameRecorded), nameof(FrameRecorded),
            }));
        }
    }

    [Test]
    public async Task ChannelIds_ComeFromOneSequenceForBothTransports()
    {
        // Given
        await using var mock = await EchoMock.StartAsync();

        // When: a connection, a UDP peer, another connection, another UDP peer, in that order
        await using var first = await EchoedConnectionAsync(mock);
        using var firstPeer = await EchoedPeerAsync(mock);
        await using var second = await EchoedConnectionAsync(mock);
        using var secondPeer = await EchoedPeerAsync(mock);

        // Then
        var channels = mock.Channels.Select(c => $"{c.Id} {c.Transport}");
        Assert.That(channels, Is.EqualTo(new[] { "1 WebSocket", "2 Udp", "3 WebSocket", "4 Udp" }));
    }

    [Test]
    public async Task OnePeer_SendingTwice_IsOneChannel()
    {
        // Given
        await using var mock = await EchoMock.StartAsync();
        using var udp = await EchoedPeerAsync(mock);

        // When
        await udp.SendAsync(7);
        await udp.ReceiveAsync();

        // Then
        var peer = (UdpPeer)mock.Channels.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(mock.Transcript.Snapshot().OfType<UdpPeerOpened>().Count(), Is.EqualTo(1));
            Assert.That(peer.Remote, Is.EqualTo(udp.LocalEndPoint));
            Assert.That(mock.Transcript.Snapshot().OfType<DatagramRecorded>().Select(d => d.Channel), Is.All.EqualTo(peer.Id));
        }
    }

    /// <summary>A text frame "one", the datagram 01 02 FF, a text frame "two"; each echo awaited before the next send.</summary>
    internal static async Task<IReadOnlyList<TranscriptEntry>> FrameDatagramFrameAsync(EchoMock mock)
    {
        await using var client = await TestClient.ConnectAsync(mock.ControlUrl);
        using var udp = new TestUdpClient(mock.AudioSocket.Port);
        await client.SendTextAsync("one");
        Assert.That(await client.ReceiveTextAsync(), Is.EqualTo("one"));
        await udp.SendAsync(0x01, 0x02, 0xFF);
        Assert.That(await udp.ReceiveAsync(), Is.EqualTo(new byte[] { 0x01, 0x02, 0xFF }));
        await client.SendTextAsync("two");
        Assert.That(await client.ReceiveTextAsync(), Is.EqualTo("two"));
        return mock.Transcript.Snapshot();
    }

    internal static async Task<TestClient> EchoedConnectionAsync(EchoMock mock)
    {
        var client = await TestClient.ConnectAsync(mock.ControlUrl);
        await client.SendTextAsync("hi");
        await client.ReceiveTextAsync();
        return client;
    }

    internal static async Task<TestUdpClient> EchoedPeerAsync(EchoMock mock, int? port = null)
    {
        var udp = new TestUdpClient(port ?? mock.AudioSocket.Port);
        await udp.SendAsync(Encoding.UTF8.GetBytes("hi"));
        await udp.ReceiveAsync();
        return udp;
    }

    private static string Kind(JsonObject entry) => entry["kind"]!.GetValue<string>();

    private static string Describe(TranscriptEntry entry) => entry switch
    {
        FrameRecorded f => $"frame {f.Connection} {(f.Direction == Direction.ClientToServer ? "client" : "server")} {f.Display}",
        DatagramRecorded d => $"datagram {d.Channel} {(d.Direction == Direction.ClientToServer ? "client" : "server")} {d.Display}",
        _ => entry.GetType().Name,
    };
}
