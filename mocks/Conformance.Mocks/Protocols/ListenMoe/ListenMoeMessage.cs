using System.Text.Json.Nodes;

namespace Conformance.Mocks.Protocols.ListenMoe;

/// <summary>
/// One gateway v2 message, either way: <c>{"op": n, "d": {...}, "t": "..."}</c> (seed 000). <paramref name="Data"/> is
/// <c>d</c> as sent (an object on a well-formed message; null when absent or null) and <paramref name="Type"/> is
/// <c>t</c>, which only op 1 carries (TRACK_UPDATE or TRACK_UPDATE_REQUEST).
/// </summary>
public sealed record ListenMoeMessage(int Op, JsonNode? Data = null, string? Type = null)
{
    /// <summary>
    /// The period op 0 asks the client to beat at, from <c>d.heartbeat</c> in milliseconds (seed §Heartbeating); null
    /// for other ops, and when it is missing or not a positive number.
    /// </summary>
    public TimeSpan? HeartbeatInterval =>
        Op == ListenMoeCodec.Ops.Welcome && Data is JsonObject d && d["heartbeat"] is JsonValue h && h.TryGetValue(out double ms) && ms > 0
            ? TimeSpan.FromMilliseconds(ms)
            : null;
}
