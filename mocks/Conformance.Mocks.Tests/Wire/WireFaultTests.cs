using System.Net.WebSockets;
using Conformance.Mocks.Chaos;
using Conformance.Mocks.Protocols.ListenMoe;
using Conformance.Mocks.Transcripts;
using Conformance.Mocks.Wire;

namespace Conformance.Mocks.Tests.Wire;

/// <summary>
/// Wire faults and chaos on a real mock, seen by .NET's own WebSocket client: what the client gets, and what the
/// transcript records.
/// </summary>
[Category("wire")]
public sealed class WireFaultTests
{
    [Test]
    public async Task Inject_InvalidUtf8_TheClientFailsTheConnectionWith1007()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync();
        await using var client = await HeartbeatTests.ConnectedPastTrackAsync(mock);

        // When
        var written = await mock.LatestConnection!.InjectAsync(InvalidUtf8Fault.Around("""{"op":1}"""), "test");
        var failed = Assert.ThrowsAsync<WebSocketException>(() => client.ReceiveAsync());
        var closed = await mock.Transcript.WaitForAsync<ConnectionClosed>(0, _ => true, Timeouts.Wait().Token);

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(written, Is.True);
            Assert.That(failed, Is.Not.Null);
            Assert.That(closed, Is.Not.Null);
            Assert.That((closed!.By, closed.Code), Is.EqualTo((CloseInitiator.Client, (int?)1007)));
            Assert.That(mock.Transcript.Snapshot().OfType<WireFaultSent>().Single().Fault, Is.EqualTo("invalid-utf8"));
        }
    }

    [Test]
    public async Task Inject_PingBurst_EveryPongTheClientSendsIsRecorded()
    {
        // Given a client that keeps reading (a WebSocket answers pings only while it reads)
        await using var mock = await ListenMoeMock.StartAsync();
        await using var client = await HeartbeatTests.ConnectedPastTrackAsync(mock);
        var reading = client.ReceiveAsync(TimeSpan.FromSeconds(5));

        // When
        await mock.LatestConnection!.InjectAsync(new PingFloodFault(50));
        var last = await mock.Transcript.WaitForAsync<ControlFrameRecorded>(0, c => c.IsPong && c.Display == "pong 50", Timeouts.Wait().Token);

        // Then
        var pongs = mock.Transcript.Snapshot().OfType<ControlFrameRecorded>().ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(last, Is.Not.Null, "the pong to the last ping");
            Assert.That(pongs.Select(p => p.Display), Is.EqualTo(Enumerable.Range(1, 50).Select(i => $"pong {i}")), "one pong per ping, in order");
            Assert.That(pongs.All(p => p.Direction == Direction.ClientToServer && p.Connection == 1), Is.True);
        }

        _ = reading.ContinueWith(static t => t.Exception, TaskScheduler.Default);
    }

    [Test]
    public async Task Inject_HalfOpen_TheMockNeitherSendsNorReadsButKeepsTheSocket()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync(new ListenMoeOptions { HeartbeatInterval = TimeSpan.FromSeconds(45) });
        await using var client = await HeartbeatTests.ConnectedPastTrackAsync(mock);
        var connection = mock.LatestConnection!;

        // When
        await connection.InjectAsync(new HalfOpenFault());
        await client.SendTextAsync("""{"op":9}""");
        var sent = await connection.SendTextAsync("""{"op":10}""");
        var nothing = Assert.ThrowsAsync<TimeoutException>(() => client.ReceiveAsync(TimeSpan.FromMilliseconds(300)), "the mock sent nothing more");

        // Then: nothing recorded after the fault, and the connection is not ended
        var entries = mock.Transcript.Snapshot();
        var fault = entries.OfType<WireFaultSent>().Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sent, Is.False);
            Assert.That(nothing, Is.Not.Null);
            Assert.That(entries.OfType<FrameRecorded>().Where(f => f.Index > fault.Index), Is.Empty);
            Assert.That(connection.IsOpen, Is.True, "a hung peer has not ended the connection");
        }
    }

    [Test]
    public async Task Inject_EmptyClose_TheMockSendsNoMoreMessagesAndTheClientsCloseEndsTheConnection()
    {
        // Given a mock that acks heartbeats, and a close frame without a code written to the client
        await using var mock = await ListenMoeMock.StartAsync(new ListenMoeOptions { HeartbeatInterval = TimeSpan.FromSeconds(45) });
        await using var client = await HeartbeatTests.ConnectedPastTrackAsync(mock);
        var connection = mock.LatestConnection!;
        await connection.InjectAsync(new CloseCodeFault(null));

        // When a heartbeat the client sent before it saw the close arrives, and a scripted message is due
        await client.SendTextAsync("""{"op":9}""");
        await mock.Transcript.WaitForAsync<FrameRecorded>(0, f => f.Direction == Direction.ClientToServer && f.Text == """{"op":9}""", Timeouts.Wait().Token);
        var sent = await connection.SendTextAsync("""{"op":1}""");
        await client.ReceiveCloseAsync();
        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", TimeSpan.FromSeconds(2));
        var closed = await mock.Transcript.WaitForAsync<ConnectionClosed>(0, _ => true, Timeouts.Wait().Token);

        // Then RFC 6455 §5.5.1: no data frame after the close, neither the ack nor the scripted one; the client's close
        // answers it and ends the connection, with no second close frame from the mock
        var entries = mock.Transcript.Snapshot();
        var fault = entries.OfType<WireFaultSent>().Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sent, Is.False);
            Assert.That(entries.OfType<FrameRecorded>().Where(f => f.Index > fault.Index && f.Direction == Direction.ServerToClient), Is.Empty);
            Assert.That((closed!.By, closed.Code), Is.EqualTo((CloseInitiator.Client, (int?)1000)));
        }
    }

    [Test]
    public async Task Inject_Reset_TheClientLosesTheConnectionAndTheMockRecordsItsDrop()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync();
        await using var client = await HeartbeatTests.ConnectedPastTrackAsync(mock);

        // When
        await mock.LatestConnection!.InjectAsync(new ResetFault());
        var lost = Assert.ThrowsAsync<WebSocketException>(() => client.ReceiveAsync());

        // Then
        var closed = mock.Transcript.Snapshot().OfType<ConnectionClosed>().Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(lost, Is.Not.Null);
            Assert.That(client.CloseStatus, Is.Null, "no close frame");
            Assert.That(closed.By, Is.EqualTo(CloseInitiator.ServerDropped));
        }
    }

    [Test]
    public async Task WireFaults_OneByteFragmentsWithPings_TheClientGetsTheWholeWelcome()
    {
        // Given every send in 1-byte fragments with a ping between each two
        await using var mock = await ListenMoeMock.StartAsync();
        mock.Host.WireFaults = new WireFaultSettings(1) { Fragments = [1], PingBetween = true };

        // When
        await using var client = await TestClient.ConnectAsync(mock.Url);
        var welcome = await client.ReceiveAsync();

        // Then: one message out of many frames, and the transcript says how it went
        var recorded = mock.Transcript.Snapshot().OfType<FrameRecorded>().First(f => f.Direction == Direction.ServerToClient);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(welcome.Text, Is.EqualTo(recorded.Text));
            Assert.That(welcome.Fragments, Is.EqualTo(recorded.Text!.Length), "one receive per 1-byte fragment");
            Assert.That(recorded.Wire, Is.EqualTo($"{recorded.Text.Length} fragments, {recorded.Text.Length - 1} pings between"));
        }
    }

    [Test]
    public async Task WireFaults_CloseUnanswered_TheTcpConnectionIsRecordedWhenTheClientLetsGo()
    {
        // Given closes left unanswered
        await using var mock = await ListenMoeMock.StartAsync();
        mock.Host.WireFaults = new WireFaultSettings(1) { AnswerClose = false };
        await using var client = await HeartbeatTests.ConnectedPastTrackAsync(mock);

        // When the client closes, gets no answer, and gives up
        Assert.CatchAsync<OperationCanceledException>(() => client.CloseAsync(wait: TimeSpan.FromMilliseconds(500)));

        var closed = await mock.Transcript.WaitForAsync<ConnectionClosed>(0, _ => true, Timeouts.Wait().Token);
        await client.DisposeAsync();
        var released = await mock.Transcript.WaitForAsync<TcpReleased>(0, _ => true, Timeouts.Wait().Token);

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(closed!.By, Is.EqualTo(CloseInitiator.Client));
            Assert.That(released, Is.Not.Null);
            Assert.That(released!.ByClient, Is.True);
        }
    }

    [Test]
    public async Task Chaos_ScheduledDuplicateAndDrop_TheClientSeesBothAndTheEventsAreRecorded()
    {
        // Given the welcome doubled and the third message lost with the connection
        await using var mock = await ListenMoeMock.StartAsync();
        var schedule = new[] { new ChaosEvent(1, 1, ChaosAction.Duplicate, TimeSpan.Zero), new ChaosEvent(1, 3, ChaosAction.Drop, TimeSpan.Zero) };
        mock.Host.Chaos = new ChaosSettings(0) { Schedule = schedule };

        // When
        await using var client = await TestClient.ConnectAsync(mock.Url);
        var first = await client.ReceiveJsonAsync();
        var second = await client.ReceiveJsonAsync();
        var track = await client.ReceiveJsonAsync();
        await client.SendTextAsync("""{"op":9}""");
        var dropped = Assert.ThrowsAsync<WebSocketException>(() => client.ReceiveAsync());

        // Then
        var entries = mock.Transcript.Snapshot();
        using (Assert.EnterMultipleScope())
        {
            Assert.That((Op.Of(first), Op.Of(second), Op.Of(track)), Is.EqualTo((0, 0, 1)));
            Assert.That(dropped, Is.Not.Null);
            Assert.That(entries.OfType<ChaosApplied>().Select(a => a.Event), Is.EqualTo(schedule));
            Assert.That(entries.OfType<ConnectionClosed>().Single().By, Is.EqualTo(CloseInitiator.ServerDropped));
        }
    }
}
