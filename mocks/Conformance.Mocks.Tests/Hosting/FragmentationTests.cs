using System.Net.WebSockets;
using System.Text;
using Conformance.Mocks.Protocols.ListenMoe;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Tests;

/// <summary>A message split over several WebSocket frames is one message, in either direction.</summary>
[Category("hosting")]
public sealed class FragmentationTests
{
    [Test]
    public async Task FragmentedClientMessage_IsRecordedAsOneFrameAndAnswered()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync();
        await using var client = await HeartbeatTests.ConnectedPastTrackAsync(mock);

        // When
        await client.SendAsync(Encoding.UTF8.GetBytes("""{"op":"""), WebSocketMessageType.Text, endOfMessage: false);
        await client.SendAsync(Encoding.UTF8.GetBytes("9}"), WebSocketMessageType.Text, endOfMessage: true);
        var reply = await client.ReceiveJsonAsync();

        // Then
        var fromClient = mock.Transcript.Snapshot().OfType<FrameRecorded>().Where(f => f.Direction == Direction.ClientToServer);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(fromClient.Select(f => f.Text), Is.EqualTo(new[] { """{"op":9}""" }));
            Assert.That(Op.Of(reply), Is.EqualTo(10));
        }
    }

    [Test]
    public async Task SendFragmented_InThreeParts_ArrivesWholeAtTheClient()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync();
        await using var client = await HeartbeatTests.ConnectedPastTrackAsync(mock);
        const string text = """{"op":1,"t":"TRACK_UPDATE","d":{"listeners":92}}""";

        // When
        var sent = await mock.LatestConnection!.SendFragmentedAsync(text, 3);
        var message = await client.ReceiveAsync();

        // Then
        var recorded = mock.Transcript.Snapshot().OfType<FrameRecorded>().Last();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sent, Is.True);
            Assert.That(message.Type, Is.EqualTo(WebSocketMessageType.Text));
            Assert.That(message.Text, Is.EqualTo(text));
            Assert.That(message.Fragments, Is.GreaterThanOrEqualTo(3), "it crossed the wire as several frames");
            Assert.That(recorded.Text, Is.EqualTo(text), "the transcript holds the whole message once");
        }
    }
}
