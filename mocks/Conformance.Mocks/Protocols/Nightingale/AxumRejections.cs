using System.Globalization;

namespace Conformance.Mocks.Protocols.Nightingale;

/// <summary>
/// The plain-text rejections of the axum extractors the server uses (axum 0.7 extract/query.rs and extract/path), with
/// the serde and core error texts inside them, so a client that shows the server's message sees the server's words.
/// </summary>
internal static class AxumRejections
{
    /// <summary>A field of a deserialized query or path: its name and its Rust type.</summary>
    public sealed record Field(string Name, string Type, bool NonZero = false);

    /// <summary>
    /// axum's <c>Query&lt;T&gt;</c>: the pairs are read in the order they come (the first value that does not parse
    /// fails), then a missing field fails in the order the struct declares them. Null when the query deserializes.
    /// </summary>
    public static string? Query(IEnumerable<KeyValuePair<string, string>> pairs, IReadOnlyList<Field> fields)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, value) in pairs)
        {
            if (fields.FirstOrDefault(f => f.Name == name) is { } field && seen.Add(name) && Integer(value, field) is { } problem)
            {
                return "Failed to deserialize query string: " + problem;
            }
        }

        return fields.FirstOrDefault(f => !seen.Contains(f.Name)) is { } missing
            ? $"Failed to deserialize query string: missing field `{missing.Name}`"
            : null;
    }

    /// <summary>
    /// axum's <c>Path&lt;(Uuid, NonZeroU64, ...)&gt;</c> on a route's segments, in order: the first that does not
    /// deserialize fails. Null when all do.
    /// </summary>
    public static string? Path(IReadOnlyList<string> values, IReadOnlyList<Field> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            var problem = fields[i].Type == "Uuid" ? Uuid(values[i])
                : Integer(values[i], fields[i]) is { } p ? p.StartsWith("invalid value", StringComparison.Ordinal) ? p
                    : $"Cannot parse value at index {i} with value `\"{values[i]}\"` to a `{fields[i].Type}`"
                : null;
            if (problem is not null)
            {
                return "Invalid URL: " + problem;
            }
        }

        return null;
    }

    /// <summary>
    /// <c>str::parse</c> of an unsigned integer (core::num::ParseIntError's texts; a leading '+' is allowed), and serde's
    /// text for a zero given to a NonZero type. Null when it parses.
    /// </summary>
    public static string? Integer(string value, Field field)
    {
        var digits = value.StartsWith('+') ? value[1..] : value;
        if (digits.Length == 0)
        {
            return "cannot parse integer from empty string";
        }

        if (!digits.All(char.IsAsciiDigit))
        {
            return "invalid digit found in string";
        }

        var max = field.Type == "u16" ? ushort.MaxValue : ulong.MaxValue;
        if (!ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > max)
        {
            return "number too large to fit in target type";
        }

        return field.NonZero && number == 0 ? $"invalid value: integer `0`, expected a nonzero {field.Type}" : null;
    }

    /// <summary>uuid's serde error for a segment that is not a uuid (uuid 1.x, "UUID parsing failed: ..."); null for a uuid.</summary>
    private static string? Uuid(string value)
    {
        if (Guid.TryParse(value, out _))
        {
            return null;
        }

        var bad = value.Select((c, i) => (c, i)).FirstOrDefault(p => !char.IsAsciiHexDigit(p.c) && p.c != '-');
        return bad.c != default
            ? $"UUID parsing failed: invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `{bad.c}` at {bad.i + 1}"
            : $"UUID parsing failed: invalid length: expected length 32 for simple format, found {value.Replace("-", "", StringComparison.Ordinal).Length}";
    }
}
