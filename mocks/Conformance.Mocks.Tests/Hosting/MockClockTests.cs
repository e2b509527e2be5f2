using Conformance.Mocks.Protocols.ListenMoe;
using Conformance.Mocks.Protocols.PlugDj;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Tests;

/// <summary>
/// The mocks' timers run on the transcript's clock (<see cref="Transcript.Time"/>): on a fake clock, a welcome delay, a
/// periodic track change, a delayed ack, a keep-alive and an auth deadline each fire when the clock is moved past them,
/// not after real time, and the frame they send is stamped with exactly that time.
/// </summary>
[Category("hosting")]
public sealed class MockClockTests
{
    [Test]
    public async Task ListenMoe_WelcomeDelay_FiresWhenTheFakeClockReachesIt()
    {
        // Given a welcome held back for an hour
        var clock = new WatchedClock();
        await using var mock = await ListenMoeMock.StartAsync(o => o.WelcomeDelay = TimeSpan.FromHours(1), transcript: new Transcript(clock));
        await using var client = await TestClient.ConnectAsync(mock.Url);
        await clock.TimerSetAsync(TimeSpan.FromHours(1));
        var sentBefore = ServerFrames(mock).Count;

        // When the clock moves on by that hour
        clock.Advance(TimeSpan.FromHours(1));
        var welcome = await client.ReceiveJsonAsync();

        // Then op 0 arrives at once, stamped at one hour
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sentBefore, Is.Zero, "nothing is sent before the clock moves");
            Assert.That(Op.Of(welcome), Is.Zero);
            Assert.That(ServerFrames(mock)[0].At, Is.EqualTo(TimeSpan.FromHours(1)));
        }
    }

    [Test]
    public async Task ListenMoe_TrackChangeInterval_TicksOnTheFakeClock()
    {
        // Given songs that change every minute
        var clock = new WatchedClock();
        await using var mock = await ListenMoeMock.StartAsync(o => o.TrackChangeInterval = TimeSpan.FromMinutes(1), transcript: new Transcript(clock));
        await using var client = await HeartbeatTests.ConnectedPastTrackAsync(mock);
        await mock.Connections[0].Opened.WaitAsync(TestClient.DefaultTimeout);

        // When a minute passes on the clock
        clock.Advance(TimeSpan.FromMinutes(1));
        var update = await client.ReceiveJsonAsync();

        // Then the next song goes out, stamped at one minute
        using (Assert.EnterMultipleScope())
        {
            Assert.That((Op.Of(update), Op.TypeOf(update)), Is.EqualTo((1, "TRACK_UPDATE")));
            Assert.That(ServerFrames(mock)[^1].At, Is.EqualTo(TimeSpan.FromMinutes(1)));
        }
    }

    [Test]
    public async Task ListenMoe_AckDelay_ScheduledOnTheConnection_FiresOnTheFakeClock()
    {
        // Given acks delayed by 30 s (MockConnection.Schedule)
        var clock = new WatchedClock();
        await using var mock = await ListenMoeMock.StartAsync(o => o.AckDelay = TimeSpan.FromSeconds(30), transcript: new Transcript(clock));
        await using var client = await HeartbeatTests.ConnectedPastTrackAsync(mock);

        // When the client beats and 30 s pass on the clock
        await client.SendTextAsync("""{"op":9}""");
        await clock.TimerSetAsync(TimeSpan.FromSeconds(30));
        clock.Advance(TimeSpan.FromSeconds(30));
        var ack = await client.ReceiveJsonAsync();

        // Then op 10 arrives, stamped 30 s after the beat
        var beat = mock.Transcript.Snapshot().OfType<FrameRecorded>().Single(f => f.Direction == Direction.ClientToServer);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Op.Of(ack), Is.EqualTo(10));
            Assert.That(ServerFrames(mock)[^1].At - beat.At, Is.EqualTo(TimeSpan.FromSeconds(30)));
        }
    }

    [Test]
    public async Task PlugDj_KeepAlive_FiresOnTheFakeClock()
    {
        // Given a keep-alive after 10 s of the server's silence, and no auth deadline in the way
        var clock = new WatchedClock();
        await using var mock = await PlugDjMock.StartAsync(
            o =>
            {
                o.KeepAliveAfter = TimeSpan.FromSeconds(10);
                o.AuthDeadline = TimeSpan.FromHours(1);
            },
            transcript: new Transcript(clock));
        await using var client = await PlugDjSocket.ConnectAsync(mock.Url);

        // When 10 s pass on the clock
        await clock.TimerSetAsync(TimeSpan.FromSeconds(10));
        clock.Advance(TimeSpan.FromSeconds(10));
        var h = await client.ReceiveTextAsync();

        // Then the bare h goes out, stamped at 10 s
        using (Assert.EnterMultipleScope())
        {
            Assert.That(h, Is.EqualTo("h"));
            Assert.That(ServerFrames(mock).Single().At, Is.EqualTo(TimeSpan.FromSeconds(10)));
        }
    }

    [Test]
    public async Task PlugDj_AuthDeadline_ClosesOnTheFakeClock()
    {
        // Given an auth deadline of 7 s and a client that never authenticates
        var clock = new WatchedClock();
        await using var mock = await PlugDjMock.StartAsync(o => o.AuthDeadline = TimeSpan.FromSeconds(7), transcript: new Transcript(clock));
        await using var client = await PlugDjSocket.ConnectAsync(mock.Url);

        // When 7 s pass on the clock
        await clock.TimerSetAsync(TimeSpan.FromSeconds(7));
        clock.Advance(TimeSpan.FromSeconds(7));
        var code = await client.ReceiveCloseAsync();

        // Then the mock closes with the auth-timeout code, stamped at 7 s
        var closed = mock.Transcript.Snapshot().OfType<ConnectionClosed>().Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That((int?)code, Is.EqualTo(mock.Options.AuthTimeoutCode));
            Assert.That(closed.By, Is.EqualTo(CloseInitiator.Server));
            Assert.That(closed.At, Is.EqualTo(TimeSpan.FromSeconds(7)));
        }
    }

    private static List<FrameRecorded> ServerFrames(Mocks.Hosting.ProtocolMock mock) =>
        [.. mock.Transcript.Snapshot().OfType<FrameRecorded>().Where(f => f.Direction == Direction.ServerToClient)];
}
