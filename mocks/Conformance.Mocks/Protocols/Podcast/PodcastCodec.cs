using System.Text.Json.Nodes;
using Conformance.Mocks.Json;

namespace Conformance.Mocks.Protocols.Podcast;

/// <summary>An event of the podcast WebSocket: its code and data.</summary>
public sealed record PodcastEvent(int Code, JsonObject Data);

/// <summary>
/// discord-podcasts WebSocket events (seed 004 = discord-podcasts/documentation resources/websocket.md §Events):
/// <c>{"t": code, "data": {...}}</c> with codes 1 Hello, 2 Connected, 3 Disconnected, 4 ClientJoin, 5 End, in the
/// envelope the mock speaks.
/// </summary>
public static class PodcastCodec
{
    public const int Hello = 1;
    public const int Connected = 2;
    public const int Disconnected = 3;
    public const int ClientJoin = 4;
    public const int End = 5;

    /// <summary>The bytes of a nonce in front of sealed audio (resources/audio.md: xsalsa20_poly1305, nonce first).</summary>
    public const int NonceBytes = 24;

    /// <summary>The bytes secretbox adds to a message (its Poly1305 tag).</summary>
    public const int MacBytes = 16;

    /// <summary>An event in <paramref name="envelope"/>.</summary>
    public static string Format(PodcastEnvelope envelope, int code, JsonObject data) => JsonText.Write(envelope switch
    {
        PodcastEnvelope.Rust2022 => new JsonObject { ["event_type"] = code, ["data"] = data },
        PodcastEnvelope.Kotlin2022 => new JsonObject { ["type"] = code, ["content"] = data },
        _ => new JsonObject { ["t"] = code, ["data"] = data },
    });

    /// <summary>
    /// A client's event: <c>{t, data}</c>, or the older envelopes (<c>{message_type, data}</c>, <c>{type, content}</c>); null
    /// when the text is not an object with an integer code and an object payload.
    /// </summary>
    public static PodcastEvent? Parse(string? text)
    {
        if (JsonText.TryParse(text) is not JsonObject o)
        {
            return null;
        }

        var data = o["data"] ?? o["content"];
        if (o["message_type"] is JsonValue m && m.TryGetValue(out int message) && data is JsonObject payload)
        {
            // The Rust prototype's client messages: message_type 1 is its ClientConnect, today's Connected
            // (discord-podcasts/backend-beta src/websocket/ws.rs, src/requests.rs); 2, today's code, is taken too.
            return message is 1 or Connected ? new PodcastEvent(Connected, payload) : new PodcastEvent(message, payload);
        }

        var code = o["t"] ?? o["event_type"] ?? o["type"];
        return code is JsonValue v && v.TryGetValue(out int c) && data is JsonObject d ? new PodcastEvent(c, d) : null;
    }

    /// <summary>Hello: podcast id, the UDP socket's address and port, and the secret as 32 numbers when there is one (resources/websocket.md §Hello).</summary>
    public static JsonObject HelloData(long podcastId, string ip, int port, byte[]? secret)
    {
        var data = new JsonObject { ["podcast_id"] = podcastId, ["ip"] = ip, ["port"] = port };
        if (secret is not null)
        {
            data["secret"] = new JsonArray([.. secret.Select(b => (JsonNode)JsonValue.Create((int)b))]);
        }

        return data;
    }

    /// <summary>The 32-byte secret of a Hello frame's <c>secret</c> (signed values taken modulo 256), or null.</summary>
    public static byte[]? Secret(JsonObject? hello) =>
        hello?["secret"] is JsonArray a && a.Count == 32 && a.All(n => n is JsonValue v && v.TryGetValue(out int i) && i is >= -128 and <= 255)
            ? [.. a.Select(n => (byte)(n!.GetValue<int>() & 0xFF))]
            : null;

    /// <summary>
    /// <paramref name="text"/>, an event in any envelope, with <paramref name="ip"/> and <paramref name="port"/> in place
    /// of its data's (or content's) address; unchanged when it is not an event with a payload object.
    /// </summary>
    public static string WithAddress(string text, string ip, int port)
    {
        if (JsonText.TryParse(text) is not JsonObject o || (o["data"] ?? o["content"]) is not JsonObject data)
        {
            return text;
        }

        data["ip"] = ip;
        data["port"] = port;
        return JsonText.Write(o);
    }

    /// <summary>The ip and port of a Connected event's data, or null when either is missing or malformed (resources/websocket.md §Connected).</summary>
    public static (string Ip, int Port)? Address(JsonObject data) =>
        data["ip"] is JsonValue ip && ip.TryGetValue(out string? text) && data["port"] is JsonValue p && p.TryGetValue(out int port) && port is > 0 and <= 65535
            ? (text, port)
            : null;
}
