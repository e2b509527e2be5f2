using System.Net;
using System.Text.Json.Nodes;
using Conformance.Mocks.Protocols.Nightingale;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Tests;

/// <summary>
/// Resuming a Nightingale session (AlvaroMS25/nightingale src/api/websocket.rs resume and initialize_websocket,
/// src/api/extractors/session.rs, src/api/session.rs): the id as a uuid path segment, the session while its socket is
/// open (409) and after it ended (the resumed ready with the players), the resume window, a socket dropped without a
/// close frame, the events raised while detached, and the seed-era server's <c>/ws/resume?session=</c>.
/// </summary>
[Category("nightingale")]
public sealed class NightingaleResumeTests
{
    [TestCase("not-a-uuid")]
    [TestCase("00000000-0000-4000-8000")]
    public async Task Resume_WithAnIdThatIsNotAUuid_Is400MissingSessionId(string id)
    {
        // Given
        await using var mock = await NightingaleMock.StartAsync();
        using var http = new NightingaleHttp(mock);

        // When
        var reply = await http.UpgradeAsync("/ws/resume/" + id, mock.Options.Password);

        // Then SessionExtractor: Path<Uuid> failed
        reply.AssertError(HttpStatusCode.BadRequest, "Missing session ID");
    }

    [Test]
    public async Task Resume_OfAnUnknownSession_Is400SessionNotPresent()
    {
        // Given
        await using var mock = await NightingaleMock.StartAsync();
        using var http = new NightingaleHttp(mock);

        // When
        var reply = await http.UpgradeAsync("/ws/resume/" + Guid.NewGuid(), mock.Options.Password);

        // Then SessionExtractor::from_id: no such instance
        reply.AssertError(HttpStatusCode.BadRequest, "Session not present");
    }

    [Test]
    public async Task Resume_WhileTheFirstSocketIsOpen_Is409SessionTakenWithABareBody()
    {
        // Given a session whose socket is still open
        await using var mock = await NightingaleMock.StartAsync();
        var (client, session) = await NightingaleSocket.OpenSessionAsync(mock);
        await using var _ = client;
        using var http = new NightingaleHttp(mock);

        // When
        var reply = await http.UpgradeAsync(NightingaleSocket.ResumePath(mock, session), mock.Options.Password);

        // Then websocket.rs resume: the receiver is taken, so 409 with that body and no Content-Type
        using (Assert.EnterMultipleScope())
        {
            Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(reply.Raw, Is.EqualTo("""{"message": "session taken"}"""));
            Assert.That(reply.ContentType, Is.Null);
            Assert.That(client.State, Is.EqualTo(System.Net.WebSockets.WebSocketState.Open));
        }
    }

