using System.Text.Json.Nodes;
using Conformance.Mocks.Json;

namespace Conformance.Mocks.Protocols.Nightingale;

/// <summary>Track metadata as the server sends it; every field may be null (src/api/model/track.rs).</summary>
public sealed record NightingaleTrack(
    string? Track, string? Artist, string? Album, string? Channel, long? DurationMs, string? SourceUrl, string? Title, string? Thumbnail);

/// <summary>
/// Nightingale's socket messages, <c>{"op": "&lt;snake_case&gt;", "data": {...}}</c> (seed 002 §Incoming Events;
/// AlvaroMS25/nightingale src/api/model/gateway.rs, connection.rs, ready.rs, track.rs, player.rs), in the dialect the mock
/// speaks. Ids are JSON numbers with every digit (u64 on the server).
/// </summary>
public static class NightingaleCodec
{
    /// <summary><c>op</c> of a message, null when the text is not a JSON object with a string op.</summary>
    public static string? Op(string? text) =>
        JsonText.TryParse(text) is JsonObject o && o["op"] is JsonValue v && v.TryGetValue(out string? op) ? op : null;

    /// <summary><c>data</c> of a message, null when absent or not an object.</summary>
    public static JsonObject? Data(string? text) => JsonText.TryParse(text) is JsonObject o ? o["data"] as JsonObject : null;

    public static string Format(string op, JsonNode data) => JsonText.Write(new JsonObject { ["op"] = op, ["data"] = data });

    /// <summary>
    /// ready: <c>session</c>, <c>resumed</c>, and <c>players</c> only on a resume (src/api/model/ready.rs
    /// skip_serializing_if none; the seed-era server had no players at all).
    /// </summary>
    public static string Ready(string session, bool resumed, JsonArray? players)
    {
        var data = new JsonObject { ["session"] = session, ["resumed"] = resumed };
        if (players is not null)
        {
            data["players"] = players;
        }

        return Format(Ops.Ready, data);
    }

    /// <summary>update_state connect_gateway / reconnect_gateway (src/api/model/connection.rs ConnectionData).</summary>
    public static string Connected(NightingaleDialect dialect, string type, string guild, string? channel, string voiceSession, string server, uint ssrc) =>
        Format(Ops.UpdateState, new JsonObject
        {
            ["type"] = type,
            ["data"] = new JsonObject
            {
                [Field(dialect, "channel")] = JsonText.IdNumber(channel),
                [Field(dialect, "guild")] = JsonText.IdNumber(guild),
                [Field(dialect, "session")] = voiceSession,
                ["server"] = server,
                ["ssrc"] = ssrc,
            },
        });

    /// <summary>update_state disconnect_gateway (src/api/model/connection.rs DisconnectData).</summary>
    public static string Disconnected(NightingaleDialect dialect, string guild, string? channel, string voiceSession) =>
        Format(Ops.UpdateState, new JsonObject
        {
            ["type"] = StateTypes.DisconnectGateway,
            ["data"] = new JsonObject
            {
                [Field(dialect, "channel")] = JsonText.IdNumber(channel),
                [Field(dialect, "guild")] = JsonText.IdNumber(guild),
                [Field(dialect, "session")] = voiceSession,
            },
        });

    /// <summary>
    /// event: <c>{"guild_id": g, "event": {"type": t, "data": d}}</c> (src/api/model/gateway.rs Outgoing::Event;
    /// the seed-era server named it <c>guild</c>).
    /// </summary>
    public static string Event(NightingaleDialect dialect, string guild, string type, JsonNode data) =>
        Format(Ops.Event, new JsonObject
        {
            [Field(dialect, "guild")] = JsonText.IdNumber(guild),
            ["event"] = new JsonObject { ["type"] = type, ["data"] = data },
        });

    /// <summary>A Track object (src/api/model/track.rs): duration in ms now, <c>{secs, nanos}</c> on the seed-era server.</summary>
    public static JsonObject Track(NightingaleDialect dialect, NightingaleTrack track) => new()
    {
        ["track"] = track.Track,
        ["artist"] = track.Artist,
        ["album"] = track.Album,
        ["channel"] = track.Channel,
        ["duration"] = track.DurationMs is not { } ms ? null
            : dialect == NightingaleDialect.Seed ? new JsonObject { ["secs"] = ms / 1000, ["nanos"] = ms % 1000 * 1_000_000 }
            : JsonValue.Create(ms),
        ["source_url"] = track.SourceUrl,
        ["title"] = track.Title,
        ["thumbnail"] = track.Thumbnail,
    };

    /// <summary>A Track from a client's JSON (a play source's <c>track</c>); null when it is not an object.</summary>
    public static NightingaleTrack? ReadTrack(JsonNode? node) => node is JsonObject o
        ? new NightingaleTrack(
            Text(o["track"]), Text(o["artist"]), Text(o["album"]), Text(o["channel"]),
            o["duration"] is JsonValue d && d.TryGetValue(out long ms) ? ms : null,
            Text(o["source_url"]), Text(o["title"]), Text(o["thumbnail"]))
        : null;

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    /// <summary>A field name in the dialect: <c>guild_id</c> now, <c>guild</c> on the seed-era server.</summary>
    private static string Field(NightingaleDialect dialect, string name) => dialect == NightingaleDialect.Seed ? name : name + "_id";

    /// <summary>The ops the server sends (src/api/model/gateway.rs; seed 002 also lists forward).</summary>
    public static class Ops
    {
        public const string Ready = "ready";
        public const string UpdateState = "update_state";
        public const string Event = "event";
    }

    /// <summary>update_state types (src/api/model/connection.rs UpdateState).</summary>
    public static class StateTypes
    {
        public const string ConnectGateway = "connect_gateway";
        public const string ReconnectGateway = "reconnect_gateway";
        public const string DisconnectGateway = "disconnect_gateway";
    }

    /// <summary>The server's error messages (src/api/extractors/session.rs, player.rs, src/api/routes/player.rs).</summary>
    public static class Errors
    {
        public const string MissingSessionId = "Missing session ID";
        public const string SessionNotPresent = "Session not present";
        public const string MissingId = "Missing guild or session ID";
        public const string NoPlayer = "The player does not exist";
        public const string BadVolume = "Volume must be an integer between 0 and 512";
        public const string SessionTaken = "session taken";

        /// <summary>
        /// The server's error body: <c>{ "message": "..." }</c>, spaces included (src/api/error.rs); the seed-era server's
        /// session errors were the literals <c>{"message": "..."}</c> (src/api/extractors/session.rs at 674652a).
        /// </summary>
        public static string Body(string message, NightingaleDialect dialect = NightingaleDialect.Current) =>
            dialect == NightingaleDialect.Seed ? $$"""{"message": "{{message}}"}""" : $$"""{ "message": "{{message}}" }""";
    }

    /// <summary>event types (src/api/model/gateway.rs OutgoingEvent).</summary>
    public static class EventTypes
    {
        public const string TrackStart = "track_start";
        public const string TrackEnd = "track_end";
        public const string TrackErrored = "track_errored";
    }
}
