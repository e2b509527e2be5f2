using System.Text.Json.Nodes;

namespace Conformance.Harness.Scenarios;

/// <summary>
/// Whether a frame contains what an expectation asks for: every key of an expected object must be present with a
/// matching value (extra keys are fine); arrays match element by element with the same length; scalars by value,
/// numbers numerically (9 matches 9.0).
/// </summary>
public static class JsonSubset
{
    public static bool Matches(JsonNode? expected, JsonNode? actual) => (expected, actual) switch
    {
        (null, null) => true,
        (JsonObject e, JsonObject a) => e.All(kv => a.TryGetPropertyValue(kv.Key, out var value) && Matches(kv.Value, value)),
        (JsonArray e, JsonArray a) => e.Count == a.Count && e.Zip(a).All(p => Matches(p.First, p.Second)),
        (JsonValue e, JsonValue a) => ScalarEquals(e, a),
        _ => false,
    };

    private static bool ScalarEquals(JsonValue expected, JsonValue actual)
    {
        if (expected.TryGetValue(out double e) && actual.TryGetValue(out double a))
        {
            return e.Equals(a);
        }

        return expected.GetValueKind() == actual.GetValueKind() && expected.ToJsonString() == actual.ToJsonString();
    }
}
