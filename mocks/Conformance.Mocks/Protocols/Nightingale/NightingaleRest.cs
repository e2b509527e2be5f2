using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Json;

namespace Conformance.Mocks.Protocols.Nightingale;

/// <summary>
/// The server's REST routes under <c>/api/v1</c> (AlvaroMS25/nightingale src/api/routes/mod.rs, player.rs, queue.rs,
/// info.rs), checked as it checks them: the password first on every request (src/api/layers/auth.rs), then the session
/// and guild of the path (src/api/extractors/session.rs, player.rs), then the body. A client's update, play, pause,
/// skip and so on raise the socket events the server would raise. Any other path, once authorized, is a bare 404.
/// </summary>
internal sealed class NightingaleRest(NightingaleMock mock)
{
    private const string Player = "/api/v1/{session}/players/{guild}";

    public IReadOnlyList<HttpRoute> Routes() =>
    [
        Route("GET", "/api/v1/info", "info", Info),
        Route("GET", "/api/v1/info/{session}", "info", Info),
        Route("GET", "/api/v1/metrics", "metrics", _ => Task.FromResult(new HttpReply(200, "# nightingale metrics\n", "text/plain; version=0.0.4"))),
        Route("PATCH", Player + "/update", "update", Update),
        Route("GET", Player + "/info", "player info", r => WithPlayer(r, (_, p) => Task.FromResult(Json(p.Json(mock.Dialect))))),
        Route("POST", Player + "/play", "play", Play),
        Route("PATCH", Player + "/pause", "pause", r => WithPlayer(r, (s, p) => Paused(s, p, true))),
        Route("PATCH", Player + "/resume", "resume", r => WithPlayer(r, (s, p) => Paused(s, p, false))),
        Route("PATCH", Player + "/set_volume/{volume}", "set_volume", Volume),
        Route("PATCH", Player + "/seek/{millis}", "seek", Seek),
        Route("PATCH", Player + "/queue/skip", "skip", r => WithPlayer(r, Skip)),
        Route("DELETE", Player + "/queue/clear", "clear", r => WithPlayer(r, Clear)),
        Route("PATCH", Player + "/queue/repeat", "repeat", r => WithPlayer(r, (_, _) => Task.FromResult(Empty()))),
        // Everything else: axum's fallback, a 404 with no body, once the auth layer has let the request through.
        Route("*", "*", null, _ => Task.FromResult(new HttpReply(404))),
    ];

    private HttpRoute Route(string method, string path, string? name, Func<HttpRequestContext, Task<HttpReply>> handle) =>
        new(method, path, request => mock.Unauthorized(request.Http) is { } refused
            ? Task.FromResult(new HttpReply(refused.Status) { Headers = refused.Headers })
            : handle(request))
        { Name = name };

    private static HttpReply Error(int status, string message) => new(status, NightingaleCodec.Errors.Body(message));

    private static HttpReply Json(JsonNode body) => new(200, JsonText.Write(body));

    private static HttpReply Empty() => new(200);

    /// <summary>GET /info[/session] (src/api/routes/info.rs): fixed system figures, so runs are reproducible.</summary>
    private Task<HttpReply> Info(HttpRequestContext request)
    {
        IEnumerable<NightingalePlayer> players;
        lock (mock.Gate)
        {
            if (request.Segments.TryGetValue("session", out var id))
            {
                if (!Guid.TryParse(id, out _))
                {
                    return Task.FromResult(Error(400, NightingaleCodec.Errors.MissingSessionId));
                }

                if (mock.Live(id) is not { } session)
                {
                    return Task.FromResult(Error(400, NightingaleCodec.Errors.SessionNotPresent));
                }

                players = [.. session.Players];
            }
            else
            {
                players = [];
            }
        }

        return Task.FromResult(Json(new JsonObject
        {
            ["system"] = new JsonObject
            {
                ["cpu"] = new JsonObject
                {
                    ["total_usage"] = 5.0,
                    ["process_usage"] = 1.0,
                    ["cores"] = new JsonArray(new JsonObject { ["total_usage"] = 5.0, ["frequency"] = 2400 }, new JsonObject { ["total_usage"] = 5.0, ["frequency"] = 2400 }),
                },
                ["memory"] = new JsonObject { ["memory"] = 67_108_864, ["virtual_memory"] = 268_435_456 },
            },
            ["playback"] = new JsonObject { ["players"] = players.Count(), ["playing"] = players.Count(p => p.Current is not null) },
        }));
    }

