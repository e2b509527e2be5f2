using System.Net;
using System.Net.Sockets;
using Conformance.Mocks.Channels;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Tests.Channels;

/// <summary>UDP endpoints: bound at start or while the mock runs, each on its own port, announced, and released.</summary>
[Category("hosting")]
public sealed class UdpEndpointTests
{
    [Test]
    public async Task Urls_WithAUdpEndpoint_GiveItsUdpUrlBesideTheWebSocketOne()
    {
        // Given
        await using var mock = await EchoMock.StartAsync();

        // When
        var urls = mock.Urls;

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(urls.Keys, Is.EqualTo(new[] { EchoMock.Control, EchoMock.Audio }));
            Assert.That(urls[EchoMock.Control], Is.EqualTo($"ws://127.0.0.1:{mock.HttpUrl.Port}/control"));
            Assert.That(urls[EchoMock.Audio], Is.EqualTo($"udp://127.0.0.1:{mock.AudioSocket.Port}"));
            Assert.That(mock.AudioSocket.Port, Is.Not.EqualTo(0));
        }
    }

    [Test]
    public async Task OpenUdp_OnARunningHost_ServesItsOwnPortAndIsAnnounced()
    {
        // Given
        await using var mock = await EchoMock.StartAsync();

        // When
        var podcast = mock.Host.OpenUdp(new UdpEndpoint("podcast-1", _ => new EchoDatagrams()));
        using var udp = new TestUdpClient(podcast.Port);
        await udp.SendAsync(0x2A);
        var echo = await udp.ReceiveAsync();

        // Then
        var peer = mock.Transcript.Snapshot().OfType<UdpPeerOpened>().Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(echo, Is.EqualTo(new byte[] { 0x2A }));
            Assert.That(podcast.Port, Is.Not.EqualTo(mock.AudioSocket.Port));
            Assert.That(mock.Urls["podcast-1"], Is.EqualTo($"udp://127.0.0.1:{podcast.Port}"));
            Assert.That(peer.Endpoint, Is.EqualTo("podcast-1"));
        }
    }

    [Test]
    public async Task OpenUdp_WithANameInUse_ThrowsWithTheName()
    {
        // Given
        await using var mock = await EchoMock.StartAsync();

        // When
        var open = () => mock.Host.OpenUdp(new UdpEndpoint(EchoMock.Control, _ => new EchoDatagrams()));

        // Then
        Assert.That(open, Throws.ArgumentException.With.Message.Contains("'control'"));
    }

    [Test]
    public void StartAsync_WithTwoEndpointsOfOneName_ThrowsWithTheName()
    {
        // Given
        MockEndpoint[] endpoints =
        [
            new WebSocketEndpoint("audio", "/audio", _ => new ConnectionHandlerStub()),
            new UdpEndpoint("audio", _ => new EchoDatagrams()),
        ];

        // When
        var start = async () => await MockHost.StartAsync(new MockHostOptions(), endpoints, new Transcript());

        // Then
        Assert.That(start, Throws.ArgumentException.With.Message.Contains("'audio'"));
    }

    [Test]
    public async Task CloseAsync_ReleasesThePortEndsItsPeersAndLeavesTheUrls()
    {
        // Given
        await using var mock = await EchoMock.StartAsync();
        var podcast = mock.Host.OpenUdp(new UdpEndpoint("podcast-1", _ => new EchoDatagrams()));
        using var udp = await UdpTimelineTests.EchoedPeerAsync(mock, podcast.Port);
        var peer = (UdpPeer)mock.Channels.Single();

        // When
        await podcast.CloseAsync();

        // Then
        var closed = mock.Transcript.Snapshot().OfType<ConnectionClosed>().Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(CanBind(podcast.Port), Is.True);
            Assert.That(peer.IsOpen, Is.False);
            Assert.That(peer.Closed.IsCancellationRequested, Is.True);
            Assert.That(closed.Connection, Is.EqualTo(peer.Id));
            Assert.That(closed.By, Is.EqualTo(CloseInitiator.Teardown));
            Assert.That(mock.Urls.Keys, Is.EqualTo(new[] { EchoMock.Control, EchoMock.Audio }));
            Assert.That(await peer.SendBinaryAsync([1]), Is.False);
        }
    }

    [Test]
    public async Task Dispose_WithPeers_ReleasesEveryUdpPort()
    {
        // Given: the endpoint bound at start and one opened later, each with a peer, and their ports taken meanwhile
        var mock = await EchoMock.StartAsync();
        var podcast = mock.Host.OpenUdp(new UdpEndpoint("podcast-1", _ => new EchoDatagrams()));
        int[] ports = [mock.AudioSocket.Port, podcast.Port];
        using var first = await UdpTimelineTests.EchoedPeerAsync(mock);
        using var second = await UdpTimelineTests.EchoedPeerAsync(mock, podcast.Port);
        var boundWhileRunning = ports.Select(CanBind).ToList();

        // When
        await mock.DisposeAsync();

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(boundWhileRunning, Is.All.False, "the mock holds its UDP ports while it runs");
            Assert.That(ports.Select(CanBind), Is.All.True);
            Assert.That(mock.Transcript.Snapshot().OfType<ConnectionClosed>().Select(c => c.By), Is.EqualTo(new[] { CloseInitiator.Teardown, CloseInitiator.Teardown }));
        }
    }

    [Test]
    public async Task OpenUdp_AfterDispose_Throws()
    {
        // Given
        var mock = await EchoMock.StartAsync();
        var host = mock.Host;
        await mock.DisposeAsync();

        // When
        var open = () => host.OpenUdp(new UdpEndpoint("late", _ => new EchoDatagrams()));

        // Then
        Assert.That(open, Throws.TypeOf<ObjectDisposedException>());
    }

    [Test]
    public async Task Drop_ThenTheSamePeerSendsAgain_OpensANewChannel()
    {
        // Given
        await using var mock = await EchoMock.StartAsync();
        using var udp = await UdpTimelineTests.EchoedPeerAsync(mock);
        var dropped = mock.Channels.Single();

        // When
        dropped.Drop();
        await udp.SendAsync(9);
        var echo = await udp.ReceiveAsync();

        // Then
        var entries = mock.Transcript.Snapshot();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(echo, Is.EqualTo(new byte[] { 9 }));
            Assert.That(mock.Channels.Select(c => (c.Id, c.IsOpen)), Is.EqualTo(new[] { (1, false), (2, true) }));
            Assert.That(entries.OfType<ConnectionClosed>().Single().By, Is.EqualTo(CloseInitiator.ServerDropped));
            Assert.That(entries.OfType<DatagramRecorded>().Last().Channel, Is.EqualTo(2));
        }
    }

    [Test]
    public async Task HandlerException_IsRecordedAsAFaultAndThePeerIsStillServed()
    {
        // Given: a handler that throws on an empty datagram and echoes the rest
        var mock = await EchoMock.StartAsync();
        var flaky = mock.Host.OpenUdp(new UdpEndpoint("flaky", _ => new ThrowsOnEmpty()));
        using var udp = new TestUdpClient(flaky.Port);

        // When
        await udp.SendAsync();
        await udp.SendAsync(5);
        var echo = await udp.ReceiveAsync();

        // Then
        var faults = mock.Transcript.Snapshot().OfType<MockFault>().ToList();
        var disposal = async () => await mock.DisposeAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(echo, Is.EqualTo(new byte[] { 5 }));
            Assert.That(faults.Select(f => f.Message), Is.EqualTo(new[] { "empty datagram on channel 1" }));
            Assert.That(disposal, Throws.TypeOf<AggregateException>());
        }
    }

    private static bool CanBind(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return false;
        }
    }

    private sealed class ThrowsOnEmpty : DatagramHandler
    {
        public override Task OnDatagramAsync(UdpPeer peer, DatagramRecorded datagram) =>
            datagram.Payload.Length == 0
                ? throw new InvalidOperationException($"empty datagram on channel {peer.Id}")
                : peer.SendBinaryAsync(datagram.Payload);
    }

    private sealed class ConnectionHandlerStub : ConnectionHandler;
}
