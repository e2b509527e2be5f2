using System.Text.Json.Nodes;
using Bogus;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Transcripts;
using Microsoft.AspNetCore.Http;

namespace Conformance.Mocks.Protocols.Nightingale;

/// <summary>
/// A Nightingale server mock (seed 002 = AlvaroMS25/nightingale IMPLEMENTATION.md; behaviour of the current server,
/// src/api): the password on every request, new sessions at <c>/ws?user_id=</c>, resumes at <c>/ws/resume/&lt;uuid&gt;</c>
/// inside the resume window (400 when unknown, 409 while still attached), events raised while detached delivered after
/// the resumed ready, and the REST routes under <c>/api/v1</c> that drive players and their events.
/// <code>await using var mock = await NightingaleMock.StartAsync(o => o.ResumeWindow = TimeSpan.FromSeconds(5));</code>
/// </summary>
public sealed class NightingaleMock : ProtocolMock
{
    /// <summary>The endpoints' names, as scenarios refer to them.</summary>
    public const string WebSocketEndpointName = "ws";

    public const string ResumeEndpointName = "resume";

    /// <summary>The Basic challenge of a 401 (src/api/layers/auth.rs).</summary>
    internal const string Challenge = "Basic realm=\"Nightingale server\", charset=\"UTF-8\"";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, NightingaleSession> _sessions = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Faker _faker;
    private int _sessionIds;
    private int _disposed;
    private uint _ssrc = 1000;

    private NightingaleMock(NightingaleOptions options)
    {
        Options = options;
        _faker = new Faker("en") { Random = new Randomizer(options.Seed) };
    }

    public override string Protocol => "nightingale";

    public NightingaleOptions Options { get; }

    internal NightingaleDialect Dialect => Options.SpokenDialect;

    /// <summary>URL of the new-session endpoint, <c>ws://127.0.0.1:port/ws</c>.</summary>
    public string Url => Urls[WebSocketEndpointName];

    public override IReadOnlyCollection<string> TemplateNames { get; } =
    [
        Templates.Ready, Templates.ConnectGateway, Templates.DisconnectGateway, Templates.TrackStart, Templates.TrackEnd,
        Templates.TrackErrored,
    ];

    public static async Task<NightingaleMock> StartAsync(Action<NightingaleOptions>? configure = null, MockHostOptions? host = null, Transcript? transcript = null)
    {
        var options = new NightingaleOptions();
        configure?.Invoke(options);
        return await StartAsync(options, host, transcript).ConfigureAwait(false);
    }

    public static async Task<NightingaleMock> StartAsync(NightingaleOptions options, MockHostOptions? host = null, Transcript? transcript = null)
    {
        _ = options.SpokenDialect;
        var mock = new NightingaleMock(options);
        var resumePath = mock.Dialect == NightingaleDialect.Seed ? "/ws/resume" : "/ws/resume/{session}";
        await mock.StartHostAsync(
            host,
            [
                new WebSocketEndpoint(WebSocketEndpointName, "/ws", connection => new NightingaleConnectionHandler(mock, connection)) { Admit = mock.AdmitNew },
                new WebSocketEndpoint(ResumeEndpointName, resumePath, connection => new NightingaleConnectionHandler(mock, connection)) { Admit = mock.AdmitResume },
            ],
            transcript).ConfigureAwait(false);
        foreach (var route in new NightingaleRest(mock).Routes())
        {
            mock.Host.Routes.Add(route);
        }

        return mock;
    }

