using Conformance.Harness.Running;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Json;
using YamlDotNet.RepresentationModel;

namespace Conformance.Harness.Scenarios;

/// <summary>The mock sends one frame: JSON, text, binary or templates, optionally split into fragments.</summary>
public sealed record SendStep(SourceMark Mark, Payload Payload, int Fragments) : Step(Mark)
{
    public override string Describe() => $"send {Payload}" + (Fragments > 1 ? $" in {Fragments} fragments" : "") + (On is null ? "" : $" on {On}");
}

internal sealed class SendKind : StepKind<SendStep>
{
    private static readonly string[] Forms = ["json", "text", "binary", "template", "templates"];

    public override string Name => "send";

    public override string Summary => "The mock sends one frame to the client.";

    public override bool TakesChannel => true;

    public override string Schema => """
        {
          "description": "The mock sends one frame: exactly one of json, text, binary, template or templates.",
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "json": {
              "description": "A JSON value sent as a text frame. Strings may use ${name} captured by an earlier step."
            },
            "text": {
              "description": "A text frame sent as is (need not be JSON). May use ${name}.",
              "type": ["string", "number", "boolean", "null"]
            },
            "binary": {
              "description": "A binary frame, as base64, e.g. 'AAEC/w=='.",
              "type": "string",
              "pattern": "^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"
            },
            "template": {
              "description": "A frame the protocol module builds; each protocol's templates are listed in its part of this schema and by conformance list.",
              "$ref": "#/definitions/nonEmptyString"
            },
            "templates": {
              "description": "Several templates sent together as one frame, their event arrays joined, e.g. [advance, vote, grab] for a protocol whose frames are event arrays. Each must render a JSON array.",
              "type": "array",
              "minItems": 1,
              "items": {
                "description": "A template name.",
                "$ref": "#/definitions/nonEmptyString"
              }
            },
            "with": {
              "description": "JSON merged into the template's frame (only with 'template' or 'templates'; into each event when the frame is an event array), e.g. { d: { requester: null } }. A field set to { $remove: true } is removed."
            },
            "fragment": {
              "description": "Split the frame into this many WebSocket fragments (1 to 1000). Default: 1.",
              "type": "integer",
              "minimum": 1,
              "maximum": 1000
            }
          },
          "oneOf": [
            { "required": ["json"] },
            { "required": ["text"] },
            { "required": ["binary"] },
            { "required": ["template"] },
            { "required": ["templates"] }
          ],
          "anyOf": [
            { "required": ["template"] },
            { "required": ["templates"] },
            { "not": { "required": ["with"] } }
          ]
        }
        """;

    internal override Step? Read(StepSyntax syntax)
    {
        if (syntax.Map([.. Forms, "with", "fragment"]) is not { } map)
        {
            return null;
        }

        var load = syntax.Loader;
        var forms = Forms.Where(k => syntax.Value(map, k) is not null).ToList();
        if (forms.Count != 1)
        {
            syntax.Error(map, forms.Count == 0
                ? "'send' needs one of json, text, binary, template or templates"
                : $"'send' takes only one of json, text, binary, template or templates, found {string.Join(" and ", forms)}");
            return null;
        }

        var with = syntax.Value(map, "with");
        if (with is not null && !forms[0].StartsWith("template", StringComparison.Ordinal))
        {
            syntax.Error(with, "'with' merges into a template; use it together with 'template' or 'templates'");
        }

        var fragments = syntax.Value(map, "fragment") is { } f ? load.Integer(f, "fragment", 1, 1000) : 1;
        if (fragments is null)
        {
            return null;
        }

        if (forms[0] == "templates")
        {
            if (syntax.Value(map, "templates") is not YamlSequenceNode { Children.Count: > 0 } names)
            {
                syntax.Error(syntax.Value(map, "templates")!, "'templates' must be a non-empty list of template names, sent together as one frame");
                return null;
            }

            if (fragments > 1)
            {
                syntax.Error(syntax.Value(map, "fragment")!, "'fragment' splits one message; it does not combine with 'templates'");
                return null;
            }

            var list = names.Children.Select(n => load.Template(n, syntax.Module)).ToList();
            return list.Any(n => n is null)
                ? null
                : new SendStep(syntax.Mark, new Payload(null, null, null, null, with?.ToJson()) { Templates = list! }, 1);
        }

        var payload = forms[0] switch
        {
            "json" => new Payload(syntax.Value(map, "json")!.ToJson(), null, null, null, null),
            "text" => syntax.Value(map, "text") is YamlScalarNode { Value: var t } ? new Payload(null, t ?? "", null, null, null) : null,
            "binary" => load.Base64(syntax.Value(map, "binary")!) is { } bytes ? new Payload(null, null, bytes, null, null) : null,
            _ => load.Template(syntax.Value(map, "template")!, syntax.Module) is { } name ? new Payload(null, null, null, name, with?.ToJson()) : null,
        };
        if (forms[0] == "text" && payload is null)
        {
            syntax.Error(syntax.Value(map, "text")!, "'text' must be a string");
        }

        return payload is null ? null : new SendStep(syntax.Mark, payload, fragments.Value);
    }

    protected override async Task<string?> RunAsync(SendStep step, RunContext context)
    {
        var (connection, missing) = context.Target(step.On);
        if (connection is null)
        {
            return context.CannotAct("send", missing!);
        }

        var payload = step.Payload;
        var origin = $"step {context.StepNumber}";
        var with = Variables.Substitute(payload.With, context.Captures);
        var frame = payload.Templates is not null ? context.Mock.RenderBatch(payload.Templates, connection, with)
            : payload.Template is not null ? context.Mock.Render(payload.Template, connection, with)
            : null;
        var text = frame is not null ? JsonText.Write(frame)
            : payload.Json is not null ? JsonText.Write(Variables.Substitute(payload.Json, context.Captures))
            : payload.Text is not null ? Variables.Substitute(payload.Text, context.Captures)
            : null;
        var outcome = await context.Mock.SendOrHoldAsync(connection, text, text is null ? payload.Binary : null, step.Fragments, origin).ConfigureAwait(false);
        return outcome switch
        {
            SendOutcome.Sent or SendOutcome.Held => null,
            _ => context.CannotAct("send", $"connection {connection.Id} has ended"),
        };
    }
}