    /// <summary>The session and guild of a player route: 400 "Missing guild or session ID" when either does not parse, 400 "Session not present".</summary>
    private (NightingaleSession? Session, string Guild, HttpReply? Error) SessionAndGuild(HttpRequestContext request)
    {
        var id = request.Segments["session"];
        var guild = request.Segments["guild"];
        if (!Guid.TryParse(id, out _) || !ulong.TryParse(guild, NumberStyles.None, CultureInfo.InvariantCulture, out var g) || g == 0)
        {
            return (null, guild, Error(400, NightingaleCodec.Errors.MissingId));
        }

        lock (mock.Gate)
        {
            return mock.Live(id) is { } session ? (session, guild, null) : (null, guild, Error(400, NightingaleCodec.Errors.SessionNotPresent));
        }
    }

    private Task<HttpReply> WithPlayer(HttpRequestContext request, Func<NightingaleSession, NightingalePlayer, Task<HttpReply>> answer)
    {
        var (session, guild, error) = SessionAndGuild(request);
        if (error is not null)
        {
            return Task.FromResult(error);
        }

        NightingalePlayer? player;
        lock (mock.Gate)
        {
            player = session!.Player(guild);
        }

        return player is null ? Task.FromResult(Error(400, NightingaleCodec.Errors.NoPlayer)) : answer(session!, player);
    }

    /// <summary>
    /// PATCH …/update (src/api/routes/player.rs update): a connection info body connects the guild's player (created if
    /// need be) and raises update_state connect_gateway; no body, or one the JSON extractor rejects, destroys the player.
    /// The route answers at once; the player is connected when the event says so.
    /// </summary>
    private async Task<HttpReply> Update(HttpRequestContext request)
    {
        var (session, guild, error) = SessionAndGuild(request);
        if (error is not null)
        {
            return error;
        }

        var info = ConnectionInfo(request);
        NightingalePlayer? player;
        string? endedVoice = null;
        lock (mock.Gate)
        {
            if (info is null)
            {
                player = session!.Player(guild);
                endedVoice = player?.VoiceSession;
                session.Remove(guild);
            }
            else
            {
                player = session!.GetOrCreate(guild);
                player.Channel = info.Value.Channel;
                player.VoiceSession = info.Value.VoiceSession;
            }
        }

        if (info is { } connect)
        {
            await mock.EmitAsync(session!, NightingaleCodec.Connected(mock.Dialect, NightingaleCodec.StateTypes.ConnectGateway, guild, connect.Channel,
                connect.VoiceSession, connect.Endpoint, mock.NextSsrc())).ConfigureAwait(false);
        }
        else if (player is not null && endedVoice is not null)
        {
            await mock.EmitAsync(session!, NightingaleCodec.Disconnected(mock.Dialect, guild, player.Channel, endedVoice)).ConfigureAwait(false);
        }

        return Empty();
    }

    /// <summary>
    /// The update body as axum's Json extractor takes it (src/api/model/connection.rs DeserializableConnectionInfo): a JSON
    /// content type and <c>endpoint</c>, <c>session_id</c>, <c>token</c> strings, <c>channel_id</c> optional (number or
    /// numeric string, non-zero). Null for anything else, which the route reads as "disconnect".
    /// </summary>
    private static (string? Channel, string Endpoint, string VoiceSession)? ConnectionInfo(HttpRequestContext request)
    {
        if (!JsonContent(request) || JsonText.TryParse(request.Body) is not JsonObject body ||
            Text(body["endpoint"]) is not { } endpoint || Text(body["session_id"]) is not { } voiceSession || Text(body["token"]) is null)
        {
            return null;
        }

        var channel = JsonText.IdText(body["channel_id"]);
        if (body["channel_id"] is not null && (channel is null || !ulong.TryParse(channel, NumberStyles.None, CultureInfo.InvariantCulture, out var c) || c == 0))
        {
            return null;
        }

        return (channel, endpoint, voiceSession);
    }

