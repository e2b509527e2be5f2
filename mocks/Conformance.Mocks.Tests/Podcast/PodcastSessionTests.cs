using System.Net;

namespace Conformance.Mocks.Tests;

/// <summary>
/// A host and a listener both under test on one podcast (discord-podcasts/documentation resources/websocket.md §Client
/// Connect, §Client Disconnect, §End): each one's ClientJoin reaches the other, the host's audio reaches the listener,
/// the listener's leaving is Disconnected to the host, and the host's leaving ends the podcast.
/// </summary>
[Category("podcast")]
public sealed class PodcastSessionTests
{
    [Test]
    public async Task ListenerJoins_ItsClientJoinGoesToTheHostAndToItself()
    {
        // Given a confirmed host (client 2) with the two simulated listeners (3 and 4)
        await using var rig = await PodcastRig.HostAsync();
        var (mock, host) = rig;
        await using var listener = await PodcastClient.ListenAsync(mock, host.PodcastId);

        // When
        var joins = await listener.JoinAsync();
        var toHost = await host.Socket.ReceiveTextAsync();

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(listener.Hello!["podcast_id"]!.GetValue<long>(), Is.EqualTo(mock.Options.PodcastId + 1));
            Assert.That(listener.AudioPort, Is.EqualTo(host.AudioPort));
            Assert.That(listener.Secret, Is.EqualTo(host.Secret));
            Assert.That(joins, Is.EqualTo(new[] { Podcasts.ClientJoin(5) }));
            Assert.That(toHost, Is.EqualTo(Podcasts.ClientJoin(5)));
        }
    }

    [Test]
    public async Task HostSendsAudio_TheListenerReceivesItVerbatimBesideTheSimulatedOnes()
    {
        // Given
        await using var rig = await PodcastRig.HostAsync();
        var (mock, host) = rig;
        await using var listener = await PodcastClient.ListenAsync(mock, host.PodcastId);
        await listener.JoinAsync();
        var packet = Podcasts.Sealed("opus frame 7", host.Secret!);

        // When
        await host.SendAudioAsync(packet);
        var received = await listener.ReceiveAudioAsync();
        var relayedTo = await Podcasts.RelayedAsync(mock, packet, 3);

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(received, Is.EqualTo(packet));
            Assert.That(relayedTo, Is.EquivalentTo(Podcasts.SimulatedListeners(mock, host.PodcastId).Append(listener.UdpEndPoint)));
        }
    }

    [Test]
    public async Task ListenerCloses_HostGetsDisconnectedWithTheListenersClientId()
    {
        // Given
        await using var rig = await PodcastRig.HostAsync();
        var (mock, host) = rig;
        await using var listener = await PodcastClient.ListenAsync(mock, host.PodcastId);
        await listener.JoinAsync();
        _ = await host.Socket.ReceiveTextAsync();

        // When
        await listener.Socket.CloseAsync();
        var toHost = await host.Socket.ReceiveTextAsync();

        // Then
        Assert.That(toHost, Is.EqualTo(Podcasts.Disconnected(5)));
    }

    [Test]
    public async Task HostCloses_ListenerGetsEndAndThePodcastLeavesTheList()
    {
        // Given
        await using var rig = await PodcastRig.HostAsync();
        var (mock, host) = rig;
        await using var listener = await PodcastClient.ListenAsync(mock, host.PodcastId);
        await listener.JoinAsync();
        using var http = new PodcastHttp(mock);
        var before = await http.ListedIdsAsync();

        // When
        await host.Socket.CloseAsync();
        var toListener = await listener.Socket.ReceiveTextAsync();

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(before, Is.EqualTo(new[] { mock.Options.PodcastId, host.PodcastId }));
            Assert.That(toListener, Is.EqualTo(Podcasts.End));
            Assert.That(await http.ListedIdsAsync(), Is.EqualTo(new[] { mock.Options.PodcastId }));
            Assert.That((await http.GetAsync($"/podcast?id={host.PodcastId}")).Status, Is.EqualTo(HttpStatusCode.NotFound));
        }
    }

    [Test]
    public async Task ListenerBeforeTheHostIsConfirmed_GetsTheHostsClientJoinToo()
    {
        // Given a host that has read Hello only, and a listener that has joined its podcast
        await using var rig = await PodcastRig.HostAsync(o => o.SimulatedListeners = 0, join: false);
        var (mock, host) = rig;
        await using var listener = await PodcastClient.ListenAsync(mock, host.PodcastId);
        var listenerJoins = await listener.JoinAsync();
        var toHost = await host.Socket.ReceiveTextAsync();

        // When
        await host.SendConnectedAsync();
        var hostJoin = await host.Socket.ReceiveTextAsync();
        var toListener = await listener.Socket.ReceiveTextAsync();

        // Then: the listener is client 3, the host 2
        using (Assert.EnterMultipleScope())
        {
            Assert.That(listenerJoins, Is.EqualTo(new[] { Podcasts.ClientJoin(3) }));
            Assert.That(toHost, Is.EqualTo(Podcasts.ClientJoin(3)));
            Assert.That(hostJoin, Is.EqualTo(Podcasts.ClientJoin(2)));
            Assert.That(toListener, Is.EqualTo(Podcasts.ClientJoin(2)));
        }
    }
}
