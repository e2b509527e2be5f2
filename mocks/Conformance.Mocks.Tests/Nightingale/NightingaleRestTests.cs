using System.Net;
using System.Text.Json.Nodes;
using Conformance.Mocks.Protocols.Nightingale;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Tests;

/// <summary>
/// Nightingale's REST routes under <c>/api/v1</c> (AlvaroMS25/nightingale src/api/routes/mod.rs, player.rs, queue.rs;
/// src/api/extractors/session.rs, player.rs; src/api/layers/auth.rs): the password first, then the session and guild
/// of the path, then the player, then the body; and the socket events each route raises.
/// </summary>
[Category("nightingale")]
public sealed class NightingaleRestTests
{
    /// <summary>Every player route but update, which creates its player.</summary>
    private static readonly string[] PlayerRoutes =
    [
        "GET info", "POST play", "PATCH pause", "PATCH resume", "PATCH set_volume/50", "PATCH seek/1000", "PATCH queue/skip",
        "DELETE queue/clear", "PATCH queue/repeat",
    ];

    [TestCase(null)]
    [TestCase("not-the-password")]
    public async Task Rest_WithoutOrWithAWrongAuthorization_Is401WithTheBasicChallengeAndNoBody(string? authorization)
    {
        // Given
        await using var mock = await NightingaleMock.StartAsync();
        using var http = new NightingaleHttp(mock);

        // When
        var info = await http.SendAsync("GET", "/api/v1/info", authorization, null);
        var player = await http.SendAsync("PATCH", NightingaleHttp.Player(Guid.NewGuid().ToString(), NightingaleHttp.Guild, "pause"), authorization, null);

        // Then auth.rs answers before any route
        info.AssertUnauthorized();
        player.AssertUnauthorized();
    }

