using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Conformance.Mocks.Tests.Fuzz;

/// <summary>JSON values and text of random shape and content, drawn from one <see cref="Random"/>.</summary>
internal sealed class RandomJson(Random random, IReadOnlyList<string> keys)
{
    /// <summary>Numbers a parser may choke on: beyond double and long, negative zero, exponents, many digits.</summary>
    private static readonly string[] OddNumbers =
    [
        "0", "-0", "1", "-1", "9", "2", "4294967296", "-2147483649", "9007199254740993", "18446744073709551616",
        "1e999", "-1e999", "1e-999", "0.1", "1.0", "1E2", "123456789012345678901234567890", "3.14159", "2147483647", "-9223372036854775808",
    ];

    /// <summary>Text that is unusual but valid: empty, whitespace, controls, escapes, non-BMP characters, long.</summary>
    private static readonly string[] OddStrings =
    [
        "", " ", "\n", "\t\r", "\0", "\u001B[31m", "\"", "\\", "</script>", "${x}", "null", "true", "1", "-", "ǅ", "日本語",
        "\U0001F3B5", "\uFEFF", "a\u0000b", "h",
    ];

    public JsonNode? Value(int depth = 0)
    {
        var pick = random.Next(depth >= 4 ? 5 : 8);
        return pick switch
        {
            0 => null,
            1 => JsonValue.Create(random.Next(2) == 0),
            2 => Number(),
            3 or 4 => JsonValue.Create(String()),
            5 => Array(depth),
            _ => Object(depth),
        };
    }

    public JsonNode Number() => JsonNode.Parse(random.Next(3) == 0
        ? OddNumbers[random.Next(OddNumbers.Length)]
        : random.NextInt64(-100_000, 100_000).ToString(CultureInfo.InvariantCulture))!;

    /// <summary>A string: one of the odd ones, a protocol word, or random characters from all of Unicode's planes.</summary>
    public string String()
    {
        switch (random.Next(6))
        {
            case 0:
                return OddStrings[random.Next(OddStrings.Length)];
            case 1:
                return keys[random.Next(keys.Count)];
            case 2:
                return new string('x', random.Next(1, 5000));
            default:
                var text = new StringBuilder();
                var length = random.Next(0, 40);
                for (var i = 0; i < length; i++)
                {
                    text.Append(Character());
                }

                return text.ToString();
        }
    }

    public JsonObject Object(int depth = 0)
    {
        var o = new JsonObject();
        var count = random.Next(0, 6);
        for (var i = 0; i < count; i++)
        {
            o[Key()] = Value(depth + 1);
        }

        return o;
    }

    public JsonArray Array(int depth = 0)
    {
        var a = new JsonArray();
        var count = random.Next(0, 6);
        for (var i = 0; i < count; i++)
        {
            a.Add(Value(depth + 1));
        }

        return a;
    }

    /// <summary>A key: mostly one the protocol uses, so random objects reach its handlers.</summary>
    public string Key() => random.Next(4) == 0 ? String() : keys[random.Next(keys.Count)];

    /// <summary>Nesting deeper than parsers allow by default (System.Text.Json: 64).</summary>
    public string DeepNesting()
    {
        var depth = random.Next(60, 400);
        return random.Next(2) == 0
            ? new string('[', depth) + new string(']', depth)
            : string.Concat(Enumerable.Repeat("{\"d\":", depth)) + "1" + new string('}', depth);
    }

    private string Character()
    {
        // Printable ASCII most often; then anything up to U+10FFFF that is a whole scalar value.
        if (random.Next(3) != 0)
        {
            return ((char)random.Next(0x20, 0x7F)).ToString();
        }

        int scalar;
        do
        {
            scalar = random.Next(4) == 0 ? random.Next(0x10000, 0x110000) : random.Next(0, 0x10000);
        }
        while (scalar is >= 0xD800 and <= 0xDFFF);
        return char.ConvertFromUtf32(scalar);
    }
}
