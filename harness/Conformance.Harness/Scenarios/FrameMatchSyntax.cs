using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Conformance.Harness.Scenarios;

/// <summary>
/// The frame matchers <c>expect</c> and <c>expect_none</c> share: exactly one of <c>json</c> (a subset, with <c>$is</c> and
/// <c>$regex</c> operators), <c>regex</c>, <c>text</c> or <c>binary: true</c>; and <c>from</c>, whose frames (client, the
/// default, or server).
/// </summary>
internal static class FrameMatchSyntax
{
    public static readonly string[] Keys = ["json", "regex", "text", "binary", "from"];

    public static readonly string SchemaProperties = """
          "json": {
            "description": "A JSON subset the frame must contain: extra keys are fine, arrays match element by element, integers exactly at any size, 9 matches 9.0. A value may be { $is: integer } (number, string, boolean, null, object, array, present, absent) or { $regex: '...' }. Strings may use ${name}."
          },
          "regex": {
            "description": "A .NET regular expression the text frame must match.",
            "$ref": "#/definitions/nonEmptyString"
          },
          "text": {
            "description": "The exact text of the frame.",
            "$ref": "#/definitions/text"
          },
          "binary": {
            "description": "Match any binary frame: write binary: true.",
            "type": "boolean",
            "enum": [true]
          },
          "from": {
            "description": "Whose frames: client (default) or server (the mock's own, e.g. to capture a session id it sent or to check a replay).",
            "enum": ["client", "server"]
          }
        """;

    public static readonly string SchemaOneOf = """
          "oneOf": [
            { "required": ["json"] },
            { "required": ["regex"] },
            { "required": ["text"] },
            { "required": ["binary"] }
          ]
        """;

    public static FrameMatch? Read(StepSyntax syntax, YamlMappingNode map)
    {
        var forms = new[] { "json", "regex", "text", "binary" }.Where(k => syntax.Value(map, k) is not null).ToList();
        if (forms.Count != 1)
        {
            syntax.Error(map, forms.Count == 0
                ? $"'{syntax.Kind}' needs one of json, regex, text or binary to say which frame it {(syntax.Kind == "expect_none" ? "forbids" : "waits for")}"
                : $"'{syntax.Kind}' takes only one of json, regex, text or binary, found {string.Join(" and ", forms)}");
            return null;
        }

        var load = syntax.Loader;
        var node = syntax.Value(map, forms[0])!;
        var match = forms[0] switch
        {
            "json" => Json(syntax, node) is var json && json.Ok ? new FrameMatch(json.Value, null, null, false) : null,
            "regex" => load.Regex(node) is { } r ? new FrameMatch(null, r, null, false) : null,
            "text" => load.String(node, "text") is { } t ? new FrameMatch(null, null, t, false) : null,
            _ when node is YamlScalarNode { Value: "true" } => new FrameMatch(null, null, null, true),
            _ => Bad(syntax, node, "'binary: true' waits for a binary frame; found " + node.Kind()),
        };
        var from = load.OptionalString(map, "from");
        if (from is not null and not "client" and not "server")
        {
            syntax.Error(syntax.Value(map, "from")!, $"'from' is client or server, found '{from}'");
            return null;
        }

        return match is null ? null : match with { FromServer = from == "server" };
    }

    /// <summary>A JSON subset whose <c>$is</c> and <c>$regex</c> operators are checked here, so a typo fails at load.</summary>
    private static (bool Ok, JsonNode? Value) Json(StepSyntax syntax, YamlNode node)
    {
        var ok = true;
        foreach (var map in node.AllNodes.OfType<YamlMappingNode>())
        {
            foreach (var (key, value) in map.Children)
            {
                var name = (key as YamlScalarNode)?.Value ?? "";
                if (!name.StartsWith('$'))
                {
                    continue;
                }

                if (map.Children.Count != 1 || name is not "$is" and not "$regex")
                {
                    syntax.Error(key, $"'{name}': an operator stands alone in its mapping and is $is or $regex, e.g. {{ $is: integer }}");
                    ok = false;
                }
                else if (name == "$is" && !JsonSubset.Types.Contains((value as YamlScalarNode)?.Value ?? ""))
                {
                    syntax.Error(value, $"'$is' takes one of {string.Join(", ", JsonSubset.Types)}, found {value.Kind()}" +
                        Suggest.Hint((value as YamlScalarNode)?.Value ?? "", [.. JsonSubset.Types]));
                    ok = false;
                }
                else if (name == "$regex")
                {
                    ok &= syntax.Loader.Regex(value) is not null;
                }
            }
        }

        return (ok, node.ToJson());
    }

    private static FrameMatch? Bad(StepSyntax syntax, YamlNode node, string message)
    {
        syntax.Error(node, message);
        return null;
    }
}
