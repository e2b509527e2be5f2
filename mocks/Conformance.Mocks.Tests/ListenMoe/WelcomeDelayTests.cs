using System.Net.WebSockets;
using Conformance.Mocks.Json;
using Conformance.Mocks.Protocols.ListenMoe;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Tests;

/// <summary><see cref="ListenMoeOptions.WelcomeDelay"/> holds op 0 back to catch clients that speak before the welcome.</summary>
[Category("listenmoe")]
public sealed class WelcomeDelayTests
{
    [Test]
    public async Task Welcome_WithDelay_ArrivesAfterAClientFrameSentRightAfterConnect()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync(o => o.WelcomeDelay = TimeSpan.FromSeconds(1));
        await using var client = await TestClient.ConnectAsync(mock.Url);

        // When: a frame the gateway does not answer, so the next frame the client sees is the welcome
        await client.SendTextAsync("early");
        var welcome = await client.ReceiveJsonAsync();

        // Then
        var frames = mock.Transcript.Snapshot().OfType<FrameRecorded>().ToList();
        var early = frames.Single(f => f.Direction == Direction.ClientToServer);
        var op0 = frames.First(f => f.Direction == Direction.ServerToClient && f.Text!.Contains("\"op\":0", StringComparison.Ordinal));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Op.Of(welcome), Is.Zero);
            Assert.That(early.Index, Is.LessThan(op0.Index), "the early frame is recorded before the delayed welcome");
        }
    }

    [Test]
    public async Task Welcome_WithDelay_StillPrecedesScheduledTrackUpdates()
    {
        // Given: the song changes several times while the welcome is held back
        await using var mock = await ListenMoeMock.StartAsync(o =>
        {
            o.WelcomeDelay = TimeSpan.FromMilliseconds(500);
            o.TrackChangeInterval = TimeSpan.FromMilliseconds(50);
        });

        // When
        await using var client = await TestClient.ConnectAsync(mock.Url);
        var first = await client.ReceiveJsonAsync();

        // Then: seed §Heartbeating, the server's first frame is op 0
        Assert.That(Op.Of(first), Is.Zero, () => $"first frame was {JsonText.Write(first)}");
    }

    [Test]
    public async Task Close_ByClientDuringWelcomeDelay_CompletesTheHandshakeAndIsRecorded()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync(o => o.WelcomeDelay = TimeSpan.FromSeconds(30));
        await using var client = await TestClient.ConnectAsync(mock.Url);

        // When
        var closing = client.CloseAsync(WebSocketCloseStatus.NormalClosure, "leaving");
        using var timeout = Timeouts.Wait();
        var closed = await mock.Transcript.WaitForAsync<ConnectionClosed>(0, _ => true, timeout.Token);

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(async () => await closing, Throws.Nothing, "the mock answers the close frame");
            Assert.That(client.State, Is.EqualTo(WebSocketState.Closed));
            Assert.That(closed?.By, Is.EqualTo(CloseInitiator.Client));
            Assert.That(mock.Transcript.Snapshot().OfType<FrameRecorded>(), Is.Empty, "no welcome after the close");
            Assert.That(mock.Host.Faults, Is.Empty);
        }
    }
}