    [Test]
    public async Task Rest_WithThePassword_Passes()
    {
        // Given
        await using var mock = await NightingaleMock.StartAsync();
        using var http = new NightingaleHttp(mock);

        // When
        var info = await http.SendAsync("GET", "/api/v1/info");

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(info.Status, Is.EqualTo(HttpStatusCode.OK), () => info.Raw);
            Assert.That(info.ContentType, Is.EqualTo("application/json"));
            Assert.That(info.Json?["playback"]?["players"]?.GetValue<int>(), Is.Zero, () => info.Raw);
        }
    }

    [TestCase("GET", "/api/v1/nothing-here")]
    [TestCase("GET", "/")]
    [TestCase("POST", "/api/v1/info")]
    public async Task UnknownRoute_WithThePassword_IsABare404(string method, string path)
    {
        // Given
        await using var mock = await NightingaleMock.StartAsync();
        using var http = new NightingaleHttp(mock);

        // When
        var reply = await http.SendAsync(method, path);

        // Then axum's fallback: 404, no body
        reply.AssertEmpty(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task UnknownRoute_WithoutThePassword_Is401()
    {
        // Given
        await using var mock = await NightingaleMock.StartAsync();
        using var http = new NightingaleHttp(mock);

        // When
        var reply = await http.SendAsync("GET", "/api/v1/nothing-here", null, null);

        // Then the auth layer wraps the fallback too
        reply.AssertUnauthorized();
    }

    [Test]
    public async Task Update_WithConnectionInfo_Is200EmptyAndConnectGatewayWithExactIds()
    {
        // Given
        await using var mock = await NightingaleMock.StartAsync();
        using var http = new NightingaleHttp(mock);
        var (client, session) = await NightingaleSocket.OpenSessionAsync(mock);
        await using var _ = client;

        // When
        var reply = await http.SendAsync("PATCH", NightingaleHttp.Player(session, NightingaleHttp.Guild, "update"),
            NightingaleHttp.JsonBody($$"""{"channel_id":"{{NightingaleHttp.Channel}}","endpoint":"eu-west.discord.media","session_id":"abc123","token":"t0k3n"}"""));
        var frame = await client.ReceiveTextAsync();

        // Then player.rs update answers at once; DriverEvents sends ConnectionData with u64 ids as numbers
        reply.AssertEmpty(HttpStatusCode.OK);
        var state = JsonNode.Parse(frame)!;
        var ssrc = state["data"]?["data"]?["ssrc"]?.GetValue<uint>();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(frame, Is.EqualTo(NightingaleSocket.Fill("""
                {"op":"update_state","data":{"type":"connect_gateway","data":{"channel_id":<channel>,"guild_id":<guild>,"session_id":"abc123","server":"eu-west.discord.media","ssrc":<ssrc>}}}
                """, ("channel", NightingaleHttp.Channel), ("guild", NightingaleHttp.Guild), ("ssrc", $"{ssrc}"))));
            Assert.That(state["data"]!["data"]!["guild_id"]!.GetValue<ulong>(), Is.EqualTo(1152921504606846977UL));
            Assert.That(state["data"]!["data"]!["channel_id"]!.GetValue<ulong>(), Is.EqualTo(1152921504606846979UL));
        }
    }

    [Test]
    public async Task Update_WithANumericChannelId_IsTakenAsWell()
    {
        // Given NzU64, which takes a number or a numeric string
        await using var mock = await NightingaleMock.StartAsync();
        using var http = new NightingaleHttp(mock);
        var (client, session) = await NightingaleSocket.OpenSessionAsync(mock);
        await using var _ = client;

        // When
        var reply = await http.SendAsync("PATCH", NightingaleHttp.Player(session, NightingaleHttp.Guild, "update"),
            NightingaleHttp.JsonBody($$"""{"channel_id":{{NightingaleHttp.Channel}},"endpoint":"e","session_id":"s","token":"t"}"""));
        var frame = await client.ReceiveJsonAsync();

        // Then
        reply.AssertEmpty(HttpStatusCode.OK);
        Assert.That(frame["data"]?["data"]?["channel_id"]?.ToJsonString(), Is.EqualTo(NightingaleHttp.Channel));
    }

    [Test]
    public async Task Update_WithoutABody_DestroysThePlayerAndSendsDisconnectGateway()
    {
        // Given a connected player
        await using var rig = await PlayerRig.StartAsync();
        var (mock, http, client, session) = rig;
        await client.ReceiveJsonAsync();

        // When
        var reply = await http.SendAsync("PATCH", NightingaleHttp.Player(session, NightingaleHttp.Guild, "update"));
        var frame = await client.ReceiveTextAsync();
        var info = await http.SendAsync("GET", NightingaleHttp.Player(session, NightingaleHttp.Guild, "info"));

        // Then update: body None → destroy_player, which leaves the call
        reply.AssertEmpty(HttpStatusCode.OK);
        Assert.That(frame, Is.EqualTo(NightingaleSocket.Fill("""
            {"op":"update_state","data":{"type":"disconnect_gateway","data":{"channel_id":<channel>,"guild_id":<guild>,"session_id":"voice-session-1"}}}
            """, ("channel", NightingaleHttp.Channel), ("guild", NightingaleHttp.Guild))));
        info.AssertError(HttpStatusCode.BadRequest, "The player does not exist");
    }

    [Test]
    public async Task Info_OfAConnectedPlayer_IsThePlayerJson()
    {
        // Given
        await using var rig = await PlayerRig.StartAsync();
        var (mock, http, client, session) = rig;

        // When
        var info = await http.SendAsync("GET", NightingaleHttp.Player(session, NightingaleHttp.Guild, "info"));

        // Then src/api/model/player.rs Player
        using (Assert.EnterMultipleScope())
        {
            Assert.That(info.Status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(info.ContentType, Is.EqualTo("application/json"));
            Assert.That(info.Raw, Is.EqualTo($$"""
                {"guild_id":{{NightingaleHttp.Guild}},"channel_id":{{NightingaleHttp.Channel}},"paused":false,"volume":100,"currently_playing":null,"queue":[]}
                """));
        }
    }

    [TestCaseSource(nameof(PlayerRoutes))]
    public async Task PlayerRoute_ForAGuildWithoutAPlayer_Is400ThePlayerDoesNotExist(string route)
    {
        // Given a live session with no player
        await using var mock = await NightingaleMock.StartAsync();
        using var http = new NightingaleHttp(mock);
        var (client, session) = await NightingaleSocket.OpenSessionAsync(mock);
        await using var _ = client;
        var (method, path) = (route.Split(' ')[0], route.Split(' ')[1]);

        // When
        var reply = await http.SendAsync(method, NightingaleHttp.Player(session, NightingaleHttp.Guild, path),
            method == "POST" ? NightingaleHttp.PlayLink() : null);

        // Then PlayerExtractor::from_id
        reply.AssertError(HttpStatusCode.BadRequest, "The player does not exist");
    }

    [TestCase("not-a-session", NightingaleHttp.Guild, "PATCH update")]
    [TestCase("not-a-session", NightingaleHttp.Guild, "GET info")]
    [TestCase("not-a-session", NightingaleHttp.Guild, "POST play")]
    [TestCase("not-a-session", NightingaleHttp.Guild, "PATCH queue/skip")]
    [TestCase("00000000-0000-4000-8000-000000000001", "0", "GET info")]
    [TestCase("00000000-0000-4000-8000-000000000001", "abc", "PATCH pause")]
    [TestCase("00000000-0000-4000-8000-000000000001", "18446744073709551616", "PATCH update")]
    public async Task PlayerRoute_WithABadSessionOrGuildSegment_Is400MissingGuildOrSessionId(string session, string guild, string route)
    {
        // Given a live session, so only the path can be wrong
        await using var mock = await NightingaleMock.StartAsync();
        using var http = new NightingaleHttp(mock);
        var (client, _) = await NightingaleSocket.OpenSessionAsync(mock);
        await using var __ = client;
        var (method, path) = (route.Split(' ')[0], route.Split(' ')[1]);

        // When
        var reply = await http.SendAsync(method, NightingaleHttp.Player(session, guild, path),
            method == "POST" ? NightingaleHttp.PlayLink() : null);

        // Then Path<(Uuid, NonZeroU64)> failed in SessionWithGuildExtractor / PlayerExtractor
        reply.AssertError(HttpStatusCode.BadRequest, "Missing guild or session ID");
    }

    [TestCase("PATCH update")]
    [TestCase("GET info")]
    public async Task PlayerRoute_OfAnUnknownSession_Is400SessionNotPresent(string route)
    {
        // Given
        await using var mock = await NightingaleMock.StartAsync();
        using var http = new NightingaleHttp(mock);
        var (method, path) = (route.Split(' ')[0], route.Split(' ')[1]);

        // When
        var reply = await http.SendAsync(method, NightingaleHttp.Player(Guid.NewGuid().ToString(), NightingaleHttp.Guild, path));

        // Then
        reply.AssertError(HttpStatusCode.BadRequest, "Session not present");
    }

    [Test]
    public async Task Play_WhenNothingPlays_Is200WithTheTrackAndTrackStartOnTheSocket()
    {
        // Given a connected player
        await using var rig = await PlayerRig.StartAsync();
        var (mock, http, client, session) = rig;
        await client.ReceiveJsonAsync();

        // When
        var play = await http.PlayAsync(session);
        var frame = await client.ReceiveTextAsync();

        // Then player.rs play: Json<Track> (src/api/model/track.rs, duration in ms); the track starts at once
        var track = play.Json as JsonObject;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(play.Status, Is.EqualTo(HttpStatusCode.OK), () => play.Raw);
            Assert.That(play.ContentType, Is.EqualTo("application/json"));
            Assert.That(track?.Select(p => p.Key), Is.EqualTo(new[] { "track", "artist", "album", "channel", "duration", "source_url", "title", "thumbnail" }));
            Assert.That(track?["source_url"]?.GetValue<string>(), Is.EqualTo(NightingaleHttp.Link));
            Assert.That(track?["duration"]?.GetValue<long>(), Is.Positive);
        }

        Assert.That(frame, Is.EqualTo(NightingaleSocket.Fill("""
            {"op":"event","data":{"guild_id":<guild>,"event":{"type":"track_start","data":<track>}}}
            """, ("guild", NightingaleHttp.Guild), ("track", play.Raw))));
    }

    [Test]
    public async Task Play_WhileATrackPlays_QueuesItWithoutATrackStart()
    {
        // Given a playing track
        await using var rig = await PlayerRig.StartAsync();
        var (mock, http, client, session) = rig;
        var playing = await http.PlayAsync(session, link: "https://example.test/first");

        // When
        var queued = await http.PlayAsync(session, link: "https://example.test/second");
        var info = await http.SendAsync("GET", NightingaleHttp.Player(session, NightingaleHttp.Guild, "info"));

        // Then enqueue: the Track is answered, nothing starts; the mock records a frame before the route answers
        var starts = NightingaleSocket.SentFrames(mock, mock.Connections[0].Id).Count(f => f.Contains("\"track_start\"", StringComparison.Ordinal));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(queued.Status, Is.EqualTo(HttpStatusCode.OK), () => queued.Raw);
            Assert.That(queued.Json?["source_url"]?.GetValue<string>(), Is.EqualTo("https://example.test/second"));
            Assert.That(starts, Is.EqualTo(1));
        }

        NightingaleSocket.AssertJson(info.Json?["currently_playing"], playing.Raw);
        NightingaleSocket.AssertJson(info.Json?["queue"], $"[{queued.Raw}]");
    }

    [Test]
    public async Task Skip_WithAQueuedTrack_AnswersTheSkippedTrackThenTrackEndStoppedAndTrackStartOfTheNext()
    {
        // Given a playing track and a queued one
        await using var rig = await PlayerRig.StartAsync();
        var (mock, http, client, session) = rig;
        await client.ReceiveJsonAsync();
        var first = await http.PlayAsync(session, link: "https://example.test/first");
        await client.ReceiveJsonAsync();
        var second = await http.PlayAsync(session, link: "https://example.test/second");

        // When
        var skip = await http.SendAsync("PATCH", NightingaleHttp.Player(session, NightingaleHttp.Guild, "queue/skip"));
        var frames = new[] { await client.ReceiveTextAsync(), await client.ReceiveTextAsync() };

        // Then queue.rs skip: the stopped track's Track; stopping it ends it (stopped: true) and the next one starts
        using (Assert.EnterMultipleScope())
        {
            Assert.That(skip.Status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(skip.Raw, Is.EqualTo(first.Raw));
            Assert.That(frames[0], Is.EqualTo(NightingaleSocket.Fill("""
                {"op":"event","data":{"guild_id":<guild>,"event":{"type":"track_end","data":{"stopped":true,"track":<track>}}}}
                """, ("guild", NightingaleHttp.Guild), ("track", first.Raw))));
            Assert.That(frames[1], Is.EqualTo(NightingaleSocket.Fill("""
                {"op":"event","data":{"guild_id":<guild>,"event":{"type":"track_start","data":<track>}}}
                """, ("guild", NightingaleHttp.Guild), ("track", second.Raw))));
        }
    }

    [Test]
    public async Task Skip_WithNothingPlaying_Is200Empty()
    {
        // Given a connected, idle player
        await using var rig = await PlayerRig.StartAsync();
        var (mock, http, client, session) = rig;

        // When
        var skip = await http.SendAsync("PATCH", NightingaleHttp.Player(session, NightingaleHttp.Guild, "queue/skip"));

        // Then queue.rs skip: ().into_response()
        skip.AssertEmpty(HttpStatusCode.OK);
    }

    [Test]
    public async Task SetVolume_Above512_Is400VolumeMustBeBetween0And512()
    {
        // Given
        await using var rig = await PlayerRig.StartAsync();
        var (mock, http, client, session) = rig;

        // When
        var reply = await http.SendAsync("PATCH", NightingaleHttp.Player(session, NightingaleHttp.Guild, "set_volume/513"));

        // Then
        reply.AssertError(HttpStatusCode.BadRequest, "Volume must be an integer between 0 and 512");
    }

    [Test]
    public async Task SetVolume_WithinRange_Is200EmptyAndShowsInInfo()
    {
        // Given
        await using var rig = await PlayerRig.StartAsync();
        var (mock, http, client, session) = rig;

        // When
        var reply = await http.SendAsync("PATCH", NightingaleHttp.Player(session, NightingaleHttp.Guild, "set_volume/50"));
        var info = await http.SendAsync("GET", NightingaleHttp.Player(session, NightingaleHttp.Guild, "info"));

        // Then
        reply.AssertEmpty(HttpStatusCode.OK);
        Assert.That(info.Json?["volume"]?.GetValue<int>(), Is.EqualTo(50), () => info.Raw);
    }

    [TestCase("set_volume/abc")]
    [TestCase("set_volume/65536")]
    [TestCase("seek/abc")]
    public async Task VolumeOrSeek_WithAnUnparsableNumber_Is400PlainText(string route)
    {
        // Given
        await using var rig = await PlayerRig.StartAsync();
        var (mock, http, client, session) = rig;

        // When
        var reply = await http.SendAsync("PATCH", NightingaleHttp.Player(session, NightingaleHttp.Guild, route));

        // Then axum's Path rejection, plain text
        using (Assert.EnterMultipleScope())
        {
            Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(reply.ContentType, Is.EqualTo("text/plain; charset=utf-8"));
            Assert.That(reply.Raw, Does.StartWith("Invalid URL: Cannot parse "));
        }
    }

    [TestCase("set_volume/abc", "Invalid URL: Cannot parse value at index 2 with value `\"abc\"` to a `u16`")]
    [TestCase("seek/abc", "Invalid URL: Cannot parse value at index 2 with value `\"abc\"` to a `u64`")]
    public async Task VolumeOrSeek_WithAnUnparsableNumber_IsAxumsTupleParseErrorText(string route, string body)
    {
        // Given axum 0.7.x extract/path: a tuple's element fails as ErrorKind::ParseErrorAtIndex, displayed as
        // "Cannot parse value at index {index} with value `{value:?}` to a `{expected_type}`", behind "Invalid URL: "
        await using var rig = await PlayerRig.StartAsync();
        var (mock, http, client, session) = rig;

        // When
        var reply = await http.SendAsync("PATCH", NightingaleHttp.Player(session, NightingaleHttp.Guild, route));

        // Then
        reply.AssertText(HttpStatusCode.BadRequest, body);
    }

    [TestCase("set_volume/50")]
    [TestCase("seek/1000")]
    public async Task VolumeOrSeek_WithABadSessionSegment_Is400AxumPlainText(string route)
    {
        // Given player.rs volume / seek: Path((session, guild, value)) is extracted by the route, not by PlayerExtractor
        await using var mock = await NightingaleMock.StartAsync();
        using var http = new NightingaleHttp(mock);

        // When
        var reply = await http.SendAsync("PATCH", NightingaleHttp.Player("not-a-session", NightingaleHttp.Guild, route));

        // Then uuid's serde error inside axum's "Invalid URL: " rejection
        using (Assert.EnterMultipleScope())
        {
            Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(reply.ContentType, Is.EqualTo("text/plain; charset=utf-8"));
            Assert.That(reply.Raw, Does.StartWith("Invalid URL: UUID parsing failed: "));
        }
    }

    [Test]
    public async Task Info_AfterAVolumeAbove255_ShowsTheU8Saturated255()
    {
        // Given player.rs volume: set_volume(volume as f32 / 100.0); Player::as_json: (self.volume * 100.0) as _ into u8
        await using var rig = await PlayerRig.StartAsync();
        var (mock, http, client, session) = rig;

        // When
        await http.SendAsync("PATCH", NightingaleHttp.Player(session, NightingaleHttp.Guild, "set_volume/300"));
        var info = await http.SendAsync("GET", NightingaleHttp.Player(session, NightingaleHttp.Guild, "info"));

        // Then a float-to-int `as` cast saturates
        Assert.That(info.Json?["volume"]?.GetValue<int>(), Is.EqualTo(255), () => info.Raw);
    }

    [Test]
    public async Task Seek_WithNothingPlaying_Is404Empty()
    {
        // Given
        await using var rig = await PlayerRig.StartAsync();
        var (mock, http, client, session) = rig;

        // When
        var reply = await http.SendAsync("PATCH", NightingaleHttp.Player(session, NightingaleHttp.Guild, "seek/1500"));

        // Then player.rs seek: no current track → 404, Body::empty()
        reply.AssertEmpty(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Seek_WhilePlaying_Is200WithWhereItLandedAsADuration()
    {
        // Given
        await using var rig = await PlayerRig.StartAsync();
        var (mock, http, client, session) = rig;
        await http.PlayAsync(session);

        // When
        var reply = await http.SendAsync("PATCH", NightingaleHttp.Player(session, NightingaleHttp.Guild, "seek/1500"));

        // Then SeekJson { d: Duration }, serde's {secs, nanos}
        using (Assert.EnterMultipleScope())
        {
            Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(reply.Raw, Is.EqualTo("""{"d":{"secs":1,"nanos":500000000}}"""));
        }
    }

    [Test]
    public async Task Play_WithoutContentType_Is415()
    {
        // Given
        await using var rig = await PlayerRig.StartAsync();
        var (mock, http, client, session) = rig;
        var body = new ByteArrayContent("""{"force_play":false,"source":{"type":"link","data":{"link":"https://example.test/x"}}}"""u8.ToArray());

        // When
        var reply = await http.SendAsync("POST", NightingaleHttp.Player(session, NightingaleHttp.Guild, "play"), body);

        // Then axum's Json extractor: MissingJsonContentType
        reply.AssertText(HttpStatusCode.UnsupportedMediaType, "Expected request with `Content-Type: application/json`");
    }

    [Test]
    public async Task Play_TrackThatRunsOut_TrackEndStoppedFalseArrivesByItself()
    {
        // Given tracks 200 ms long
        await using var rig = await PlayerRig.StartAsync(o => o.TrackLength = TimeSpan.FromMilliseconds(200));
        var (mock, http, client, session) = rig;
        await client.ReceiveJsonAsync();
        var play = await http.PlayAsync(session);
        await client.ReceiveJsonAsync();

        // When nothing else is asked
        var end = await client.ReceiveTextAsync();
        var info = await http.SendAsync("GET", NightingaleHttp.Player(session, NightingaleHttp.Guild, "info"));

        // Then
        Assert.That(end, Is.EqualTo(NightingaleSocket.Fill("""
            {"op":"event","data":{"guild_id":<guild>,"event":{"type":"track_end","data":{"stopped":false,"track":<track>}}}}
            """, ("guild", NightingaleHttp.Guild), ("track", play.Raw))));
        Assert.That(info.Json?["currently_playing"], Is.Null, () => info.Raw);
    }

    [Test]
    public async Task Update_OnTheSeedServer_UpdateStateUsesGuildChannelAndSession()
    {
        // Given the seed-era ConnectionData { channel, guild, session, server, ssrc } (674652a src/api/model/connection.rs)
        await using var mock = await NightingaleMock.StartAsync(o => o.Dialect = "seed");
        using var http = new NightingaleHttp(mock);
        var (client, session) = await NightingaleSocket.OpenSessionAsync(mock);
        await using var _ = client;

        // When
        await http.ConnectVoiceAsync(session);
        var connected = await client.ReceiveTextAsync();
        await http.SendAsync("PATCH", NightingaleHttp.Player(session, NightingaleHttp.Guild, "update"));
        var disconnected = await client.ReceiveTextAsync();

        // Then
        var ssrc = JsonNode.Parse(connected)!["data"]?["data"]?["ssrc"]?.GetValue<uint>();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(connected, Is.EqualTo(NightingaleSocket.Fill("""
                {"op":"update_state","data":{"type":"connect_gateway","data":{"channel":<channel>,"guild":<guild>,"session":"voice-session-1","server":"voice.example.test","ssrc":<ssrc>}}}
                """, ("channel", NightingaleHttp.Channel), ("guild", NightingaleHttp.Guild), ("ssrc", $"{ssrc}"))));
            Assert.That(disconnected, Is.EqualTo(NightingaleSocket.Fill("""
                {"op":"update_state","data":{"type":"disconnect_gateway","data":{"channel":<channel>,"guild":<guild>,"session":"voice-session-1"}}}
                """, ("channel", NightingaleHttp.Channel), ("guild", NightingaleHttp.Guild))));
        }
    }

    [Test]
    public async Task Play_OnTheSeedServer_EventGuildIsGuildAndDurationIsSecsAndNanos()
    {
        // Given the seed-era Outgoing::Event { guild, event } and Track { duration: Option<Duration> }
        await using var rig = await PlayerRig.StartAsync(o => o.Dialect = "seed");
        var (mock, http, client, session) = rig;
        await client.ReceiveJsonAsync();

        // When
        var play = await http.PlayAsync(session);
        var start = await client.ReceiveJsonAsync();

        // Then
        var duration = start["data"]?["event"]?["data"]?["duration"] as JsonObject;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(start["data"]?.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "guild", "event" }), () => start.ToJsonString());
            Assert.That(start["data"]?["guild"]?.ToJsonString(), Is.EqualTo(NightingaleHttp.Guild));
            Assert.That(duration?.Select(p => p.Key), Is.EqualTo(new[] { "secs", "nanos" }), () => start.ToJsonString());
            Assert.That(duration?["secs"]?.GetValue<long>(), Is.Positive);
            Assert.That(duration?["nanos"]?.GetValue<long>(), Is.InRange(0, 999_999_999));
            Assert.That(play.Json?["duration"]?.ToJsonString(), Is.EqualTo(duration?.ToJsonString()));
        }
    }

    [Test]
    public async Task Rest_EveryExchange_LandsInTheTranscriptWithItsRoute()
    {
        // Given
        await using var mock = await NightingaleMock.StartAsync();
        using var http = new NightingaleHttp(mock);
        var (client, session) = await NightingaleSocket.OpenSessionAsync(mock);
        await using var _ = client;

        // When
        await http.ConnectVoiceAsync(session);
        await http.SendAsync("GET", NightingaleHttp.Player(session, NightingaleHttp.Guild, "info"), null, null);
        await http.SendAsync("GET", "/api/v1/nothing-here");

        // Then
        var exchanges = mock.Transcript.Snapshot().OfType<HttpExchange>().ToList();
        Assert.That(exchanges.Select(e => $"{e.Method} {e.Status} {e.Route}"), Is.EqualTo(new[]
        {
            "PATCH 200 update", "GET 401 player info", "GET 404 ",
        }));
    }
}
