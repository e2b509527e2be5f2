using System.Text.Json.Nodes;
using Conformance.Mocks.Json;

namespace Conformance.Mocks.Protocols.ListenMoe;

/// <summary>What a frame's text is to gateway v2.</summary>
public enum ListenMoeFrameShape
{
    /// <summary>Not JSON at all (or no text: a binary frame, invalid UTF-8).</summary>
    NotJson,

    /// <summary>JSON, but not an object with an integer <c>op</c> and, when present, an object <c>d</c>.</summary>
    NotAMessage,

    /// <summary>A well-formed <see cref="ListenMoeMessage"/>.</summary>
    Message,
}

/// <summary>
/// The wire format of LISTEN.moe gateway v2 (seed 000), shared by the mock and the harness's monitors: parses a frame's
/// text into a <see cref="ListenMoeMessage"/> and formats the frames the gateway sends (op 0, op 1, op 10).
/// </summary>
public static class ListenMoeCodec
{
    /// <summary>The <c>t</c> of op 1 on a song change (seed §Receiving data).</summary>
    public const string TrackUpdate = "TRACK_UPDATE";

    /// <summary>The <c>t</c> of op 1 answering op 2 (seed §Receiving data).</summary>
    public const string TrackUpdateRequest = "TRACK_UPDATE_REQUEST";

    /// <summary>
    /// The message of <paramref name="text"/>: a JSON object with an integer <c>op</c>; null otherwise. A <c>d</c> that
    /// is not an object is kept as it is (<see cref="Classify"/> calls such a frame <see cref="ListenMoeFrameShape.NotAMessage"/>),
    /// a <c>t</c> that is not a string is read as none.
    /// </summary>
    public static ListenMoeMessage? Parse(string? text) => FromJson(JsonText.TryParse(text));

    /// <summary>Whether <paramref name="text"/> is JSON, and whether it is a well-formed gateway message.</summary>
    public static ListenMoeFrameShape Classify(string? text) => JsonText.TryParse(text) switch
    {
        null => ListenMoeFrameShape.NotJson,
        var json => FromJson(json) is { Data: null or JsonObject } ? ListenMoeFrameShape.Message : ListenMoeFrameShape.NotAMessage,
    };

    /// <summary>The op of <paramref name="text"/>, or null when it is not a message.</summary>
    public static int? Op(string? text) => Parse(text)?.Op;

    /// <summary>The JSON of <paramref name="message"/>: <c>op</c>, then <c>d</c> and <c>t</c> when they are not null.</summary>
    public static JsonObject ToJson(ListenMoeMessage message)
    {
        var json = new JsonObject { ["op"] = message.Op };
        if (message.Data is not null)
        {
            json["d"] = message.Data.DeepClone();
        }

        if (message.Type is not null)
        {
            json["t"] = message.Type;
        }

        return json;
    }

    /// <summary>The frame text of <paramref name="message"/>, compact, non-ASCII as UTF-8 (<see cref="JsonText"/>).</summary>
    public static string Format(ListenMoeMessage message) => JsonText.Write(ToJson(message));

    /// <summary>op 0 with <c>d.message</c> and <c>d.heartbeat</c> in whole milliseconds (seed §Heartbeating).</summary>
    public static ListenMoeMessage Welcome(string message, TimeSpan heartbeat) => new(
        Ops.Welcome,
        new JsonObject { ["message"] = message, ["heartbeat"] = (long)heartbeat.TotalMilliseconds });

    /// <summary>
    /// Gateway v1's welcome after an auth with a real token: op 0 with <c>d.message</c>, <c>d.user</c> and
    /// <c>d.heartbeat</c> (LISTEN-moe/documentation docs/ws/spec.md at 168f268 §Heartbeating).
    /// </summary>
    public static ListenMoeMessage Welcome(string message, TimeSpan heartbeat, JsonObject user) => new(
        Ops.Welcome,
        new JsonObject { ["message"] = message, ["user"] = user, ["heartbeat"] = (long)heartbeat.TotalMilliseconds });

    /// <summary>
    /// The <c>d.auth</c> of a gateway v1 auth frame, op 0 from the client: <c>"Bearer &lt;token&gt;"</c>, or <c>""</c>
    /// for anonymous (docs/ws/spec.md at 168f268 §Authenticating); null when the frame is not op 0 with a string auth.
    /// </summary>
    public static string? Auth(ListenMoeMessage message) =>
        message.Op == Ops.Auth && message.Data is JsonObject d && d["auth"] is JsonValue a && a.TryGetValue(out string? auth) ? auth : null;

    /// <summary>op 10, the acknowledgement of op 9 (seed §Heartbeating).</summary>
    public static ListenMoeMessage HeartbeatAck() => new(Ops.HeartbeatAck);

    /// <summary>op 1: the current song, the last two, listeners, startTime, requester and event (seed §Receiving data).</summary>
    internal static ListenMoeMessage Track(SongCatalog songs, string type) => new(
        Ops.Playback,
        new JsonObject
        {
            ["song"] = songs.Current.DeepClone(),
            ["requester"] = null,
            ["event"] = null,
            ["startTime"] = songs.StartTime,
            ["lastPlayed"] = new JsonArray(songs.LastPlayed.Select(s => (JsonNode)s.DeepClone()).ToArray()),
            ["listeners"] = songs.Listeners,
        },
        type);

    private static ListenMoeMessage? FromJson(JsonNode? json) =>
        json is JsonObject o && o["op"] is JsonValue v && v.TryGetValue(out int op)
            ? new ListenMoeMessage(op, o["d"], o["t"] is JsonValue t && t.TryGetValue(out string? type) ? type : null)
            : null;

    /// <summary>
    /// The ops of gateway v2 (seed §Received OP Codes, §Sending OP Codes, §Receiving data), and the client's op 0 of
    /// gateway v1.
    /// </summary>
    public static class Ops
    {
        /// <summary>Server: welcome, with the heartbeat interval.</summary>
        public const int Welcome = 0;

        /// <summary>Client, gateway v1 only: authenticate, before anything else (docs/ws/spec.md at 168f268 §Authenticating).</summary>
        public const int Auth = 0;

        /// <summary>Server: playback information, TRACK_UPDATE or TRACK_UPDATE_REQUEST.</summary>
        public const int Playback = 1;

        /// <summary>Client: asks for the current track.</summary>
        public const int TrackRequest = 2;

        /// <summary>Client: heartbeat.</summary>
        public const int Heartbeat = 9;

        /// <summary>Server: heartbeat acknowledged.</summary>
        public const int HeartbeatAck = 10;
    }

    /// <summary>Close codes of gateway v1 the mock uses, as TheAkio/listenmoe.js src/v4/Constants.js names them.</summary>
    public static class CloseCodes
    {
        /// <summary>An auth that is neither empty nor the Bearer of a valid token.</summary>
        public const int InvalidAuth = 4003;

        /// <summary>A second auth on a connection that has authenticated.</summary>
        public const int AlreadyAuthenticated = 4004;
    }
}
