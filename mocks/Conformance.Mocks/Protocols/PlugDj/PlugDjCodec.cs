using System.Text.Json.Nodes;
using Conformance.Mocks.Json;

namespace Conformance.Mocks.Protocols.PlugDj;

/// <summary>
/// The socket's wire format (seed 001), shared by the mock and the harness's monitors: client messages are JSON objects
/// <c>{a, p, t}</c> (<see cref="PlugDjRequest"/>); the server sends JSON arrays of events <c>{a, p, s}</c>
/// (<see cref="PlugDjEvent"/>) and the bare keep-alive <c>h</c>.
/// </summary>
public static class PlugDjCodec
{
    /// <summary>The keep-alive frame, a one-character string (seed §The h Message).</summary>
    public const string KeepAlive = "h";

    /// <summary>The slug of events that belong to no room (seed §Event Messages).</summary>
    public const string Dashboard = "dashboard";

    /// <summary>Whether <paramref name="text"/> is the keep-alive <c>h</c>.</summary>
    public static bool IsKeepAlive(string? text) => string.Equals(text, KeepAlive, StringComparison.Ordinal);

    /// <summary>The client message of <paramref name="text"/>, or null when it is not a JSON object.</summary>
    public static PlugDjRequest? ParseRequest(string? text) =>
        JsonText.TryParse(text) is JsonObject o
            ? new PlugDjRequest(o["a"] is JsonValue a && a.TryGetValue(out string? action) ? action : null, o["p"], o["t"])
            : null;

    /// <summary>The frame text of a client message: <c>a</c>, <c>p</c> and <c>t</c>, each written even when null.</summary>
    public static string FormatRequest(PlugDjRequest request) => JsonText.Write(new JsonObject
    {
        ["a"] = request.Action,
        ["p"] = request.Parameter?.DeepClone(),
        ["t"] = request.Time?.DeepClone(),
    });

    /// <summary>
    /// The events of a server frame, or null when <paramref name="text"/> is not a JSON array of objects with a string
    /// <c>a</c> and a string <c>s</c> (the keep-alive <c>h</c> is not an event frame).
    /// </summary>
    public static IReadOnlyList<PlugDjEvent>? ParseEvents(string? text)
    {
        if (JsonText.TryParse(text) is not JsonArray array)
        {
            return null;
        }

        var events = new List<PlugDjEvent>(array.Count);
        foreach (var item in array)
        {
            if (item is not JsonObject o || o["a"] is not JsonValue a || !a.TryGetValue(out string? action) ||
                o["s"] is not JsonValue s || !s.TryGetValue(out string? slug))
            {
                return null;
            }

            events.Add(new PlugDjEvent(action, o["p"], slug));
        }

        return events;
    }

    /// <summary>The JSON of an event frame: an array of <c>{a, p, s}</c>, <c>p</c> written even when null.</summary>
    public static JsonArray ToJson(params IEnumerable<PlugDjEvent> events) =>
        new(events.Select(e => (JsonNode?)new JsonObject { ["a"] = e.Action, ["p"] = e.Parameter?.DeepClone(), ["s"] = e.Slug }).ToArray());

    /// <summary>The frame text of an event frame, compact, non-ASCII as UTF-8 (<see cref="JsonText"/>).</summary>
    public static string Format(params IEnumerable<PlugDjEvent> events) => JsonText.Write(ToJson(events));

    /// <summary>The actions the documentation names for the messages the mock reads and answers.</summary>
    public static class Actions
    {
        /// <summary>Client: the socket token, the first message on a connection (seed §"auth").</summary>
        public const string Auth = "auth";

        /// <summary>Client: a chat message; server: a chat event, the mock's echo of it (seed §"chat").</summary>
        public const string Chat = "chat";

        /// <summary>Server: the answer to auth, p "1" when it was accepted (seed §"auth").</summary>
        public const string Ack = "ack";
    }
}
