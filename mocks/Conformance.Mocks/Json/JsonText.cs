using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Conformance.Mocks.Json;

/// <summary>How mocks write JSON: compact, and non-ASCII text as UTF-8 rather than \u escapes, as the real services do.</summary>
public static class JsonText
{
    private static readonly JsonDocumentOptions StrictDocument = new() { AllowDuplicateProperties = false };

    public static JsonSerializerOptions Options { get; } = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    public static string Write(JsonNode? node) => node?.ToJsonString(Options) ?? "null";

    /// <summary>
    /// Parses <paramref name="text"/> or returns null when it is not JSON. Two things System.Text.Json parses but cannot
    /// read back count as not JSON too, since RFC 8259 calls what a receiver makes of them unpredictable: an object
    /// that gives a name twice (§4; its <see cref="JsonObject"/> throws <see cref="ArgumentException"/> on first use)
    /// and a string with an escaped lone surrogate such as <c>"\uD800"</c> (§8.2; reading it throws
    /// <see cref="InvalidOperationException"/>). Either would otherwise throw in a handler, long after parsing.
    /// </summary>
    public static JsonNode? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            var node = JsonNode.Parse(text, documentOptions: StrictDocument);
            return StringsReadAsText(text) ? node : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a name with a lone surrogate, read while checking for repeats.
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

    /// <summary>
    /// A number token with exactly these digits (an id above 2^53 stays exact), or null for a null id. An id that is not a
    /// number (a client sent <c>"channel_id": "abc"</c>) stays the string it was.
    /// </summary>
    public static JsonNode? IdNumber(string? digits) =>
        digits is null ? null
        : TryParse(digits) is JsonValue number && number.GetValueKind() == JsonValueKind.Number ? number
        : JsonValue.Create(digits);

    /// <summary>Whether every string and name in <paramref name="text"/> reads back as text (no escaped lone surrogate).</summary>
    private static bool StringsReadAsText(string text)
    {
        if (!text.Contains("\\u", StringComparison.Ordinal))
        {
            return true;
        }

        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(text));
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
            {
                try
                {
                    reader.GetString();
                }
                catch (InvalidOperationException)
                {
                    return false;
                }
            }
        }

        return true;
    }
}
