using Conformance.Mocks.Hosting;
using Conformance.Mocks.Protocols.ListenMoe;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Tests;

/// <summary>
/// <see cref="ProtocolMock.BroadcastAsync"/> sends to every connection at once: a client that stops reading holds up
/// only its own send, until <see cref="MockHostOptions.SendTimeout"/> cuts it, never the other clients'.
/// Real sockets on 127.0.0.1; the send timeout runs on a fake clock, so nothing waits for it in real time.
/// </summary>
[Category("hosting")]
public sealed class BroadcastTests
{
    private const int FrameBytes = 1 << 20;
    private const int Frames = 16;
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(5);

    [Test]
    public async Task Broadcast_OneClientStopsReading_TheOtherGetsEveryFrameAndTheStalledOneIsCut()
    {
        // Given a client that stopped reading (connected first, so a one-by-one broadcast would reach it first)
        // and a client that reads
        var clock = new WatchedClock();
        await using var mock = await ListenMoeMock.StartAsync(
            configure: null, host: new MockHostOptions { SendTimeout = SendTimeout }, transcript: new Transcript(clock));
        using var stalledClient = await StalledClient.ConnectAsync(mock.Url);
        await using var reader = await HeartbeatTests.ConnectedPastTrackAsync(mock);
        var stalled = mock.Connections[0];
        await stalled.Opened.WaitAsync(TestClient.DefaultTimeout);

        // When 16 MiB are broadcast in 1 MiB frames, far more than the stalled client's socket buffers hold
        var receivedWhileStalledOpen = new List<int>();
        var reached = new List<int>();
        for (var i = 0; i < Frames; i++)
        {
            var timersBefore = clock.TimersSet;
            var broadcast = mock.BroadcastAsync(Frame(i));

            // The reader gets each frame while the broadcast may still wait on the stalled client.
            var got = await reader.ReceiveTextAsync();
            Assert.That(got[..3], Is.EqualTo(Frame(i)[..3]), "frames reach the reader in order");
            if (stalled.IsOpen)
            {
                receivedWhileStalledOpen.Add(i);
            }

            // A heartbeat's ack queues behind frame i on the reader's connection: once it arrives, the reader's send of
            // frame i is done, and only a send to the stalled client can still be waiting on the clock...
            await reader.SendTextAsync("""{"op":9}""");
            Assert.That(Op.Of(await reader.ReceiveJsonAsync()), Is.EqualTo(10));

            // ...which the send timeout then cuts, on the fake clock: moved on only once a send is waiting on it.
            while (!broadcast.IsCompleted)
            {
                await Task.WhenAny(broadcast, clock.MoreTimersThanAsync(timersBefore)).WaitAsync(TestClient.DefaultTimeout);
                timersBefore = clock.TimersSet;
                if (!broadcast.IsCompleted)
                {
                    clock.Advance(SendTimeout);
                }
            }

            reached.Add(await broadcast);
        }

        // Then the stalled connection was cut as ClientStalled, on the frame it could not take, after the reader had that frame
        var ended = stalled.Ended;
        var stallFrame = mock.Transcript.Snapshot().OfType<FrameRecorded>()
            .Last(f => f.Connection == stalled.Id && f.Direction == Direction.ServerToClient);
        var stallIndex = int.Parse(stallFrame.Text![..2], System.Globalization.CultureInfo.InvariantCulture);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ended?.By, Is.EqualTo(CloseInitiator.ClientStalled));
            Assert.That(ended?.Stall?.MessageBytes, Is.EqualTo(FrameBytes));
            Assert.That(ended?.Stall?.Timeout, Is.EqualTo(SendTimeout));
            Assert.That(receivedWhileStalledOpen, Does.Contain(stallIndex), "the reader had the frame the stalled client could not take before the stalled one was cut");
            Assert.That(reached.Take(stallIndex), Has.All.EqualTo(2));
            Assert.That(reached.Skip(stallIndex), Has.All.EqualTo(1), "from the stall on only the reader is reached");
            Assert.That(mock.Connections[1].IsOpen, Is.True);
            Assert.That(mock.Host.Faults, Is.Empty);
        }
    }

    /// <summary>A 1 MiB text frame whose first two characters are its number.</summary>
    private static string Frame(int i) => $"{i:D2}:" + new string('x', FrameBytes - 3);
}
