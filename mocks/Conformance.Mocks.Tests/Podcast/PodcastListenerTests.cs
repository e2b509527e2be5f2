using System.Net.WebSockets;
using System.Text;
using Conformance.Mocks.Protocols.Podcast;
using Conformance.Mocks.Transcripts;
using Sodium;
using static Conformance.Mocks.Transcripts.DatagramDecisionKind;

namespace Conformance.Mocks.Tests;

/// <summary>
/// A listener under test on the podcast of the simulated host (discord-podcasts/documentation resources/websocket.md
/// §WS /listen, §Lifecycle, §End; resources/audio.md): Hello, ClientJoin, the host's sealed audio, and the end.
/// </summary>
[Category("podcast")]
public sealed class PodcastListenerTests
{
    [Test]
    public async Task Listen_ToTheSimulatedPodcast_FirstFrameIsItsHello()
    {
        // Given
        await using var mock = await PodcastMock.StartAsync();
        await using var listener = await PodcastClient.ListenAsync(mock);

        // When
        var hello = await listener.ReadHelloAsync();

        // Then
        var id = mock.Options.PodcastId;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(hello, Is.EqualTo(Podcasts.Hello(id, listener.AudioPort, Podcasts.SecretOf(mock, id))));
            Assert.That(mock.Urls[$"podcast-{id}"], Is.EqualTo($"udp://127.0.0.1:{listener.AudioPort}"));
            Assert.That(listener.Secret, Has.Length.EqualTo(32));
        }
    }

    [Test]
    public async Task Listen_Connected_ClientJoinWithItsOwnClientId()
    {
        // Given / When: the simulated host is client 1
        await using var rig = await PodcastRig.ListenerAsync(o => o.HostPackets = 0);

        // Then
        Assert.That(rig.Joins, Is.EqualTo(new[] { Podcasts.ClientJoin(2) }));
    }

    [Test]
    public async Task Listen_AfterClientJoin_ReceivesTheHostsPacketsThatOpenToOpusFramesInOrder()
    {
        // Given
        await using var rig = await PodcastRig.ListenerAsync(o => o.HostPackets = 3);
        var listener = rig.Client;

        // When
        var packets = new List<byte[]>();
        for (var k = 0; k < 3; k++)
        {
            packets.Add(await listener.ReceiveAudioAsync());
        }

        // Then each is nonce(24) ‖ secretbox under Hello's secret, recorded on the listener's peer of the podcast's endpoint
        var opened = packets.Select(p => Encoding.ASCII.GetString(SecretBox.Open(p[24..], p[..24], listener.Secret!)));
        var peer = await Podcasts.PeerAsync(rig.Mock, rig.Mock.Options.PodcastId, listener.UdpEndPoint);
        var sent = rig.Mock.Transcript.Snapshot().OfType<DatagramRecorded>().Where(d => d.Direction == Direction.ServerToClient).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(opened, Is.EqualTo(new[] { "opus frame 1", "opus frame 2", "opus frame 3" }));
            Assert.That(sent.Select(d => d.Channel), Is.All.EqualTo(peer.Channel));
            Assert.That(sent.Select(d => d.Payload), Is.EqualTo(packets));
        }
    }

    [Test]
    public async Task Listen_WithoutASecret_ReceivesPlainOpusFrames()
    {
        // Given
        await using var rig = await PodcastRig.ListenerAsync(o =>
        {
            o.SendSecret = false;
            o.HostPackets = 2;
        });

        // When
        var first = await rig.Client.ReceiveAudioAsync();
        var second = await rig.Client.ReceiveAudioAsync();

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rig.Client.Secret, Is.Null);
            Assert.That(new[] { first, second }.Select(Encoding.ASCII.GetString), Is.EqualTo(new[] { "opus frame 1", "opus frame 2" }));
        }
    }

    [Test]
    public async Task Listen_OwnDatagram_IsNotRelayed()
    {
        // Given
        await using var rig = await PodcastRig.ListenerAsync(o => o.HostPackets = 0);

        // When
        var decisions = await Podcasts.SendAndDecideAsync(rig.Mock, rig.Client, Podcasts.Sealed("opus frame 1", rig.Client.Secret!));

        // Then
        Assert.That(decisions, Is.EqualTo(new[] { NotRelayed }));
    }

    [Test]
    public async Task Listen_HostLeaves_EndThenTheMockClosesTheSocketAfterTheGrace()
    {
        // Given a host that streams two packets, then leaves
        await using var rig = await PodcastRig.ListenerAsync(o =>
        {
            o.HostPackets = 2;
            o.HostLeavesAfter = TimeSpan.FromMilliseconds(50);
            o.EndGrace = TimeSpan.FromMilliseconds(200);
        });
        var (mock, listener) = rig;

        // When the client does not close
        var end = await listener.Socket.ReceiveTextAsync();
        var status = await listener.Socket.ReceiveCloseAsync();

        // Then
        var closed = await Podcasts.WaitForAsync<ConnectionClosed>(mock, c => c.Connection == listener.Connection!.Id);
        using var http = new PodcastHttp(mock);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(end, Is.EqualTo(Podcasts.End));
            Assert.That(status, Is.EqualTo(WebSocketCloseStatus.NormalClosure));
            Assert.That(listener.Socket.CloseStatusDescription, Is.EqualTo("the podcast ended"));
            Assert.That(closed.By, Is.EqualTo(CloseInitiator.Server));
            Assert.That(await http.ListedIdsAsync(), Is.Empty);
        }
    }

    [Test]
    public async Task Listen_ClosingAfterEnd_IsTheClientsClose()
    {
        // Given a host that leaves at once, and a long grace
        await using var rig = await PodcastRig.ListenerAsync(o =>
        {
            o.HostPackets = 1;
            o.HostLeavesAfter = TimeSpan.Zero;
            o.EndGrace = TimeSpan.FromMinutes(5);
        });
        var (mock, listener) = rig;
        Assert.That(await listener.Socket.ReceiveTextAsync(), Is.EqualTo(Podcasts.End));

        // When
        await listener.Socket.CloseAsync();

        // Then
        var closed = await Podcasts.WaitForAsync<ConnectionClosed>(mock, c => c.Connection == listener.Connection!.Id);
        Assert.That((closed.By, closed.Code), Is.EqualTo((CloseInitiator.Client, (int?)1000)));
    }

    [Test]
    public async Task Listen_DatagramAfterEnd_IsAfterEnd()
    {
        // Given
        await using var rig = await PodcastRig.ListenerAsync(o =>
        {
            o.HostPackets = 1;
            o.HostLeavesAfter = TimeSpan.Zero;
            o.EndGrace = TimeSpan.FromMinutes(5);
        });
        Assert.That(await rig.Client.Socket.ReceiveTextAsync(), Is.EqualTo(Podcasts.End));

        // When
        var decisions = await Podcasts.SendAndDecideAsync(rig.Mock, rig.Client, Podcasts.Plain(50));

        // Then
        Assert.That(decisions, Is.EqualTo(new[] { AfterEnd }));
    }

    [Test]
    public async Task Listen_SecondListenerJoinsAndTheFirstLeaves_ClientJoinThenDisconnectedGoToTheOther()
    {
        // Given one listener that has joined
        await using var rig = await PodcastRig.ListenerAsync(o => o.HostPackets = 0);
        var (mock, first) = rig;
        await using var second = await PodcastClient.ListenAsync(mock);

        // When the second joins, then the first leaves
        var joins = await second.JoinAsync();
        var toFirst = await first.Socket.ReceiveTextAsync();
        await first.Socket.CloseAsync();
        var toSecond = await second.Socket.ReceiveTextAsync();

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(joins, Is.EqualTo(new[] { Podcasts.ClientJoin(3) }));
            Assert.That(toFirst, Is.EqualTo(Podcasts.ClientJoin(3)));
            Assert.That(toSecond, Is.EqualTo(Podcasts.Disconnected(2)));
        }
    }

    [Test]
    public async Task Listen_WithAHelloDelay_GetsNoOtherClientsClientJoinBeforeItsHello()
    {
        // Given a host whose podcast a listener joins while its Hello is held back
        await using var mock = await PodcastMock.StartAsync(o =>
        {
            o.HelloDelay = TimeSpan.FromSeconds(1);
            o.SimulatedListeners = 0;
        });
        await using var host = await PodcastClient.HostAsync(mock);
        await host.ReadHelloAsync();
        await using var listener = await PodcastClient.ListenAsync(mock, host.PodcastId);
        await Podcasts.EventuallyAsync(() => mock.Find(host.PodcastId)!.Audience.Count == 1, "in the audience");

        // When the host is confirmed meanwhile
        await host.SendConnectedAsync();
        var hostJoin = await host.Socket.ReceiveTextAsync();
        var first = await listener.Socket.ReceiveTextAsync();

        // Then the listener's first frame is still its Hello (resources/websocket.md §Lifecycle: await the Hello Event)
        using (Assert.EnterMultipleScope())
        {
            Assert.That(hostJoin, Is.EqualTo(Podcasts.ClientJoin(2)));
            Assert.That(first, Does.StartWith("""{"t":1,"""), "a ClientJoin overtook the listener's Hello");
        }
    }
}