    [Test]
    public async Task Resume_AfterACleanClose_IsReadyResumedWithTheSameSessionAndItsPlayers()
    {
        // Given a session with a connected player, whose socket closed with a close frame
        await using var mock = await NightingaleMock.StartAsync();
        using var http = new NightingaleHttp(mock);
        var (client, session) = await NightingaleSocket.OpenSessionAsync(mock);
        await using (client)
        {
            Assert.That((await http.ConnectVoiceAsync(session)).Status, Is.EqualTo(HttpStatusCode.OK));
            await client.ReceiveJsonAsync();
            await client.CloseAsync();
        }

        await NightingaleSocket.WaitDetachedAsync(mock, session);

        // When
        await using var resumed = await NightingaleSocket.ResumeAsync(mock, session);
        var ready = await resumed.ReceiveTextAsync();

        // Then ready.rs with players: Some(...), each Player of src/api/model/player.rs
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ready, Is.EqualTo(NightingaleSocket.Fill("""
                {"op":"ready","data":{"session":"<session>","resumed":true,"players":[{"guild_id":<guild>,"channel_id":<channel>,"paused":false,"volume":100,"currently_playing":null,"queue":[]}]}}
                """, ("session", session), ("guild", NightingaleHttp.Guild), ("channel", NightingaleHttp.Channel))));
            Assert.That(mock.Connections.Select(c => c.Endpoint), Is.EqualTo(new[] { NightingaleMock.WebSocketEndpointName, NightingaleMock.ResumeEndpointName }));
            Assert.That(mock.Connections[0].Ended?.By, Is.EqualTo(CloseInitiator.Client));
        }
    }

    [Test]
    public async Task Resume_OfASessionWithoutPlayers_HasAnEmptyPlayersArray()
    {
        // Given
        await using var mock = await NightingaleMock.StartAsync();
        var (client, session) = await NightingaleSocket.OpenSessionAsync(mock);
        await using (client)
        {
            await client.CloseAsync();
        }

        await NightingaleSocket.WaitDetachedAsync(mock, session);

        // When
        await using var resumed = await NightingaleSocket.ResumeAsync(mock, session);
        var ready = await resumed.ReceiveJsonAsync();

        // Then players is there, as an array, though empty
        NightingaleSocket.AssertJson(ready, NightingaleSocket.Fill("""{"op":"ready","data":{"session":"<session>","resumed":true,"players":[]}}""", ("session", session)));
    }

    [Test]
    public async Task Resume_PastTheResumeWindow_Is400SessionNotPresent()
    {
        // Given a session closed cleanly, with a resume window of 1 ms
        var window = TimeSpan.FromMilliseconds(1);
        await using var mock = await NightingaleMock.StartAsync(o => o.ResumeWindow = window);
        using var http = new NightingaleHttp(mock);
        var (client, session) = await NightingaleSocket.OpenSessionAsync(mock);
        await using (client)
        {
            await client.CloseAsync();
        }

        await NightingaleSocket.WaitDetachedAsync(mock, session);

        // When the transcript's clock has moved past the window since the session was let go
        var detachedBy = mock.Transcript.Now;
        using (var timeout = Timeouts.Wait())
        {
            while (mock.Transcript.Now - detachedBy <= window)
            {
                await Task.Delay(1, timeout.Token);
            }
        }

        var reply = await http.UpgradeAsync(NightingaleSocket.ResumePath(mock, session), mock.Options.Password);
        var info = await http.SendAsync("GET", "/api/v1/info/" + session);

        // Then websocket.rs initialize_websocket: the session was removed when the timeout ran out
        reply.AssertError(HttpStatusCode.BadRequest, "Session not present");
        info.AssertError(HttpStatusCode.BadRequest, "Session not present");
    }

    [Test]
    public async Task Resume_PastTheWindowCountedFromTheSocketsEnd_Is400EvenBeforeTheMockLetGoOfTheSession()
    {
        // Given a session whose socket has ended, on a fake clock that moves past the window at once: whether or not
        // the mock's handler has detached the session yet, the window counts from when the socket ended
        var clock = new WatchedClock();
        await using var mock = await NightingaleMock.StartAsync(transcript: new Transcript(clock));
        using var http = new NightingaleHttp(mock);
        var (client, session) = await NightingaleSocket.OpenSessionAsync(mock);
        await using (client)
        {
            await client.CloseAsync();
        }

        using (var timeout = Timeouts.Wait())
        {
            while (mock.Connections[0].Ended is null)
            {
                await Task.Delay(1, timeout.Token);
            }
        }

        clock.Advance(mock.Options.ResumeWindow + TimeSpan.FromSeconds(1));

        // When
        var reply = await http.UpgradeAsync(NightingaleSocket.ResumePath(mock, session), mock.Options.Password);

        // Then websocket.rs: the session's timeout began when its socket ended
        reply.AssertError(HttpStatusCode.BadRequest, "Session not present");
    }

    [Test]
    public async Task Resume_AfterADropWithOneTakenResume_Is409OnceThenReady()
    {
        // Given a socket that ends without a close frame, which the server is slow to notice once
        await using var mock = await NightingaleMock.StartAsync(o => o.TakenResumes = 1);
        using var http = new NightingaleHttp(mock);
        var (client, session) = await NightingaleSocket.OpenSessionAsync(mock);
        await client.DisposeAsync(); // ClientWebSocket.Abort(): the TCP connection goes, no close frame
        var lost = await NightingaleSocket.WaitForAsync<ConnectionClosed>(mock, c => c.Connection == mock.Connections[0].Id);
        await NightingaleSocket.WaitDetachedAsync(mock, session);

        // When
        var first = await http.UpgradeAsync(NightingaleSocket.ResumePath(mock, session), mock.Options.Password);
        await using var second = await NightingaleSocket.ResumeAsync(mock, session);
        var ready = await second.ReceiveJsonAsync();

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(lost.By, Is.EqualTo(CloseInitiator.ClientLost));
            Assert.That(first.Status, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(first.Raw, Is.EqualTo("""{"message": "session taken"}"""));
        }

        NightingaleSocket.AssertJson(ready, NightingaleSocket.Fill("""{"op":"ready","data":{"session":"<session>","resumed":true,"players":[]}}""", ("session", session)));
    }

    [Test]
    public async Task Resume_AfterADropWithoutTakenResumes_IsReadyAtOnce()
    {
        // Given the default: a dropped socket is noticed at once
        await using var mock = await NightingaleMock.StartAsync();
        var (client, session) = await NightingaleSocket.OpenSessionAsync(mock);
        await client.DisposeAsync();
        await NightingaleSocket.WaitDetachedAsync(mock, session);

        // When
        await using var resumed = await NightingaleSocket.ResumeAsync(mock, session);
        var ready = await resumed.ReceiveJsonAsync();

        // Then
        NightingaleSocket.AssertJson(ready, NightingaleSocket.Fill("""{"op":"ready","data":{"session":"<session>","resumed":true,"players":[]}}""", ("session", session)));
    }

    [Test]
    public async Task Resume_AfterACleanCloseWithTakenResumes_IsReadyAtOnce()
    {
        // Given TakenResumes, which only stands for a socket that died unnoticed; this one closed with a close frame
        await using var mock = await NightingaleMock.StartAsync(o => o.TakenResumes = 3);
        var (client, session) = await NightingaleSocket.OpenSessionAsync(mock);
        await using (client)
        {
            await client.CloseAsync();
        }

        await NightingaleSocket.WaitDetachedAsync(mock, session);

        // When
        await using var resumed = await NightingaleSocket.ResumeAsync(mock, session);
        var ready = await resumed.ReceiveJsonAsync();

        // Then
        Assert.That(ready["data"]?["resumed"]?.GetValue<bool>(), Is.True, () => ready.ToJsonString());
    }

    [Test]
    public async Task Resume_WhileAnEarlierResumeIsOpen_Is409()
    {
        // Given a session resumed once, that socket still open
        await using var mock = await NightingaleMock.StartAsync();
        using var http = new NightingaleHttp(mock);
        var (client, session) = await NightingaleSocket.OpenSessionAsync(mock);
        await using (client)
        {
            await client.CloseAsync();
        }

        await NightingaleSocket.WaitDetachedAsync(mock, session);
        await using var resumed = await NightingaleSocket.ResumeAsync(mock, session);
        await resumed.ReceiveJsonAsync();

        // When
        var again = await http.UpgradeAsync(NightingaleSocket.ResumePath(mock, session), mock.Options.Password);

        // Then one socket per session at a time
        Assert.That(again.Status, Is.EqualTo(HttpStatusCode.Conflict));
    }

    [Test]
    public async Task EventsWhileDetached_AreHeldAndDeliveredAfterTheResumedReadyInOrder()
    {
        // Given a playing track with another queued, on a clock the test moves, and the socket closed cleanly
        var clock = new WatchedClock();
        var length = TimeSpan.FromMilliseconds(200);
        await using var mock = await NightingaleMock.StartAsync(o => o.TrackLength = length, transcript: new Transcript(clock));
        using var http = new NightingaleHttp(mock);
        var (client, session) = await NightingaleSocket.OpenSessionAsync(mock);
        JsonNode first;
        JsonNode second;
        await using (client)
        {
            await http.ConnectVoiceAsync(session);
            await client.ReceiveJsonAsync();
            first = (await http.PlayAsync(session, link: "https://example.test/first")).Json!;
            await client.ReceiveJsonAsync();
            second = (await http.PlayAsync(session, link: "https://example.test/second")).Json!;
            await client.CloseAsync();
        }

        await NightingaleSocket.WaitDetachedAsync(mock, session);

        // When the first track runs out while no socket has the session
        await clock.TimerSetAsync(length);
        clock.Advance(length);
        await NightingaleSocket.WaitForAsync<FrameHeld>(mock, _ => true, count: 2);
        await using var resumed = await NightingaleSocket.ResumeAsync(mock, session);
        var ready = await resumed.ReceiveJsonAsync();
        var afterReady = new[] { await resumed.ReceiveTextAsync(), await resumed.ReceiveTextAsync() };

        // Then the resumed ready first, then what was held, in order: track_end of the first, track_start of the second
        var held = mock.Transcript.Snapshot().OfType<FrameHeld>().Select(h => h.Display).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ready["data"]?["resumed"]?.GetValue<bool>(), Is.True, () => ready.ToJsonString());
            Assert.That(ready["data"]?["players"]?[0]?["currently_playing"], Is.Not.Null, () => ready.ToJsonString());
            Assert.That(afterReady, Is.EqualTo(held));
            Assert.That(NightingaleSocket.SentFrames(mock, mock.Connections[1].Id).Skip(1), Is.EqualTo(held));
        }

        NightingaleSocket.AssertJson(JsonNode.Parse(afterReady[0]), NightingaleSocket.Fill("""
            {"op":"event","data":{"guild_id":<guild>,"event":{"type":"track_end","data":{"stopped":false,"track":<track>}}}}
            """, ("guild", NightingaleHttp.Guild), ("track", first.ToJsonString())));
        NightingaleSocket.AssertJson(JsonNode.Parse(afterReady[1]), NightingaleSocket.Fill("""
            {"op":"event","data":{"guild_id":<guild>,"event":{"type":"track_start","data":<track>}}}
            """, ("guild", NightingaleHttp.Guild), ("track", second.ToJsonString())));
    }

    [Test]
    public async Task Resume_OnTheSeedServer_IsAtTheSessionQueryAndItsReadyHasNoPlayers()
    {
        // Given the seed-era server (674652a): GET /ws/resume with SessionQuery { session: Uuid }, Ready { session, resumed }
        await using var mock = await NightingaleMock.StartAsync(o => o.Dialect = "seed");
        using var http = new NightingaleHttp(mock);
        var (client, session) = await NightingaleSocket.OpenSessionAsync(mock);
        await using (client)
        {
            await http.ConnectVoiceAsync(session);
            await client.ReceiveJsonAsync();
            await client.CloseAsync();
        }

        await NightingaleSocket.WaitDetachedAsync(mock, session);

        // When
        await using var resumed = await NightingaleSocket.ConnectAsync(mock, "/ws/resume?session=" + session);
        var ready = await resumed.ReceiveTextAsync();

        // Then
        Assert.That(ready, Is.EqualTo(NightingaleSocket.Fill("""{"op":"ready","data":{"session":"<session>","resumed":true}}""", ("session", session))));
    }

    [TestCase("?session=", "Missing session ID")]
    [TestCase("?session=not-a-uuid", "Missing session ID")]
    [TestCase("?session=6f1c2a8e-0a43-4b8e-9d55-6f1c2a8e0a43", "Session not present")]
    public async Task Resume_OnTheSeedServerWithABadSession_Is400WithTheSeedErasBody(string query, string message)
    {
        // Given the seed-era SessionExtractor (src/api/extractors/session.rs at 674652a): MISSING_SESSION_ID and
        // SESSION_NOT_PRESENT are the literal bodies r#"{"message": "..."}"#, Content-Type application/json
        await using var mock = await NightingaleMock.StartAsync(o => o.Dialect = "seed");
        using var http = new NightingaleHttp(mock);

        // When
        var reply = await http.UpgradeAsync("/ws/resume" + query, mock.Options.Password);

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(reply.ContentType, Is.EqualTo("application/json"));
            Assert.That(reply.Raw, Is.EqualTo($$"""{"message": "{{message}}"}"""));
        }
    }
}
