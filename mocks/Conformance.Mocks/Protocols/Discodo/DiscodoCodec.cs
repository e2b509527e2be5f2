using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Conformance.Mocks.Json;

namespace Conformance.Mocks.Protocols.Discodo;

/// <summary>What a frame's text is to the Discodo node.</summary>
public enum DiscodoFrameShape
{
    /// <summary>Not JSON at all (or no text: a binary frame, invalid UTF-8).</summary>
    NotJson,

    /// <summary>JSON, but not an object with a string <c>op</c>.</summary>
    NotAMessage,

    /// <summary>A well-formed <see cref="DiscodoMessage"/>.</summary>
    Message,
}

/// <summary>
/// The wire format of the Discodo node's WebSocket (seed 003 = kijk2869/discodo docs/node/connection.rst, and the node's
/// code in discodo/server/websocket.py and payloads.py), shared by the mock and the harness's monitors.
/// </summary>
public static class DiscodoCodec
{
    /// <summary>The message of <paramref name="text"/>: a JSON object with a string <c>op</c>; null otherwise.</summary>
    public static DiscodoMessage? Parse(string? text)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("op", out var op) || op.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            var raw = root.TryGetProperty("d", out var d) ? d.GetRawText() : "null";
            return new DiscodoMessage(op.GetString()!, JsonText.TryParse(raw), raw);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: an op with an escaped lone surrogate ("\uD800"), which is no text.
            return null;
        }
    }

    /// <summary>Whether <paramref name="text"/> is JSON, and whether it is a node message.</summary>
    public static DiscodoFrameShape Classify(string? text) =>
        JsonText.TryParse(text) is null ? DiscodoFrameShape.NotJson
        : Parse(text) is null ? DiscodoFrameShape.NotAMessage
        : DiscodoFrameShape.Message;

    /// <summary>The op of <paramref name="text"/>, or null when it is not a message.</summary>
    public static string? Op(string? text) => Parse(text)?.Op;

    /// <summary>The frame text of <c>{"op": op, "d": d}</c>.</summary>
    public static string Format(string op, JsonNode? data) => JsonText.Write(new JsonObject { ["op"] = op, ["d"] = data?.DeepClone() });

    /// <summary>
    /// HELLO: <c>heartbeat_interval</c> in seconds (connection.rst §Connecting; an integer when whole, as the node sends
    /// its default 15) and, when given, the node's <c>version</c> (discodo/server/payloads.py HELLO).
    /// </summary>
    public static JsonObject Hello(TimeSpan interval, string? version)
    {
        var seconds = interval.TotalSeconds;
        var d = new JsonObject
        {
            ["heartbeat_interval"] = seconds == Math.Floor(seconds)
                ? JsonValue.Create((long)seconds)
                : JsonNode.Parse(seconds.ToString("0.###", CultureInfo.InvariantCulture)),
        };
        if (version is not null)
        {
            d["version"] = version;
        }

        return new JsonObject { ["op"] = Ops.Hello, ["d"] = d };
    }

    /// <summary>HEARTBEAT_ACK echoing the heartbeat's <c>d</c> as it came (connection.rst §Heartbeating: "the server will echo them").</summary>
    public static string HeartbeatAck(DiscodoMessage heartbeat) => $"{{\"op\":\"{Ops.HeartbeatAck}\",\"d\":{heartbeat.RawData}}}";

    /// <summary>
    /// An error reply: the request's op with <c>d.traceback</c> = {name: text}, and the request's <c>guild_id</c> when it had
    /// one (discodo/server/websocket.py __run_event).
    /// </summary>
    public static JsonObject Error(string op, string name, string text, string? guildId = null)
    {
        var d = new JsonObject { ["traceback"] = new JsonObject { [name] = text } };
        if (guildId is not null)
        {
            d["guild_id"] = guildId;
        }

        return new JsonObject { ["op"] = op, ["d"] = d };
    }

    /// <summary>A per-guild event of the node's manager: <c>d.guild_id</c> as a string, then the event's fields (websocket.py managerEvent).</summary>
    public static JsonObject GuildEvent(string op, string guildId, JsonObject? fields = null)
    {
        var d = new JsonObject { ["guild_id"] = guildId };
        foreach (var (name, value) in fields ?? [])
        {
            d[name] = value?.DeepClone();
        }

        return new JsonObject { ["op"] = op, ["d"] = d };
    }

    /// <summary>The ops of the node's WebSocket (connection.rst, docs/node/resources/events.rst, websocket.py).</summary>
    public static class Ops
    {
        public const string Hello = "HELLO";
        public const string Forbidden = "FORBIDDEN";
        public const string Heartbeat = "HEARTBEAT";
        public const string HeartbeatAck = "HEARTBEAT_ACK";
        public const string Identify = "IDENTIFY";
        public const string Identified = "IDENTIFIED";
        public const string Resumed = "RESUMED";
        public const string DiscordEvent = "DISCORD_EVENT";
        public const string VcCreated = "VC_CREATED";
        public const string VcDestroy = "VC_DESTROY";
        public const string VcDestroyed = "VC_DESTROYED";
        public const string GetStatus = "GET_STATUS";
        public const string Status = "STATUS";
        public const string GetState = "getState";
        public const string GetQueue = "getQueue";
        public const string RequestSubtitle = "requestSubtitle";
    }
}
