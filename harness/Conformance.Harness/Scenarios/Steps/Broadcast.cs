using Conformance.Harness.Running;
using Conformance.Mocks.Json;

namespace Conformance.Harness.Scenarios;

/// <summary>
/// The mock sends one frame to every open connection (of <see cref="Endpoint"/>, when given) at once, rendered once, as a
/// server pushes a song change to all its listeners; a connection still in its opening gets nothing.
/// </summary>
public sealed record BroadcastStep(SourceMark Mark, Payload Payload, string? Endpoint) : Step(Mark)
{
    public override string Describe() => $"broadcast {Payload}" + (Endpoint is null ? "" : $" to {Endpoint}");
}

internal sealed class BroadcastKind : StepKind<BroadcastStep>
{
    private static readonly string[] Forms = ["json", "text", "template"];

    public override string Name => "broadcast";

    public override string Summary => "The mock sends one frame to every open connection at once.";

    public override string Schema => """
        {
          "description": "The mock sends one frame, rendered once, to every open connection (of 'endpoint', when given): exactly one of json, text or template. Fails when no connection is open.",
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "json": { "description": "A JSON value sent as a text frame. Strings may use ${name}." },
            "text": { "description": "A text frame sent as is. May use ${name}.", "$ref": "#/definitions/text" },
            "template": { "description": "A frame the protocol module builds (rendered once: a track update advances the song once).", "$ref": "#/definitions/nonEmptyString" },
            "with": { "description": "JSON merged into the template's frame (only with 'template')." },
            "endpoint": { "description": "Only the connections of this endpoint. Default: every endpoint.", "$ref": "#/definitions/nonEmptyString" }
          },
          "oneOf": [
            { "required": ["json"] },
            { "required": ["text"] },
            { "required": ["template"] }
          ],
          "anyOf": [
            { "required": ["template"] },
            { "not": { "required": ["with"] } }
          ]
        }
        """;

    internal override Step? Read(StepSyntax syntax)
    {
        if (syntax.Map([.. Forms, "with", "endpoint"]) is not { } map)
        {
            return null;
        }

        var forms = Forms.Where(k => syntax.Value(map, k) is not null).ToList();
        if (forms.Count != 1)
        {
            syntax.Error(map, "'broadcast' needs exactly one of json, text or template" + (forms.Count > 1 ? $", found {string.Join(" and ", forms)}" : ""));
            return null;
        }

        var with = syntax.Value(map, "with");
        if (with is not null && forms[0] != "template")
        {
            syntax.Error(with, "'with' merges into a template; use it together with 'template'");
            return null;
        }

        var load = syntax.Loader;
        var endpoint = load.OptionalString(map, "endpoint");
        if (endpoint is not null && syntax.Module is { } module && !module.Endpoints.Contains(endpoint))
        {
            syntax.Error(syntax.Value(map, "endpoint")!, $"unknown endpoint '{endpoint}' for {module.Id} (known: {string.Join(", ", module.Endpoints)})");
            return null;
        }

        var node = syntax.Value(map, forms[0])!;
        var payload = forms[0] switch
        {
            "json" => new Payload(node.ToJson(), null, null, null, null),
            "text" => load.String(node, "text") is { } text ? new Payload(null, text, null, null, null) : null,
            _ => load.Template(node, syntax.Module) is { } name ? new Payload(null, null, null, name, with?.ToJson()) : null,
        };
        return payload is null ? null : new BroadcastStep(syntax.Mark, payload, endpoint);
    }

    protected override async Task<string?> RunAsync(BroadcastStep step, RunContext context)
    {
        var payload = step.Payload;
        var text = payload.Template is not null
            ? JsonText.Write(context.Mock.Render(payload.Template, null, Variables.Substitute(payload.With, context.Captures)))
            : payload.Json is not null ? JsonText.Write(Variables.Substitute(payload.Json, context.Captures))
            : Variables.Substitute(payload.Text!, context.Captures);
        var sent = await context.Mock.BroadcastAsync(text, step.Endpoint, $"step {context.StepNumber}").ConfigureAwait(false);
        return sent > 0 ? null : context.CannotAct("broadcast", "no connection" + (step.Endpoint is null ? "" : $" of {step.Endpoint}") + " is open");
    }
}
