using System.Globalization;
using Conformance.Harness.Monitors;
using Conformance.Harness.Running;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Json;
using Conformance.Mocks.Protocols.Nightingale;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Protocols.Nightingale;

/// <summary>
/// Checks every Nightingale run on what went over the wire: the password on every request, the /ws query, REST only
/// with a session from ready, the resume form and what the client does after a lost socket, a 409 or a 400, player
/// routes after the update that creates the player, plays after connect_gateway, and guild ids with every digit.
/// Sources in specs/nightingale/rules.yaml.
/// </summary>
internal sealed class NightingaleMonitor : IRuleMonitor
{
    public IEnumerable<RuleFinding> Check(MonitorContext context)
    {
        var options = context.MockOptions as NightingaleOptions ?? new NightingaleOptions();
        var attempts = Attempts(context.Entries, options.SpokenDialect).ToList();
        var rest = context.Entries.OfType<HttpExchange>().Where(h => h.Path.StartsWith("/api/", StringComparison.Ordinal)).ToList();
        if (attempts.Count == 0 && rest.Count == 0)
        {
            yield break;
        }

        if (!context.Scenario.Withhold.Contains(NightingaleModule.Token, StringComparer.Ordinal))
        {
            var requests = attempts.Select(a => (a.Entry, a.Headers)).Concat(rest.Select(h => (Entry: (TranscriptEntry)h, Headers: h.RequestHeaders))).ToList();
            var without = requests.Where(r => !r.Headers.TryGetValue("Authorization", out var given) || given != options.Password).Select(r => r.Entry).ToList();
            yield return EntryFindings.Of("nightingale.auth.password", without, requests.Count, "requests without the password in Authorization");
        }

        var unauthorized = attempts.Select(a => a.Entry).Where(e => e is ConnectionRefused { Status: 401 }).Concat(rest.Where(h => h.Status == 401)).ToList();
        if (unauthorized.Count > 0)
        {
            yield return EntryFindings.Of("nightingale.auth.refused", AttemptStorm.Refusals.Find(unauthorized), unauthorized.Count, $"401s came more than {AttemptStorm.Refusals.Limit} in a second");
        }

        var fresh = attempts.Where(a => a.Kind == AttemptKind.Fresh).ToList();
        if (fresh.Count > 0)
        {
            var badUser = fresh.Where(a => !ulong.TryParse(HttpQuery.Get(a.Query, "user_id"), NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id == 0).ToList();
            yield return EntryFindings.Of("nightingale.connect.user-id", [.. badUser.Select(a => a.Entry)], fresh.Count, "upgrades to /ws without a non-zero integer user_id");
            var noShards = fresh.Where(a => HttpQuery.Get(a.Query, "shards") is null).ToList();
            yield return EntryFindings.Of("nightingale.connect.shards", [.. noShards.Select(a => a.Entry)], fresh.Count, "upgrades to /ws without shards") with
            {
                Advisory = noShards.Count > 0,
            };
        }

        var sessions = Sessions(context.Entries);
        yield return AfterReady(rest, sessions);
        foreach (var finding in Resumes(context, attempts, sessions))
        {
            yield return finding;
        }

        foreach (var finding in Players(context, rest, sessions, options))
        {
            yield return finding;
        }
    }

    /// <summary>REST with a session in the path must name one a ready announced earlier.</summary>
    private static RuleFinding AfterReady(List<HttpExchange> rest, List<(int Index, int Connection, string Session)> sessions)
    {
        var scoped = rest.Select(h => (Exchange: h, Session: SessionOfPath(h.Path))).Where(p => p.Session is not null).ToList();
        var early = scoped.Where(p => !sessions.Any(s => s.Session == p.Session && s.Index < p.Exchange.Index)).Select(p => (TranscriptEntry)p.Exchange).ToList();
        return EntryFindings.Of("nightingale.rest.after-ready", early, scoped.Count, "session routes with a session no earlier ready announced");
    }

    /// <summary>
    /// What the client did about its session: the resume's form; after a socket the server ended, resuming rather than
    /// starting afresh; after 409, trying again; after 400 "Session not present", never that session again.
    /// </summary>
    private static IEnumerable<RuleFinding> Resumes(MonitorContext context, List<Attempt> attempts, List<(int Index, int Connection, string Session)> sessions)
    {
        var resumes = attempts.Where(a => a.Kind != AttemptKind.Fresh).ToList();
        if (resumes.Count > 0)
        {
            var header = resumes.Where(a => a.Kind == AttemptKind.Header).Select(a => a.Entry).ToList();
            var other = resumes.Where(a => a.Kind == AttemptKind.Other).Select(a => a.Entry).ToList();
            yield return other.Count > 0
                ? EntryFindings.Of("nightingale.resume.path", other, resumes.Count, "resumes in a form no server accepts")
                : EntryFindings.Of("nightingale.resume.path", header, resumes.Count, "resumes with the seed's session header, which every released server refuses") with
                {
                    Advisory = header.Count > 0,
                };
        }

        var options = context.MockOptions as NightingaleOptions ?? new NightingaleOptions();
        var dead = new Dictionary<string, TranscriptEntry>(StringComparer.Ordinal);
        var retried = new List<TranscriptEntry>();
        var abandoned = new List<TranscriptEntry>();
        var gaveUp = new List<TranscriptEntry>();
        var lost = 0;
        foreach (var attempt in attempts)
        {
            if (attempt.Kind != AttemptKind.Fresh && attempt.Session is { } named && dead.ContainsKey(named))
            {
                retried.Add(attempt.Entry);
            }

            if (attempt.Entry is ConnectionRefused { Endpoint: NightingaleMock.ResumeEndpointName } refused && attempt.Session is { } id)
            {
                if (refused.Status == 400 && refused.Reason == NightingaleCodec.Errors.SessionNotPresent)
                {
                    dead[id] = refused;
                }
                else if (refused.Status == 409 && attempts.FirstOrDefault(a => a.Entry.Index > refused.Index) is { Kind: AttemptKind.Fresh } next)
                {
                    gaveUp.Add(next.Entry);
                }
            }
        }

        // A socket the server ended (dropped or closed) whose session could still be resumed: the next attempt should resume it.
        foreach (var closed in context.Entries.OfType<ConnectionClosed>().Where(c => c.By is CloseInitiator.ServerDropped or CloseInitiator.Server))
        {
            if (sessions.FirstOrDefault(s => s.Connection == closed.Connection).Session is not { } session)
            {
                continue;
            }

            lost++;
            var next = attempts.FirstOrDefault(a => a.Entry.Index > closed.Index);
            if (next is { Kind: AttemptKind.Fresh } && !dead.ContainsKey(session) && next.Entry.At - closed.At <= options.ResumeWindow)
            {
                abandoned.Add(next.Entry);
            }
        }

        if (lost > 0)
        {
            yield return EntryFindings.Of("nightingale.resume.prefer", abandoned, lost, "lost sockets followed by a fresh session instead of a resume");
        }

        if (attempts.Any(a => a.Entry is ConnectionRefused { Status: 409 }))
        {
            yield return EntryFindings.Of("nightingale.resume.taken", gaveUp, attempts.Count(a => a.Entry is ConnectionRefused { Status: 409 }), "409 answers followed at once by a fresh session");
        }

        if (dead.Count > 0)
        {
            yield return EntryFindings.Of("nightingale.resume.expired", retried, dead.Count, "resumes of a session the server had said is not present");
        }
    }

    /// <summary>Player routes after the update that creates the player, plays after connect_gateway, guild ids kept exact.</summary>
    private static IEnumerable<RuleFinding> Players(MonitorContext context, List<HttpExchange> rest, List<(int Index, int Connection, string Session)> sessions, NightingaleOptions options)
    {
        var routes = rest.Select(h => (Exchange: h, Match: PlayerRoute(h.Path))).Where(p => p.Match is not null).ToList();
        if (routes.Count == 0)
        {
            yield break;
        }

        // Every guild id the client could know: the voice channels it was given, and any the server sent. A route naming
        // one of them with digits lost is the ids rule's, and no other rule's.
        var frames = context.Entries.OfType<FrameRecorded>().Where(f => f.Direction == Direction.ServerToClient).ToList();
        var known = NightingaleVoice.Parse(options.VoiceChannels).Select(v => v.Guild).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var frame in frames)
        {
            known.UnionWith(JsonText.TryParse(frame.Text) is { } json ? GuildIds(json) : []);
        }

        var lossy = routes.Where(p => !known.Contains(p.Match!["guild"]) && known.Any(k => SameDouble(k, p.Match!["guild"]))).ToList();
        yield return lossy.Count == 0
            ? new RuleFinding("nightingale.ids.exact", Violated: false, $"{routes.Count} player routes named guild ids the client was given")
            : EntryFindings.Of("nightingale.ids.exact", [.. lossy.Select(p => (TranscriptEntry)p.Exchange)], routes.Count, "player routes whose guild id lost digits (a known id read as a double)");
        routes = [.. routes.Except(lossy)];

        var noPlayer = routes.Where(p => p.Exchange.Status == 400 && p.Exchange.ResponseBody == NightingaleCodec.Errors.Body(NightingaleCodec.Errors.NoPlayer))
            .Select(p => (TranscriptEntry)p.Exchange).ToList();
        yield return EntryFindings.Of("nightingale.voice.update-first", noPlayer, routes.Count, "player routes for a guild without a player (400 The player does not exist)");

        var connected = frames.Where(f => NightingaleCodec.Op(f.Text) == NightingaleCodec.Ops.UpdateState &&
                NightingaleCodec.Data(f.Text) is { } d && d["type"]?.ToString() == NightingaleCodec.StateTypes.ConnectGateway)
            .Select(f => (f.Index, Session: sessions.FirstOrDefault(s => s.Connection == f.Connection).Session, Guild: GuildOf(NightingaleCodec.Data(f.Text)?["data"])))
            .ToList();
        var plays = routes.Where(p => p.Exchange.Method == "POST" && p.Exchange.Path.EndsWith("/play", StringComparison.Ordinal)).ToList();
        if (plays.Count > 0)
        {
            var early = plays.Where(p => !connected.Any(c => c.Index < p.Exchange.Index && c.Session == p.Match!["session"] && c.Guild == p.Match["guild"]))
                .Select(p => (TranscriptEntry)p.Exchange).ToList();
            yield return EntryFindings.Of("nightingale.voice.connected-event", early, plays.Count, "plays before update_state connect_gateway for their guild");
        }
    }

