using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Conformance.Harness.Scenarios;

/// <summary>The small JSON path subset captures use: <c>$</c>, <c>.name</c> and <c>[index]</c>.</summary>
public static partial class JsonPath
{
    public static bool IsValid(string path) => Syntax().IsMatch(path);

    /// <summary>The node at <paramref name="path"/>, or null when any part is missing.</summary>
    public static JsonNode? Select(JsonNode? root, string path) => TrySelect(root, path, out var node) ? node : null;

    /// <summary>Whether every part of <paramref name="path"/> is there (a JSON null counts as there), and the node.</summary>
    public static bool TrySelect(JsonNode? root, string path, out JsonNode? node)
    {
        node = root;
        foreach (Match part in Part().Matches(path[1..]))
        {
            if (part.Groups["name"].Success)
            {
                if (node is not JsonObject o || !o.TryGetPropertyValue(part.Groups["name"].Value, out node))
                {
                    return false;
                }
            }
            else if (node is JsonArray array && int.Parse(part.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture) is var i && i < array.Count)
            {
                node = array[i];
            }
            else
            {
                node = null;
                return false;
            }
        }

        return true;
    }

    [GeneratedRegex(@"^\$(\.[A-Za-z_][A-Za-z0-9_-]*|\[\d+\])*$")]
    private static partial Regex Syntax();

    [GeneratedRegex(@"\.(?<name>[A-Za-z_][A-Za-z0-9_-]*)|\[(?<index>\d+)\]")]
    private static partial Regex Part();
}
