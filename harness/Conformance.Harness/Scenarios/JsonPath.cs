using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Conformance.Harness.Scenarios;

/// <summary>The small JSON path subset captures use: <c>$</c>, <c>.name</c> and <c>[index]</c>.</summary>
public static partial class JsonPath
{
    public static bool IsValid(string path) => Syntax().IsMatch(path);

    /// <summary>The node at <paramref name="path"/>, or null when any part is missing.</summary>
    public static JsonNode? Select(JsonNode? root, string path)
    {
        var node = root;
        foreach (Match part in Part().Matches(path[1..]))
        {
            node = part.Groups["name"].Success
                ? (node as JsonObject)?[part.Groups["name"].Value]
                : node is JsonArray array && int.Parse(part.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture) is var i && i < array.Count
                    ? array[i]
                    : null;
        }

        return node;
    }

    [GeneratedRegex(@"^\$(\.[A-Za-z_][A-Za-z0-9_-]*|\[\d+\])*$")]
    private static partial Regex Syntax();

    [GeneratedRegex(@"\.(?<name>[A-Za-z_][A-Za-z0-9_-]*)|\[(?<index>\d+)\]")]
    private static partial Regex Part();
}