    private static bool SameDouble(string known, string seen) =>
        known != seen && double.TryParse(known, CultureInfo.InvariantCulture, out var a) && double.TryParse(seen, CultureInfo.InvariantCulture, out var b) && a == b;

    private static string? GuildOf(System.Text.Json.Nodes.JsonNode? data) =>
        data is System.Text.Json.Nodes.JsonObject o ? JsonText.IdText(o["guild_id"] ?? o["guild"]) : null;

    private static IEnumerable<string> GuildIds(System.Text.Json.Nodes.JsonNode node) => node switch
    {
        System.Text.Json.Nodes.JsonObject o => o.SelectMany(p =>
            (p.Key is "guild_id" or "guild" && JsonText.IdText(p.Value) is { } id ? [id] : Enumerable.Empty<string>())
            .Concat(p.Value is null ? [] : GuildIds(p.Value))),
        System.Text.Json.Nodes.JsonArray a => a.OfType<System.Text.Json.Nodes.JsonNode>().SelectMany(GuildIds),
        _ => [],
    };

    /// <summary>The session each ready announced, with the connection it came on.</summary>
    private static List<(int Index, int Connection, string Session)> Sessions(IReadOnlyList<TranscriptEntry> entries) =>
    [
        .. entries.OfType<FrameRecorded>()
            .Where(f => f.Direction == Direction.ServerToClient && NightingaleCodec.Op(f.Text) == NightingaleCodec.Ops.Ready)
            .Select(f => (f.Index, f.Connection, Session: NightingaleCodec.Data(f.Text)?["session"]?.ToString()))
            .Where(s => s.Session is not null)
            .Select(s => (s.Index, s.Connection, s.Session!)),
    ];

