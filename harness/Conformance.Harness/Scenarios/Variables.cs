using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Conformance.Harness.Scenarios;

/// <summary><c>${name}</c> references to values captured by earlier expectations.</summary>
public static partial class Variables
{
    public static Regex Pattern { get; } = Reference();

    public static string Substitute(string text, IReadOnlyDictionary<string, JsonNode?> values) =>
        Pattern.Replace(text, m => values.TryGetValue(m.Groups[1].Value, out var v) ? Render(v) : m.Value);

    /// <summary>
    /// Substitutes inside every string of a JSON tree; a string that is one whole reference takes the captured value's type.
    /// In a matcher, a whole reference to a value that was absent where it was captured (<paramref name="absent"/>)
    /// becomes <c>{ $is: absent }</c>, so "the same as before" also holds for a field the client left out both times.
    /// </summary>
    public static JsonNode? Substitute(JsonNode? node, IReadOnlyDictionary<string, JsonNode?> values, IReadOnlySet<string>? absent = null) => node switch
    {
        JsonObject o => new JsonObject(o.Select(kv => KeyValuePair.Create(kv.Key, Substitute(kv.Value, values, absent)))),
        JsonArray a => new JsonArray(a.Select(n => Substitute(n, values, absent)).ToArray()),
        JsonValue v when v.TryGetValue(out string? s) && Pattern.Match(s) is { Success: true } m && m.Value == s && absent?.Contains(m.Groups[1].Value) == true =>
            new JsonObject { ["$is"] = "absent" },
        JsonValue v when v.TryGetValue(out string? s) => Pattern.Match(s) is { Success: true } m && m.Value == s &&
            values.TryGetValue(m.Groups[1].Value, out var whole)
                ? whole?.DeepClone()
                : JsonValue.Create(Substitute(s, values)),
        _ => node?.DeepClone(),
    };

    private static string Render(JsonNode? value) =>
        value is JsonValue v && v.TryGetValue(out string? s) ? s : value?.ToJsonString() ?? "null";

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Reference();
}