    /// <summary>
    /// POST …/play (src/api/routes/player.rs play, src/api/model/play.rs): <c>{force_play, source: {type, data}}</c>; the
    /// track starts at once when nothing plays or <c>force_play</c> is set (the one playing goes back to the head of the
    /// queue), else it is queued. Answers the Track. Body errors are axum's Json rejections (415, 400, 422).
    /// </summary>
    private Task<HttpReply> Play(HttpRequestContext request) => WithPlayer(request, async (session, player) =>
    {
        if (!JsonContent(request))
        {
            return new HttpReply(415, "Expected request with `Content-Type: application/json`", "text/plain; charset=utf-8");
        }

        if (JsonText.TryParse(request.Body) is not { } parsed)
        {
            return new HttpReply(400, "Failed to parse the request body as JSON", "text/plain; charset=utf-8");
        }

        if (parsed is not JsonObject body || body["force_play"] is not JsonValue force || force.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False) ||
            body["source"] is not JsonObject source || Text(source["type"]) is not ("link" or "http" or "bytes") || source["data"] is not JsonObject data ||
            (Text(source["type"]) != "bytes" && Text(data["link"]) is null))
        {
            return new HttpReply(422, "Failed to deserialize the JSON body into the target type", "text/plain; charset=utf-8");
        }

        var track = mock.NextTrack(Text(data["link"]), NightingaleCodec.ReadTrack(data["track"]));
        bool startNow;
        lock (mock.Gate)
        {
            var forced = force.GetValue<bool>();
            startNow = player.Current is null || forced;
            if (!startNow)
            {
                player.Queue.Add(track);
            }
            else if (player.Current is { } interrupted)
            {
                player.Queue.Insert(0, interrupted);
            }
        }

        if (startNow)
        {
            await mock.StartAsync(session, player, track).ConfigureAwait(false);
        }

        return Json(NightingaleCodec.Track(mock.Dialect, track));
    });

    private Task<HttpReply> Paused(NightingaleSession session, NightingalePlayer player, bool paused)
    {
        mock.SetPaused(session, player, paused);
        return Task.FromResult(Empty());
    }

    /// <summary>
    /// PATCH …/set_volume/&lt;0..512&gt; (src/api/routes/player.rs volume): the route reads the whole path as
    /// <c>(Uuid, NonZeroU64, u16)</c> itself, so a segment that does not parse gets axum's plain-text rejection; then
    /// the player, then the range.
    /// </summary>
    private Task<HttpReply> Volume(HttpRequestContext request) => WithTuplePath(request, "volume", "u16", (player, volume) =>
    {
        if (volume > 512)
        {
            return Task.FromResult(Error(400, NightingaleCodec.Errors.BadVolume));
        }

        lock (mock.Gate)
        {
            player.Volume = (int)volume;
        }

        return Task.FromResult(Empty());
    });

    /// <summary>
    /// PATCH …/seek/&lt;millis&gt; (the path read as <c>(Uuid, NonZeroU64, u64)</c>): 404 with no body when nothing plays,
    /// else where it landed (src/api/model/player.rs SeekJson).
    /// </summary>
    private Task<HttpReply> Seek(HttpRequestContext request) => WithTuplePath(request, "millis", "u64", (player, millis) =>
    {
        lock (mock.Gate)
        {
            return Task.FromResult(player.Current is null
                ? new HttpReply(404)
                : Json(new JsonObject { ["d"] = new JsonObject { ["secs"] = millis / 1000, ["nanos"] = millis % 1000 * 1_000_000 } }));
        }
    });

    /// <summary>A route that extracts <c>Path&lt;(Uuid, NonZeroU64, value)&gt;</c> and then looks the player up with PlayerExtractor::from_id.</summary>
    private Task<HttpReply> WithTuplePath(HttpRequestContext request, string name, string type, Func<NightingalePlayer, ulong, Task<HttpReply>> answer)
    {
        var values = new[] { request.Segments["session"], request.Segments["guild"], request.Segments[name] };
        if (AxumRejections.Path(values, [new("session", "Uuid"), new("guild", "u64", NonZero: true), new(name, type)]) is { } rejected)
        {
            return Task.FromResult(new HttpReply(400, rejected, "text/plain; charset=utf-8"));
        }

        var value = ulong.Parse(values[2].TrimStart('+'), NumberStyles.None, CultureInfo.InvariantCulture);
        return WithPlayer(request, (_, player) => answer(player, value));
    }

    /// <summary>PATCH …/queue/skip (src/api/routes/queue.rs): the skipped track, or an empty 200 when nothing plays.</summary>
    private async Task<HttpReply> Skip(NightingaleSession session, NightingalePlayer player)
    {
        NightingaleTrack? current;
        lock (mock.Gate)
        {
            current = player.Current;
        }

        if (current is null)
        {
            return Empty();
        }

        await mock.EndAsync(session, player, stopped: true).ConfigureAwait(false);
        return Json(NightingaleCodec.Track(mock.Dialect, current));
    }

    private Task<HttpReply> Clear(NightingaleSession session, NightingalePlayer player)
    {
        lock (mock.Gate)
        {
            player.Queue.Clear();
        }

        return Task.FromResult(Empty());
    }

    private static bool JsonContent(HttpRequestContext request) =>
        request.Http.Request.ContentType is { } type && type.Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase);

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue(out string? s) ? s : null;
}
