using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace Conformance.Harness.Running;

/// <summary>Query strings as expectations see them: parameters by name, the first value of each.</summary>
internal static class HttpQuery
{
    /// <summary>Whether <paramref name="query"/> carries every expected parameter with that value (others may be present too).</summary>
    public static bool Contains(IReadOnlyDictionary<string, string> expected, string query)
    {
        if (expected.Count == 0)
        {
            return true;
        }

        var actual = QueryHelpers.ParseQuery(query);
        return expected.All(e => actual.TryGetValue(e.Key, out var values) && values.Contains(e.Value));
    }

    /// <summary>The first value of parameter <paramref name="name"/>, or null when the query does not carry it.</summary>
    public static string? Get(string query, string name) =>
        QueryHelpers.ParseQuery(query).TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    public static JsonObject ToJson(string query) =>
        new(QueryHelpers.ParseQuery(query).Select(q => KeyValuePair.Create(q.Key, (JsonNode?)JsonValue.Create(q.Value.ToString()))));
}
