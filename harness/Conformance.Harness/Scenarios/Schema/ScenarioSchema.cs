using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Conformance.Harness.Protocols;

namespace Conformance.Harness.Scenarios;

/// <summary>
/// Writes <c>specs/scenario.schema.json</c>: the engine-level parts from the embedded base schema, each step kind's
/// part from its <see cref="StepKind"/>, with the keys every step shares (<c>on</c>, <c>rule</c>) added where they apply,
/// and each protocol's part from its module, rule catalogue and option type (<see cref="ProtocolSchema"/>).
/// </summary>
public static class ScenarioSchema
{
    private static readonly JsonSerializerOptions Format = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The whole schema as JSON text, LF line endings, ending with a newline.</summary>
    public static string Generate() => Build().ToJsonString(Format).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";

    /// <summary>The schema of the built-in protocols (<see cref="ProtocolRegistry"/>), their rules from <see cref="Specs.Default"/>.</summary>
    public static JsonObject Build() => Build(ProtocolRegistry.All, Specs.Default);

    /// <summary>The schema of <paramref name="protocols"/>, their rules from <paramref name="specs"/>.</summary>
    public static JsonObject Build(IEnumerable<IProtocolModule> protocols, Specs specs)
    {
        using var stream = typeof(ScenarioSchema).Assembly.GetManifestResourceStream("scenario.base.schema.json")
            ?? throw new InvalidOperationException("The base scenario schema is not embedded in the harness.");
        var schema = JsonNode.Parse(stream)!.AsObject();
        var definitions = schema["definitions"]!.AsObject();
        var steps = new JsonObject();
        foreach (var kind in StepKinds.All)
        {
            var name = DefinitionName(kind);
            steps[kind.Name] = new JsonObject
            {
                ["description"] = kind.Summary,
                ["$ref"] = $"#/definitions/{name}",
            };
            definitions[name] = Body(kind);
        }

        definitions["step"] = new JsonObject
        {
            ["description"] = "One step: a mapping with exactly one key, the step kind.",
            ["type"] = "object",
            ["minProperties"] = 1,
            ["maxProperties"] = 1,
            ["additionalProperties"] = false,
            ["properties"] = steps,
        };
        ProtocolSchema.Add(schema, [.. protocols], specs);
        return schema;
    }

    /// <summary><c>expect_connect</c> is defined as <c>expectConnect</c>.</summary>
    public static string DefinitionName(StepKind kind) =>
        string.Concat(kind.Name.Split('_').Select((part, i) => i == 0 ? part : char.ToUpperInvariant(part[0]) + part[1..]));

    private static JsonNode Body(StepKind kind)
    {
        var body = JsonNode.Parse(kind.Schema)!;
        if (body is JsonObject { } map && map["properties"] is JsonObject properties)
        {
            if (kind.TakesChannel)
            {
                properties["on"] = new JsonObject { ["$ref"] = "#/definitions/on" };
            }

            if (kind.IsExpectation)
            {
                properties["rule"] = new JsonObject
                {
                    ["description"] = "The rule (listed in 'rules') this expectation is reported against; needed when 'rules' lists more than one.",
                    ["$ref"] = "#/definitions/rule",
                };
            }
        }

        return body;
    }
}
