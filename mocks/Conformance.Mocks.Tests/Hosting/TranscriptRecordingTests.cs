using System.Net.WebSockets;
using Conformance.Mocks.Protocols.ListenMoe;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Tests;

/// <summary>Everything that crosses the socket is recorded, in order, as it happened.</summary>
[Category("hosting")]
public sealed class TranscriptRecordingTests
{
    [Test]
    public async Task Connect_ToGateway_RecordsConnectionOpenedWithPathAndEndpoint()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync();

        // When
        await using var client = await TestClient.ConnectAsync(mock.Url + "?encoding=json");
        await client.ReceiveJsonAsync();

        // Then
        var opened = mock.Transcript.Snapshot().OfType<ConnectionOpened>().Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(opened.Index, Is.Zero);
            Assert.That(opened.Connection, Is.EqualTo(1));
            Assert.That(opened.Endpoint, Is.EqualTo(ListenMoeMock.Endpoints.Gateway));
            Assert.That(opened.Path, Is.EqualTo("/gateway_v2"));
            Assert.That(opened.Query, Is.EqualTo("?encoding=json"));
            Assert.That(opened.Headers.Keys, Has.None.StartsWith("Sec-WebSocket-"));
        }
    }

    [Test]
    public async Task Frames_InBothDirections_AreRecordedInOrderWithIncreasingIndexAndTime()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync();
        await using var client = await HeartbeatTests.ConnectedPastTrackAsync(mock);

        // When
        await client.SendTextAsync("""{"op":9}""");
        await client.ReceiveJsonAsync();
        await client.SendTextAsync("""{"op":2}""");
        await client.ReceiveJsonAsync();
        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "done");
        using var timeout = Timeouts.Wait();
        var closed = await mock.Transcript.WaitForAsync<ConnectionClosed>(0, _ => true, timeout.Token);

        // Then
        var entries = mock.Transcript.Snapshot();
        var frames = entries.OfType<FrameRecorded>()
            .Select(f => (f.Direction, Op: f.Text![..Math.Min(8, f.Text!.Length)]))
            .ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(entries.Select(e => e.Index), Is.EqualTo(Enumerable.Range(0, entries.Count)));
            Assert.That(entries.Select(e => e.At), Is.Ordered);
            Assert.That(frames, Is.EqualTo(new[]
            {
                (Direction.ServerToClient, """{"op":0,"""),
                (Direction.ServerToClient, """{"op":1,"""),
                (Direction.ClientToServer, """{"op":9}"""),
                (Direction.ServerToClient, """{"op":10"""),
                (Direction.ClientToServer, """{"op":2}"""),
                (Direction.ServerToClient, """{"op":1,"""),
            }));
            Assert.That(closed, Is.EqualTo(entries[^1]));
            Assert.That(closed!.By, Is.EqualTo(CloseInitiator.Client));
            Assert.That(closed.Code, Is.EqualTo(1000));
            Assert.That(closed.Reason, Is.EqualTo("done"));
        }
    }

    [Test]
    public async Task Close_ByClientWithCustomCode_RecordsTheClientsCode()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync();
        await using var client = await HeartbeatTests.ConnectedPastTrackAsync(mock);

        // When
        await client.CloseAsync((WebSocketCloseStatus)4000, "reconnecting");
        using var timeout = Timeouts.Wait();
        var closed = await mock.Transcript.WaitForAsync<ConnectionClosed>(0, _ => true, timeout.Token);

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(closed?.By, Is.EqualTo(CloseInitiator.Client));
            Assert.That(closed?.Code, Is.EqualTo(4000));
            Assert.That(client.State, Is.EqualTo(WebSocketState.Closed), "the mock completed the close handshake");
            Assert.That(mock.LatestConnection!.IsOpen, Is.False);
        }
    }
}
