using System.Text.Json;
using System.Text.Json.Nodes;

namespace Conformance.Mocks.Protocols.PlugDj;

/// <summary>
/// A message a client sends the socket: <c>{"a": action, "p": parameter, "t": time}</c> (seed 001 §Sending Messages).
/// The fields are kept as sent, so a monitor can tell what is wrong with them; <paramref name="Action"/> is null when
/// <c>a</c> is missing or not a string, and an absent <c>p</c> or <c>t</c> reads as null.
/// </summary>
public sealed record PlugDjRequest(string? Action, JsonNode? Parameter, JsonNode? Time)
{
    /// <summary><c>p</c> when it is a string, as auth tokens and chat text are (seed §Sending Messages); null otherwise.</summary>
    public string? ParameterText =>
        Parameter is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.TryGetValue(out string? s) ? s : null;

    /// <summary><c>t</c> when it is a JSON number (seed: Unix seconds, though any value is accepted); null otherwise.</summary>
    public double? TimeNumber =>
        Time is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out double d) ? d : null;
}
