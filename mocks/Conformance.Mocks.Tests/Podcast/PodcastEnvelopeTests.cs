using System.Text.Json.Nodes;
using Conformance.Mocks.Protocols.Podcast;

namespace Conformance.Mocks.Tests;

/// <summary>
/// The older generations' envelopes (discord-podcasts/documentation history; discord-podcasts/backend-beta
/// src/websocket/events/events.rs EventWrapper, src/requests.rs MessageWrapper): <c>rust-2022</c> sends
/// <c>{event_type, data}</c> and takes <c>{message_type, data}</c>; an unknown envelope name is refused at start.
/// </summary>
[Category("podcast")]
public sealed class PodcastEnvelopeTests
{
    [Test]
    public async Task Rust2022_HelloAndClientJoin_AreEventTypeAndData()
    {
        // Given / When: the client's Connected is {"message_type":2,"data":{ip,port}}
        await using var rig = await PodcastRig.HostAsync(o =>
        {
            o.Envelope = "rust-2022";
            o.SimulatedListeners = 1;
        });
        var host = rig.Client;

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(host.Hello!.ToJsonString(), Does.StartWith($$"""{"podcast_id":{{host.PodcastId}},"ip":"127.0.0.1","port":{{host.AudioPort}},"secret":["""));
            Assert.That(rig.Joins, Is.EqualTo(new[] { """{"event_type":4,"data":{"client_id":2}}""", """{"event_type":4,"data":{"client_id":3}}""" }));
            Assert.That(rig.Mock.Transcript.Snapshot().OfType<Transcripts.FrameRecorded>().First().Text, Does.StartWith("""{"event_type":1,"data":{"podcast_id":"""));
        }
    }

    [Test]
    public async Task Rust2022_ConnectedAsMessageType1_IsTakenAsConnected()
    {
        // Given the prototype's client message: backend-beta src/websocket/ws.rs on_message_receive takes
        // message_type == 1 as ClientConnect {ip, port} (src/requests.rs), as PodcastEnvelope.Rust2022's summary says
        await using var rig = await PodcastRig.ListenerAsync(o =>
        {
            o.Envelope = "rust-2022";
            o.HostPackets = 0;
        }, join: false);
        var listener = rig.Client;
        var address = new JsonObject { ["ip"] = "127.0.0.1", ["port"] = listener.UdpEndPoint.Port };

        // When
        await listener.Socket.SendTextAsync(new JsonObject { ["message_type"] = 1, ["data"] = address }.ToJsonString());
        var reply = await listener.Socket.ReceiveTextAsync(TimeSpan.FromSeconds(5));

        // Then
        Assert.That(reply, Is.EqualTo("""{"event_type":4,"data":{"client_id":2}}"""));
    }

    [TestCase("legacy")]
    [TestCase("")]
    [TestCase("rust")]
    public void StartAsync_WithAnUnknownEnvelope_ThrowsArgumentExceptionNamingTheAllowedOnes(string envelope)
    {
        // Given / When
        var thrown = Assert.ThrowsAsync<ArgumentException>(async () =>
        {
            await using var mock = await PodcastMock.StartAsync(o => o.Envelope = envelope);
        });

        // Then
        Assert.That(thrown!.Message, Does.Contain($"'{envelope}'").And.Contain("current, rust-2022, kotlin-2022"));
    }
}
