using System.Text.Json.Nodes;
using Conformance.Mocks.Json;

namespace Conformance.Harness.Reports;

/// <summary>
/// Replaces credentials in a transcript's JSON with <c>***</c> before it is written to a report folder that CI keeps as
/// an artifact: headers and JSON fields named like a credential (Authorization, Cookie, client_secret, password,
/// token, ...), also inside frame texts and HTTP bodies that hold JSON, and such query parameters. Values a protocol
/// carries under other names (plug.dj's auth token is the <c>p</c> of an auth frame) are left as they are.
/// </summary>
public static class Credentials
{
    public const string Mask = "***";

    private static readonly HashSet<string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        "authorization", "proxy-authorization", "cookie", "set-cookie", "client_secret", "client-secret", "password", "passwd",
        "secret", "token", "access_token", "refresh_token", "api_key", "apikey", "x-api-key", "auth",
    };

    // String fields of transcript entries that hold what went over the wire, often JSON.
    private static readonly HashSet<string> Texts = new(StringComparer.Ordinal) { "text", "requestBody", "responseBody" };

    /// <summary>A copy of <paramref name="node"/> with every credential masked.</summary>
    public static JsonNode? Scrub(JsonNode? node) => node switch
    {
        JsonObject map => new JsonObject(map.Select(p => KeyValuePair.Create(p.Key, Value(p.Key, p.Value)))),
        JsonArray list => new JsonArray([.. list.Select(Scrub)]),
        _ => node?.DeepClone(),
    };

    private static JsonNode? Value(string key, JsonNode? value) => value switch
    {
        null => null,
        JsonValue when Names.Contains(key) => Mask,
        JsonValue text when key == "query" && text.TryGetValue<string>(out var query) => ScrubQuery(query),
        JsonValue text when Texts.Contains(key) && text.TryGetValue<string>(out var body) && JsonText.TryParse(body) is JsonObject or JsonArray =>
            JsonText.Write(Scrub(JsonText.TryParse(body))),
        _ => Scrub(value),
    };

    private static string ScrubQuery(string query) =>
        string.Join('&', query.Split('&').Select(pair => pair.Split('=', 2) is [var name, _] && Names.Contains(name.TrimStart('?'))
            ? $"{name}={Mask}"
            : pair));
}
