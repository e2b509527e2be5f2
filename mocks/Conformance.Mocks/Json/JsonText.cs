using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Conformance.Mocks.Json;

/// <summary>How mocks write JSON: compact, and non-ASCII text as UTF-8 rather than \u escapes, as the real services do.</summary>
public static class JsonText
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    public static string Write(JsonNode? node) => node?.ToJsonString(Options) ?? "null";

    /// <summary>Parses <paramref name="text"/> or returns null when it is not JSON.</summary>
    public static JsonNode? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Applies a JSON merge patch (RFC 7386): objects merge key by key, null removes a key... except that here a
    /// null value is kept as an explicit null, since protocols care about <c>"requester": null</c>; a field is removed
    /// with <c>{"$remove": true}</c> instead.
    /// </summary>
    public static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject || target is not JsonObject targetObject)
        {
            return patch?.DeepClone();
        }

        foreach (var (key, value) in patchObject)
        {
            if (IsRemove(value))
            {
                targetObject.Remove(key);
                continue;
            }

            targetObject[key] = targetObject[key] is JsonObject && value is JsonObject
                ? Merge(targetObject[key], value)
                : value?.DeepClone();
        }

        return targetObject;
    }

    /// <summary>The patch value that removes a field instead of setting it: <c>{"$remove": true}</c>.</summary>
    public static bool IsRemove(JsonNode? value) =>
        value is JsonObject { Count: 1 } o && o["$remove"] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.True;

    /// <summary>The text of a string or integer JSON value (an id), all digits kept; null for anything else.</summary>
    public static string? IdText(JsonNode? value) => value is JsonValue v
        ? v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.Number => v.ToJsonString(),
            _ => null,
        }
        : null;

    /// <summary>A number token with exactly these digits (an id above 2^53 stays exact), or null for a null id.</summary>
    public static JsonNode? IdNumber(string? digits) => digits is null ? null : JsonNode.Parse(digits);
}
