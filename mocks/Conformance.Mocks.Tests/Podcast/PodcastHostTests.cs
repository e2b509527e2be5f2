using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Conformance.Mocks.Protocols.Podcast;
using Conformance.Mocks.Transcripts;
using Sodium;
using static Conformance.Mocks.Transcripts.DatagramDecisionKind;

namespace Conformance.Mocks.Tests;

/// <summary>
/// A host under test (discord-podcasts/documentation resources/websocket.md §GET /ws, §Hello, §Connected, §Lifecycle;
/// the relay of discord-podcasts/backend-beta src/audio_server.rs): Hello for a new podcast with its own UDP socket,
/// ClientJoin for the host and the simulated listeners, and what the relay makes of each datagram.
/// </summary>
[Category("podcast")]
public sealed class PodcastHostTests
{
    [Test]
    public async Task Host_Connect_FirstFrameIsHelloForTheNextPodcastOnItsOwnBoundUdpSocket()
    {
        // Given
        await using var mock = await PodcastMock.StartAsync();
        await using var host = await PodcastClient.HostAsync(mock);

        // When
        var hello = await host.ReadHelloAsync();
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await host.SendAudioAsync(probe, [1, 2, 3]);
        var peer = await Podcasts.PeerAsync(mock, mock.Options.PodcastId + 1, (IPEndPoint)probe.Client.LocalEndPoint!);

        // Then podcast ids follow the simulated one; the port is that of endpoint podcast-<id>, which receives
        var id = mock.Options.PodcastId + 1;
        var secret = Podcasts.SecretOf(mock, id);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(hello, Is.EqualTo(Podcasts.Hello(id, host.AudioPort, secret)));
            Assert.That(mock.Urls[$"podcast-{id}"], Is.EqualTo($"udp://127.0.0.1:{host.AudioPort}"));
            Assert.That(host.AudioPort, Is.Not.EqualTo(mock.HttpUrl.Port));
            Assert.That(host.Secret, Has.Length.EqualTo(32));
            Assert.That(secret, Is.EqualTo(host.Secret));
            Assert.That(peer.Endpoint, Is.EqualTo($"podcast-{id}"));
        }
    }

    [Test]
    public async Task Host_WithSendSecretFalse_HelloHasNoSecret()
    {
        // Given / When
        await using var rig = await PodcastRig.HostAsync(o => o.SendSecret = false, join: false);

        // Then
        var host = rig.Client;
        Assert.That(host.Hello!.ToJsonString(), Is.EqualTo($$"""{"podcast_id":{{rig.Mock.Options.PodcastId + 1}},"ip":"127.0.0.1","port":{{host.AudioPort}}}"""));
    }

    [TestCase(0)]
    [TestCase(2)]
    [TestCase(3)]
    public async Task Host_Connected_ClientJoinForTheHostThenOnePerSimulatedListener(int listeners)
    {
        // Given / When: the simulated host is client 1, so the host under test is 2
        await using var rig = await PodcastRig.HostAsync(o => o.SimulatedListeners = listeners);

        // Then
        var expected = Enumerable.Range(2, 1 + listeners).Select(c => Podcasts.ClientJoin(c));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rig.Joins, Is.EqualTo(expected));
            Assert.That(Podcasts.SimulatedListeners(rig.Mock, rig.Client.PodcastId), Has.Length.EqualTo(listeners));
        }
    }

    [TestCase("opus frame 1", "\"opus frame 1\"")]
    [TestCase("", "0 bytes of audio")]
    public async Task Host_SealedPacketAfterJoin_IsOpenedRelayedAndForwardedVerbatimToEverySimulatedListener(string audio, string described)
    {
        // Given: nonce(24) ‖ MAC(16) ‖ audio, 40 bytes at the least
        await using var rig = await PodcastRig.HostAsync();
        var (mock, host) = rig;
        var packet = Podcasts.Sealed(audio, host.Secret!);

        // When
        var decisions = await Podcasts.SendAndDecideAsync(mock, host, packet);
        var relayedTo = await Podcasts.RelayedAsync(mock, packet, mock.Options.SimulatedListeners);

        // Then
        var datagram = mock.Transcript.Snapshot().OfType<DatagramRecorded>().First(d => d.Direction == Direction.ClientToServer);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(packet, Has.Length.EqualTo(40 + audio.Length));
            Assert.That(decisions, Is.EqualTo(new[] { Opened, Relayed }));
            Assert.That(relayedTo, Is.EquivalentTo(Podcasts.SimulatedListeners(mock, host.PodcastId)));
            Assert.That(datagram.Note, Is.EqualTo($"sealed, opens: {described}; relayed to 2 listeners"));
        }
    }

    [Test]
    public async Task Host_PacketFromAnotherPort_IsUnknownSourceAndNotRelayed()
    {
        // Given
        await using var rig = await PodcastRig.HostAsync();
        var (mock, host) = rig;
        using var other = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var packet = Podcasts.Sealed("opus frame 1", host.Secret!);

        // When
        var decisions = await Podcasts.SendAndDecideAsync(mock, host, packet, other);

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(decisions, Is.EqualTo(new[] { UnknownSource }));
            Assert.That(mock.Transcript.Snapshot().OfType<DatagramRecorded>().Where(d => d.Direction == Direction.ServerToClient), Is.Empty);
        }
    }

    [Test]
    public async Task Host_PacketBeforeClientJoinWithAJoinDelay_IsTooEarly()
    {
        // Given a Connected the mock has registered but not yet confirmed
        await using var rig = await PodcastRig.HostAsync(o => o.JoinDelay = TimeSpan.FromMinutes(5), join: false);
        var (mock, host) = rig;
        await host.SendConnectedAsync();
        await Podcasts.EventuallyAsync(() => mock.Of(host.Connection!)?.Party.Audio is not null, "registered");

        // When
        var decisions = await Podcasts.SendAndDecideAsync(mock, host, Podcasts.Sealed("opus frame 1", host.Secret!));

        // Then
        Assert.That(decisions, Is.EqualTo(new[] { TooEarly }));
    }

    [Test]
    public async Task DisposeAsync_Twice_IgnoresTheSecondCall()
    {
        // Given a mock with a joined host, stopped once
        await using var rig = await PodcastRig.HostAsync();
        await rig.Mock.DisposeAsync();

        // When
        var again = async () => await rig.Mock.DisposeAsync();

        // Then IAsyncDisposable: calls after the first are ignored and do not throw
        Assert.That(again, Throws.Nothing);
    }

    [TestCase("unsealed, 40 bytes")]
    [TestCase("unsealed, 200 bytes")]
    [TestCase("nonce last")]
    [TestCase("another secret")]
    public async Task Host_PacketThatDoesNotOpenWithTheSecret_DoesNotOpenAndIsStillRelayed(string packet)
    {
        // Given
        await using var rig = await PodcastRig.HostAsync();
        var secret = rig.Client.Secret!;
        var nonce = Podcasts.Nonce();
        var audio = "opus frame 1"u8.ToArray();
        var bytes = packet switch
        {
            "unsealed, 40 bytes" => Podcasts.Plain(40),
            "unsealed, 200 bytes" => Podcasts.Plain(200),
            "nonce last" => [.. SecretBox.Create(audio, nonce, secret), .. nonce],
            _ => PodcastAudio.Seal(audio, nonce, [.. secret.Select(b => (byte)(b ^ 0xFF))]),
        };

        // When
        var decisions = await Podcasts.SendAndDecideAsync(rig.Mock, rig.Client, bytes);

        // Then the relay forwards whatever the host sends
        Assert.That(decisions, Is.EqualTo(new[] { DoesNotOpen, Relayed }));
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(39)]
    public async Task Host_PacketShorterThanANonceAndAMac_IsTooShort(int length)
    {
        // Given
        await using var rig = await PodcastRig.HostAsync();

        // When
        var decisions = await Podcasts.SendAndDecideAsync(rig.Mock, rig.Client, Podcasts.Plain(length));

        // Then
        Assert.That(decisions, Is.EqualTo(new[] { TooShort, Relayed }));
    }

    [TestCase(3)]
    [TestCase(120)]
    public async Task Host_PacketWithoutASecret_IsPlain(int length)
    {
        // Given
        await using var rig = await PodcastRig.HostAsync(o => o.SendSecret = false);

        // When
        var decisions = await Podcasts.SendAndDecideAsync(rig.Mock, rig.Client, Podcasts.Plain(length));

        // Then
        Assert.That(decisions, Is.EqualTo(new[] { Plain, Relayed }));
    }

    [Test]
    public async Task Host_WithoutConnectedByTheDeadline_IsClosedAndLosesItsPodcast()
    {
        // Given
        await using var rig = await PodcastRig.HostAsync(o => o.HostDeadline = TimeSpan.FromMilliseconds(200), join: false);
        var (mock, host) = rig;

        // When
        var status = await host.Socket.ReceiveCloseAsync();
        await Podcasts.EventuallyAsync(() => mock.Find(host.PodcastId) is null, "ended");

        // Then
        using var http = new PodcastHttp(mock);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(WebSocketCloseStatus.NormalClosure));
            Assert.That(host.Socket.CloseStatusDescription, Is.EqualTo("host deadline: no Connected"));
            Assert.That(await http.ListedIdsAsync(), Is.EqualTo(new[] { mock.Options.PodcastId }));
        }
    }

    [Test]
    public async Task Host_WithAHelloDelay_ConnectedBeforeHelloIsConfirmedOnlyAfterHello()
    {
        // Given a Hello the mock holds back
        await using var mock = await PodcastMock.StartAsync(o =>
        {
            o.HelloDelay = TimeSpan.FromSeconds(1);
            o.SimulatedListeners = 0;
        });
        await using var host = await PodcastClient.HostAsync(mock);

        // When the client sends Connected at once
        await host.SendConnectedAsync();
        var hello = await host.ReadHelloAsync();
        var join = await host.Socket.ReceiveTextAsync();

        // Then: Connected came before Hello, and ClientJoin only after it
        var frames = mock.Transcript.Snapshot().OfType<FrameRecorded>().ToList();
        var connected = frames.Single(f => f.Direction == Direction.ClientToServer);
        var sent = frames.Where(f => f.Direction == Direction.ServerToClient).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(hello, Does.StartWith("""{"t":1,"""));
            Assert.That(join, Is.EqualTo(Podcasts.ClientJoin(2)));
            Assert.That(sent.Select(f => f.Text), Is.EqualTo(new[] { hello, join }));
            Assert.That(connected.Index, Is.LessThan(sent[0].Index), "the test's Connected must overtake Hello");
        }
    }
}