    /// <summary>Forgets every session and player.</summary>
    public override void ResetState()
    {
        lock (_gate)
        {
            _sessions.Clear();
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    public override JsonNode RenderTemplate(string name, MockConnection? connection)
    {
        NightingaleSession? session;
        NightingalePlayer? player;
        lock (_gate)
        {
            session = connection is null ? null : SessionOfConnection(connection);
            player = session?.Players.FirstOrDefault();
        }

        var voice = NightingaleVoice.Parse(Options.VoiceChannels) is [var first, ..] ? first : (Guild: "1", Channel: null);
        var guild = player?.Guild ?? voice.Guild ?? "1";
        var channel = player?.Channel ?? voice.Channel;
        var track = player?.Current ?? NextTrack(null, null);
        var text = name switch
        {
            Templates.Ready => NightingaleCodec.Ready(session?.Id ?? NewSessionId(), false, null),
            Templates.ConnectGateway => NightingaleCodec.Connected(Dialect, NightingaleCodec.StateTypes.ConnectGateway, guild, channel, "conformance-voice-session", "voice.example.invalid", 1000),
            Templates.DisconnectGateway => NightingaleCodec.Disconnected(Dialect, guild, channel, "conformance-voice-session"),
            Templates.TrackStart => NightingaleCodec.Event(Dialect, guild, NightingaleCodec.EventTypes.TrackStart, NightingaleCodec.Track(Dialect, track)),
            Templates.TrackEnd => NightingaleCodec.Event(Dialect, guild, NightingaleCodec.EventTypes.TrackEnd,
                new JsonObject { ["stopped"] = false, ["track"] = NightingaleCodec.Track(Dialect, track) }),
            Templates.TrackErrored => NightingaleCodec.Event(Dialect, guild, NightingaleCodec.EventTypes.TrackErrored,
                new JsonObject { ["error"] = "Something failed", ["track"] = NightingaleCodec.Track(Dialect, track) }),
            _ => throw UnknownTemplate(name),
        };
        return JsonNode.Parse(text)!;
    }

    /// <summary>
    /// Before an upgrade to <c>/ws</c>: the password (src/api/layers/auth.rs), then the query (src/api/websocket.rs
    /// ConnectQuery: a non-zero u64 <c>user_id</c>; the seed-era server also required <c>shards</c>). The query's
    /// rejection is axum's plain-text one.
    /// </summary>
    private Refusal? AdmitNew(HttpContext context)
    {
        if (Unauthorized(context) is { } refused)
        {
            return refused;
        }

        // src/api/websocket.rs ConnectQuery { user_id: NonZeroU64 }; at 674652a { shards: u64, user_id: NonZeroU64 }.
        var problem = AxumRejections.Query(
            context.Request.Query.Select(q => KeyValuePair.Create(q.Key, q.Value.ToString())),
            Dialect == NightingaleDialect.Seed ? [new("shards", "u64"), new("user_id", "u64", NonZero: true)] : [new("user_id", "u64", NonZero: true)]);
        return problem is null ? null : new Refusal(400, "query: " + problem["Failed to deserialize query string: ".Length..])
        {
            Body = problem,
            ContentType = "text/plain; charset=utf-8",
        };
    }

    /// <summary>
    /// Before an upgrade to the resume endpoint (src/api/websocket.rs resume, src/api/extractors/session.rs): the password;
    /// an id that is not a uuid → 400 "Missing session ID"; no such session, or one past the resume window → 400 "Session
    /// not present"; a session still attached to a socket → 409 "session taken". Otherwise the session is claimed for
    /// this upgrade.
    /// </summary>
    private Refusal? AdmitResume(HttpContext context)
    {
        if (Unauthorized(context) is { } refused)
        {
            return refused;
        }

        var given = ResumeId(context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "");
        if (given is null || !Guid.TryParse(given, out _))
        {
            return Error(400, NightingaleCodec.Errors.MissingSessionId);
        }

        lock (_gate)
        {
            // The old socket may have ended a moment ago without its handler having run yet: detach it now (as of
            // when it ended), before the window is judged.
            if (_sessions.GetValueOrDefault(given) is { Claimed: false, Connection: { IsOpen: false } ended } detaching)
            {
                DetachLocked(detaching, ended);
            }

            var session = Live(given);
            if (session is null)
            {
                return Error(400, NightingaleCodec.Errors.SessionNotPresent);
            }

            if (session.Claimed || session.Connection is { IsOpen: true } || session.TakenFor-- > 0)
            {
                // Sent by the server as a bare body, without a Content-Type.
                return new Refusal(409, NightingaleCodec.Errors.SessionTaken) { Body = """{"message": "session taken"}""", ContentType = "" };
            }

            session.Claimed = true;
            return null;
        }
    }

    /// <summary>The session id a resume names: the path segment now, the <c>session</c> query on the seed-era server.</summary>
    internal string? ResumeId(string path, string query)
    {
        if (Dialect == NightingaleDialect.Seed)
        {
            return QueryHelpers(query).TryGetValue("session", out var value) ? value : null;
        }

        return new PathPattern("/ws/resume/{session}").Match(path)?["session"];
    }

    private static Dictionary<string, string> QueryHelpers(string query) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query).ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);

    /// <summary>401 with the Basic challenge and no body when Authorization is not the password (src/api/layers/auth.rs).</summary>
    internal Refusal? Unauthorized(HttpContext context) =>
        context.Request.Headers.Authorization.ToString() == Options.Password && context.Request.Headers.Authorization.Count == 1
            ? null
            : new Refusal(401, context.Request.Headers.Authorization.Count == 0 ? "no Authorization header" : "wrong password")
            {
                Headers = new Dictionary<string, string>(StringComparer.Ordinal) { ["WWW-Authenticate"] = Challenge },
            };

