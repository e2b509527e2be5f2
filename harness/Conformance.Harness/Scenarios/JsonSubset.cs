using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Conformance.Harness.Scenarios;

/// <summary>
/// Whether a frame contains what an expectation asks for: every key of an expected object must be present with a
/// matching value (extra keys are fine); arrays match element by element with the same length; scalars by value.
/// Integers compare exactly at any size (a snowflake above 2^53 is not rounded), other numbers numerically (9 matches
/// 9.0). An expected value may be an operator instead of a literal: <c>{ $is: integer }</c> (also <c>number</c>,
/// <c>string</c>, <c>boolean</c>, <c>null</c>, <c>object</c>, <c>array</c>, <c>present</c>, <c>absent</c>) or
/// <c>{ $regex: "^[0-9]+$" }</c> on the value's text.
/// </summary>
public static class JsonSubset
{
    /// <summary>The types and presence checks <c>$is</c> accepts.</summary>
    public static readonly IReadOnlyList<string> Types = ["integer", "number", "string", "boolean", "null", "object", "array", "present", "absent"];

    public static bool Matches(JsonNode? expected, JsonNode? actual) => Matches(expected, actual, present: true);

    /// <summary>The operator an expected value is, if it is one: a one-key object whose key is <c>$is</c> or <c>$regex</c>.</summary>
    public static (string Name, JsonNode? Argument)? Operator(JsonNode? expected) =>
        expected is JsonObject { Count: 1 } o && o.First() is var (key, value) && key is "$is" or "$regex" ? (key, value) : null;

    private static bool Matches(JsonNode? expected, JsonNode? actual, bool present)
    {
        if (Operator(expected) is var (name, argument))
        {
            return name == "$is" ? IsA(argument?.ToString() ?? "", actual, present) : present && RegexMatches(argument?.ToString() ?? "", actual);
        }

        if (!present)
        {
            return false;
        }

        return (expected, actual) switch
        {
            (null, null) => true,
            (JsonObject e, JsonObject a) => e.All(kv => a.TryGetPropertyValue(kv.Key, out var value)
                ? Matches(kv.Value, value, present: true)
                : Matches(kv.Value, null, present: false)),
            (JsonArray e, JsonArray a) => e.Count == a.Count && e.Zip(a).All(p => Matches(p.First, p.Second, present: true)),
            (JsonValue e, JsonValue a) => ScalarEquals(e, a),
            _ => false,
        };
    }

    private static bool IsA(string type, JsonNode? actual, bool present) => type switch
    {
        "absent" => !present,
        "present" => present,
        _ when !present => false,
        "null" => actual is null,
        "object" => actual is JsonObject,
        "array" => actual is JsonArray,
        "string" => Kind(actual) == JsonValueKind.String,
        "boolean" => Kind(actual) is JsonValueKind.True or JsonValueKind.False,
        "number" => Kind(actual) == JsonValueKind.Number,
        "integer" => Kind(actual) == JsonValueKind.Number && Integer(actual!.ToJsonString()) is not null,
        _ => false,
    };

    private static bool RegexMatches(string pattern, JsonNode? actual)
    {
        var text = actual switch
        {
            null => "null",
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            _ => actual.ToJsonString(),
        };
        return Regex.IsMatch(text, pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    private static JsonValueKind Kind(JsonNode? node) => node is JsonValue v ? v.GetValueKind() : JsonValueKind.Undefined;

    private static bool ScalarEquals(JsonValue expected, JsonValue actual)
    {
        if (expected.GetValueKind() == JsonValueKind.Number && actual.GetValueKind() == JsonValueKind.Number)
        {
            var (e, a) = (expected.ToJsonString(), actual.ToJsonString());
            if (Integer(e) is { } ei && Integer(a) is { } ai)
            {
                return ei == ai;
            }

            return decimal.TryParse(e, NumberStyles.Float, CultureInfo.InvariantCulture, out var ed) &&
                   decimal.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var ad)
                ? ed == ad
                : double.Parse(e, CultureInfo.InvariantCulture).Equals(double.Parse(a, CultureInfo.InvariantCulture));
        }

        return expected.GetValueKind() == actual.GetValueKind() && expected.ToJsonString() == actual.ToJsonString();
    }

    /// <summary>The exact value of a JSON number written as an integer (also 1.0 and 1e3), or null when it has a fraction.</summary>
    private static BigInteger? Integer(string number)
    {
        if (BigInteger.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exact))
        {
            return exact;
        }

        return decimal.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && decimal.Truncate(d) == d
            ? new BigInteger(d)
            : null;
    }
}
