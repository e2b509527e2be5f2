using System.Text.Json.Nodes;

namespace Conformance.Mocks.Protocols.PlugDj;

/// <summary>
/// One event of the arrays the socket sends: <c>{"a": action, "p": parameter, "s": slug}</c>, the slug being the room's or
/// <c>dashboard</c> (seed 001 §Event Messages).
/// </summary>
public sealed record PlugDjEvent(string Action, JsonNode? Parameter, string Slug);