    /// <summary>The server's error body (src/api/error.rs; the seed-era server's literal bodies differ in spacing).</summary>
    internal Refusal Error(int status, string message) =>
        new(status, message) { Body = NightingaleCodec.Errors.Body(message, Dialect) };

    /// <summary>A new session, attached to <paramref name="connection"/> (src/api/websocket.rs connect).</summary>
    internal NightingaleSession OpenSession(MockConnection connection)
    {
        lock (_gate)
        {
            var session = new NightingaleSession(NewSessionId(), QueryHelpers(connection.Query).GetValueOrDefault("user_id") ?? "", connection)
            {
                Connection = connection,
            };
            _sessions[session.Id] = session;
            return session;
        }
    }

    /// <summary>The session a resume upgrade claimed, now attached to <paramref name="connection"/>, with its players as JSON.</summary>
    internal (NightingaleSession Session, JsonArray Players)? ResumeSession(MockConnection connection)
    {
        lock (_gate)
        {
            if (ResumeId(connection.Path, connection.Query) is not { } id || !_sessions.TryGetValue(id, out var session))
            {
                return null;
            }

            session.Connection = connection;
            session.Claimed = false;
            session.DetachedAt = null;
            return (session, new JsonArray([.. session.Players.Select(p => (JsonNode)p.Json(Dialect))]));
        }
    }

    /// <summary>
    /// The socket of <paramref name="connection"/> ended: its session waits for a resume. A socket that ended without a
    /// close frame still holds the session for the next <see cref="NightingaleOptions.TakenResumes"/> resumes (the server
    /// has not noticed).
    /// </summary>
    internal void Detach(MockConnection connection)
    {
        lock (_gate)
        {
            if (SessionOfConnection(connection) is { } session && session.Connection == connection)
            {
                DetachLocked(session, connection);
            }
        }
    }

    /// <summary>Detaches <paramref name="session"/> from its ended socket, once. Under the lock.</summary>
    private void DetachLocked(NightingaleSession session, MockConnection ended)
    {
        if (session.DetachedAt is not null || session.Claimed)
        {
            return;
        }

        var clean = ended.Ended?.By is CloseInitiator.Client or CloseInitiator.Server;
        session.DetachedAt = ended.Ended?.At ?? Transcript.Now;
        session.TakenFor = clean ? 0 : Options.TakenResumes;
    }

    /// <summary>A session by id, unless it is gone or has waited past the resume window (then it is destroyed). Under the lock.</summary>
    internal NightingaleSession? Live(string id)
    {
        if (!_sessions.TryGetValue(id, out var session))
        {
            return null;
        }

        if (!session.Claimed && session.DetachedAt is { } detached && Transcript.Now - detached > Options.ResumeWindow)
        {
            session.Destroyed = true;
            _sessions.Remove(id);
            return null;
        }

        return session;
    }

    private NightingaleSession? SessionOfConnection(MockConnection connection) =>
        SessionOf(connection) is { } id ? _sessions.GetValueOrDefault(id) : _sessions.Values.FirstOrDefault(s => s.Connection == connection);

    /// <summary>
    /// A message for a session: to its socket, or held until it resumes (events queued while detached, src/channel.rs).
    /// Addressed through the socket that opened the session, so the engine's session decides: while a resumed socket
    /// has not yet had its ready and the held events, a new event waits behind them.
    /// </summary>
    internal async Task EmitAsync(NightingaleSession session, string text)
    {
        lock (_gate)
        {
            if (session.Destroyed)
            {
                return;
            }
        }

        await SendOrHoldAsync(session.Opener, text, null).ConfigureAwait(false);
    }

    /// <summary>Plays <paramref name="track"/> on <paramref name="player"/> now, and sets the timer that ends it.</summary>
    internal async Task StartAsync(NightingaleSession session, NightingalePlayer player, NightingaleTrack track)
    {
        int generation;
        lock (_gate)
        {
            player.Current = track;
            player.Left = Options.TrackLength;
            player.PlayingSince = Transcript.Now;
            generation = ++player.Generation;
        }

        await EmitAsync(session, NightingaleCodec.Event(Dialect, player.Guild, NightingaleCodec.EventTypes.TrackStart, NightingaleCodec.Track(Dialect, track))).ConfigureAwait(false);
        if (!player.Paused)
        {
            _ = PlayOutAsync(session, player, generation, Options.TrackLength);
        }
    }

