using System.Text.Json.Nodes;
using Conformance.Mocks.Json;

namespace Conformance.Mocks.Protocols.Discodo;

/// <summary>
/// One Discodo node message, either way: <c>{"op": "NAME", "d": ...}</c> (kijk2869/discodo docs/node/connection.rst
/// §Payload Structure). <paramref name="Data"/> is <c>d</c> as sent (null when absent or null); <paramref name="RawData"/>
/// is its JSON text exactly as it came (<c>null</c> when absent), so a heartbeat's <c>d</c> can be echoed to the digit.
/// </summary>
public sealed record DiscodoMessage(string Op, JsonNode? Data, string RawData)
{
    /// <summary>
    /// The period HELLO asks the client to beat at, from <c>d.heartbeat_interval</c> in <b>seconds</b> (connection.rst
    /// §Heartbeating); null for other ops, and when it is missing or not a positive number.
    /// </summary>
    public TimeSpan? HeartbeatInterval =>
        Op == DiscodoCodec.Ops.Hello && Data is JsonObject d && d["heartbeat_interval"] is JsonValue h && h.TryGetValue(out double s) && s > 0
            ? TimeSpan.FromSeconds(s)
            : null;

    /// <summary>A string or integer field of an object <c>d</c>, as the text of its JSON (a number keeps all its digits).</summary>
    public string? Field(string name) => Data is JsonObject o ? JsonText.IdText(o[name]) : null;
}
