using System.Net.WebSockets;
using Conformance.Mocks.Protocols.ListenMoe;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Tests;

/// <summary>The ways a mock ends a connection: a close frame, or a drop with none (digest §8: close with 4001, 1006).</summary>
[Category("hosting")]
public sealed class ServerCloseTests
{
    [Test]
    public async Task CloseAsync_WithCode4001_ReachesTheClientAndIsRecordedAsServer()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync();
        await using var client = await HeartbeatTests.ConnectedPastTrackAsync(mock);

        // When
        await mock.LatestConnection!.CloseAsync(4001, "heartbeat missed");
        var code = await client.ReceiveCloseAsync();

        // Then
        var closed = mock.Transcript.Snapshot().OfType<ConnectionClosed>().Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That((int?)code, Is.EqualTo(4001));
            Assert.That(client.CloseStatusDescription, Is.EqualTo("heartbeat missed"));
            Assert.That(closed.By, Is.EqualTo(CloseInitiator.Server));
            Assert.That(closed.Code, Is.EqualTo(4001));
            Assert.That(closed.Reason, Is.EqualTo("heartbeat missed"));
        }
    }

    [Test]
    public async Task Drop_OpenConnection_EndsWithoutACloseFrameAndIsRecordedAsServerDropped()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync();
        await using var client = await HeartbeatTests.ConnectedPastTrackAsync(mock);

        // When
        mock.LatestConnection!.Drop();
        var abrupt = Assert.ThrowsAsync<WebSocketException>(() => client.ReceiveAsync());

        // Then
        var closed = mock.Transcript.Snapshot().OfType<ConnectionClosed>().Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(abrupt.WebSocketErrorCode, Is.EqualTo(WebSocketError.ConnectionClosedPrematurely));
            Assert.That(client.CloseStatus, Is.Null, "no close frame arrived");
            Assert.That(closed.By, Is.EqualTo(CloseInitiator.ServerDropped));
            Assert.That(closed.Code, Is.Null);
        }
    }

    [Test]
    public async Task Send_AfterClose_IsNotSentNorRecorded()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync();
        await using var client = await HeartbeatTests.ConnectedPastTrackAsync(mock);
        var connection = mock.LatestConnection!;
        await connection.CloseAsync(1000);
        var recorded = mock.Transcript.Count;

        // When
        var sent = await connection.SendTextAsync("""{"op":10}""");

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sent, Is.False);
            Assert.That(mock.Transcript.Count, Is.EqualTo(recorded));
        }
    }
}