    /// <summary>Ends the current track (track_end, <paramref name="stopped"/> when skipped) and starts the next of the queue.</summary>
    internal async Task EndAsync(NightingaleSession session, NightingalePlayer player, bool stopped)
    {
        NightingaleTrack? ended;
        NightingaleTrack? next = null;
        lock (_gate)
        {
            ended = player.Current;
            player.Current = null;
            player.Generation++;
            if (player.Queue.Count > 0)
            {
                next = player.Queue[0];
                player.Queue.RemoveAt(0);
            }
        }

        if (ended is not null)
        {
            await EmitAsync(session, NightingaleCodec.Event(Dialect, player.Guild, NightingaleCodec.EventTypes.TrackEnd,
                new JsonObject { ["stopped"] = stopped, ["track"] = NightingaleCodec.Track(Dialect, ended) })).ConfigureAwait(false);
        }

        if (next is not null)
        {
            await StartAsync(session, player, next).ConfigureAwait(false);
        }
    }

    /// <summary>Pauses or resumes the current track's timer.</summary>
    internal void SetPaused(NightingaleSession session, NightingalePlayer player, bool paused)
    {
        int generation;
        TimeSpan left;
        lock (_gate)
        {
            if (player.Paused == paused)
            {
                return;
            }

            player.Paused = paused;
            if (player.Current is null)
            {
                return;
            }

            if (paused)
            {
                player.Left -= Transcript.Now - player.PlayingSince;
                player.Generation++;
                return;
            }

            player.PlayingSince = Transcript.Now;
            generation = ++player.Generation;
            left = player.Left;
        }

        _ = PlayOutAsync(session, player, generation, left);
    }

    private async Task PlayOutAsync(NightingaleSession session, NightingalePlayer player, int generation, TimeSpan left)
    {
        try
        {
            await Task.Delay(left < TimeSpan.Zero ? TimeSpan.Zero : left, Transcript.Time, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        lock (_gate)
        {
            if (player.Generation != generation || session.Destroyed)
            {
                return;
            }
        }

        await EndAsync(session, player, stopped: false).ConfigureAwait(false);
    }

    /// <summary>
    /// The metadata of a track the client asks to play: its own (an http or bytes source's <c>track</c>), else made up
    /// from the options' seed, with the link as <c>source_url</c> (src/playback/metadata.rs).
    /// </summary>
    internal NightingaleTrack NextTrack(string? link, NightingaleTrack? given)
    {
        if (given is not null)
        {
            return given;
        }

        lock (_gate)
        {
            var title = _faker.Lorem.Sentence(3).TrimEnd('.');
            return new NightingaleTrack(
                title, _faker.Name.FullName(), _faker.Commerce.ProductName(), _faker.Internet.UserName(),
                _faker.Random.Int(120, 420) * 1000L, link ?? "https://example.invalid/" + _faker.Random.AlphaNumeric(11),
                title, "https://i.example.invalid/" + _faker.Random.AlphaNumeric(11) + ".jpg");
        }
    }

    internal uint NextSsrc() => Interlocked.Increment(ref _ssrc);

    internal Lock Gate => _gate;

    internal new Task AttachSessionAsync(MockConnection connection, string session) => base.AttachSessionAsync(connection, session);

    /// <summary>Session ids: uuid v4 in shape, numbered so runs are reproducible.</summary>
    private string NewSessionId() => $"00000000-0000-4000-8000-{Interlocked.Increment(ref _sessionIds):D12}";

    /// <summary>Template names, as scenarios refer to them.</summary>
    public static class Templates
    {
        /// <summary>ready for the connection's session, resumed false.</summary>
        public const string Ready = "ready";

        /// <summary>update_state connect_gateway for the connection's first player (or the first voice channel option).</summary>
        public const string ConnectGateway = "connect_gateway";

        public const string DisconnectGateway = "disconnect_gateway";

        /// <summary>event track_start with the player's current track, or the next made-up one.</summary>
        public const string TrackStart = "track_start";

        public const string TrackEnd = "track_end";

        public const string TrackErrored = "track_errored";
    }
}

/// <summary>The voice channels option: "guild:channel" pairs, comma-separated.</summary>
public static class NightingaleVoice
{
    public static IReadOnlyList<(string? Guild, string? Channel)> Parse(string pairs) =>
        [.. pairs.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split(':', 2) is [var g, var c] ? (g, (string?)c) : (p, null))
            .Select(p => ((string?)p.Item1, p.Item2))];
}