    /// <summary>The session and guild of a player route, /api/v1/&lt;session&gt;/players/&lt;guild&gt;/..., else null.</summary>
    private static Dictionary<string, string>? PlayerRoute(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries) is ["api", "v1", var session, "players", var guild, _, ..]
            ? new Dictionary<string, string>(StringComparer.Ordinal) { ["session"] = session, ["guild"] = guild }
            : null;

    private static string? SessionOfPath(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments is ["api", "v1", "info", var s] ? s
            : segments is ["api", "v1", var session, "players", ..] ? session
            : null;
    }

    private enum AttemptKind
    {
        /// <summary>An upgrade to /ws: a new session.</summary>
        Fresh,

        /// <summary>A resume in the server's form: /ws/resume/&lt;session&gt; (the seed-era server: ?session=).</summary>
        Path,

        /// <summary>A resume with the seed document's session header and no id where the server reads it.</summary>
        Header,

        /// <summary>Any other request to /ws/resume.</summary>
        Other,
    }

    private sealed record Attempt(TranscriptEntry Entry, AttemptKind Kind, string Query, IReadOnlyDictionary<string, string> Headers, string? Session);

    /// <summary>Every attempt at a socket, in order: upgrades opened or refused, and requests to /ws/resume that reached no endpoint.</summary>
    private static IEnumerable<Attempt> Attempts(IReadOnlyList<TranscriptEntry> entries, NightingaleDialect dialect)
    {
        foreach (var entry in entries)
        {
            var (path, query, headers) = entry switch
            {
                ConnectionOpened c => (c.Path, c.Query, c.Headers),
                ConnectionRefused r => (r.Path, r.Query, r.Headers),
                HttpExchange { Method: "GET" } h when h.Path == "/ws" || h.Path.StartsWith("/ws/resume", StringComparison.Ordinal) => (h.Path, h.Query, h.RequestHeaders),
                _ => (null, "", new Dictionary<string, string>()),
            };
            if (path is null)
            {
                continue;
            }

            if (path == "/ws")
            {
                yield return new Attempt(entry, AttemptKind.Fresh, query, headers, null);
                continue;
            }

            var inPath = new PathPattern("/ws/resume/{session}").Match(path)?["session"];
            var inQuery = HttpQuery.Get(query, "session");
            var inHeader = headers.TryGetValue("session", out var given) ? given : null;
            var served = dialect == NightingaleDialect.Seed ? path == "/ws/resume" ? inQuery : null : inPath;
            var kind = served is not null ? AttemptKind.Path : inHeader is not null ? AttemptKind.Header : AttemptKind.Other;
            yield return new Attempt(entry, kind, query, headers, served ?? inHeader ?? inPath ?? inQuery);
        }
    }
}
