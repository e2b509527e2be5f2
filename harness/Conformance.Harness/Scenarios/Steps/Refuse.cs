using Conformance.Harness.Running;
using Conformance.Mocks.Hosting;

namespace Conformance.Harness.Scenarios;

/// <summary>
/// The mock refuses the next <see cref="Times"/> requests to <see cref="Path"/> (WebSocket upgrades to any endpoint when no
/// path is given) with a status, headers and body: a 401 with a challenge, a 409 session taken, a 400 with a message.
/// </summary>
public sealed record RefuseStep(SourceMark Mark, string? Path, int Status, IReadOnlyDictionary<string, string> Headers, string? Body, int Times)
    : Step(Mark)
{
    public override string Describe() =>
        $"refuse the next {(Times == 1 ? "" : $"{Times} ")}{(Path is null ? "upgrade" : "request to " + Path)}{(Times == 1 ? "" : "s")} with {Status}";
}

internal sealed class RefuseKind : StepKind<RefuseStep>
{
    public override string Name => "refuse";

    public override bool RunsBeforeClient => true;

    public override string Summary => "The mock refuses the next upgrades or requests with a status, headers and body.";

    public override string Schema => """
        {
          "description": "Refuse the next 'times' requests to 'path' (any WebSocket upgrade when no path is given) with this status, headers and body, instead of serving them.",
          "type": "object",
          "additionalProperties": false,
          "required": ["status"],
          "properties": {
            "path": {
              "description": "The request path to refuse; {name} segments match any value. May use ${name}. Default: every WebSocket upgrade.",
              "$ref": "#/definitions/text"
            },
            "status": {
              "description": "The HTTP status of the refusal (100 to 599), e.g. 401.",
              "$ref": "#/definitions/httpStatus"
            },
            "headers": {
              "description": "Response headers, e.g. { WWW-Authenticate: 'Basic realm=\"node\"' }. Values may use ${name}.",
              "$ref": "#/definitions/textMap"
            },
            "body": {
              "description": "Response body text, e.g. 'session taken'. May use ${name}. Default: none.",
              "$ref": "#/definitions/text"
            },
            "times": {
              "description": "How many requests to refuse (1 to 1000); later ones are served. Default: 1.",
              "type": "integer",
              "minimum": 1,
              "maximum": 1000
            }
          }
        }
        """;

    internal override Step? Read(StepSyntax syntax)
    {
        if (syntax.Map("path", "status", "headers", "body", "times") is not { } map ||
            syntax.Required(map, "status", "the HTTP status such as 401") is not { } statusNode)
        {
            return null;
        }

        var load = syntax.Loader;
        var status = load.Integer(statusNode, "status", 100, 599);
        var times = syntax.Value(map, "times") is { } t ? load.Integer(t, "times", 1, 1000) : 1;
        var path = load.OptionalString(map, "path");
        if (path is not null && PathPattern.Problem(Variables.Pattern.Replace(path, "x")) is { } problem)
        {
            syntax.Error(syntax.Value(map, "path")!, $"path '{path}': {problem}");
            return null;
        }

        return status is null || times is null
            ? null
            : new RefuseStep(syntax.Mark, path, status.Value, load.TextMap(map, "headers", "header"), load.OptionalString(map, "body"), times.Value);
    }

    protected override Task<string?> RunAsync(RefuseStep step, RunContext context)
    {
        var path = step.Path is null ? null : new PathPattern(Variables.Substitute(step.Path, context.Captures));
        var headers = step.Headers.ToDictionary(h => h.Key, h => Variables.Substitute(h.Value, context.Captures), StringComparer.OrdinalIgnoreCase);
        var body = step.Body is null ? null : Variables.Substitute(step.Body, context.Captures);
        context.Mock.Host.Refuse(new ScriptedRefusal(path, step.Status, headers, body, step.Times) { Origin = $"step {context.StepNumber}" });
        return Task.FromResult<string?>(null);
    }
}
