using System.Text.RegularExpressions;
using Conformance.Harness.Running;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Scenarios;

/// <summary>Waits for the client process to print a line matching <see cref="Pattern"/>.</summary>
public sealed record ExpectOutputStep(SourceMark Mark, Regex Pattern, string? Stream, TimeSpan Within) : Step(Mark)
{
    public override string Describe() => $"expect output /{Pattern}/ within {Durations.Format(Within)}";
}

internal sealed class ExpectOutputKind : StepKind<ExpectOutputStep>
{
    public override string Name => "expect_output";

    public override string Summary => "Wait for the client process to print a matching line.";

    public override bool IsExpectation => true;

    public override string Schema => """
        {
          "description": "Wait for the client process to print a line matching a regular expression.",
          "type": "object",
          "additionalProperties": false,
          "required": ["regex"],
          "properties": {
            "regex": {
              "description": "A .NET regular expression a line of output must match.",
              "$ref": "#/definitions/nonEmptyString"
            },
            "stream": {
              "description": "Which stream to watch. Default: both.",
              "type": "string",
              "enum": ["stdout", "stderr"]
            },
            "within": {
              "description": "How long to wait. Default: 5s.",
              "$ref": "#/definitions/duration"
            }
          }
        }
        """;

    internal override Step? Read(StepSyntax syntax)
    {
        if (syntax.Map("regex", "stream", "within") is not { } map ||
            syntax.Required(map, "regex", "a regular expression for one output line") is not { } node)
        {
            return null;
        }

        var stream = syntax.Loader.OptionalString(map, "stream");
        if (stream is not null and not "stdout" and not "stderr")
        {
            syntax.Error(syntax.Value(map, "stream")!, $"'stream' must be stdout or stderr, found '{stream}'");
        }

        return syntax.Loader.Regex(node) is { } regex ? new ExpectOutputStep(syntax.Mark, regex, stream, syntax.Within(map)) : null;
    }

    protected override async Task<string?> RunAsync(ExpectOutputStep step, RunContext context)
    {
        using var window = context.Window(step.Within);
        var line = await context.Transcript.WaitForAsync<ProcessOutput>(
            context.OutputCursor,
            o => (step.Stream is null || (step.Stream == "stdout") == (o.Stream == OutputStream.Stdout)) && step.Pattern.IsMatch(o.Line),
            window.Token).ConfigureAwait(false);

        // Output can still be in flight when the process exits; look once more before failing.
        line ??= context.Transcript.Snapshot().OfType<ProcessOutput>()
            .FirstOrDefault(o => o.Index >= context.OutputCursor && step.Pattern.IsMatch(o.Line));
        if (line is null)
        {
            return $"no output line matched /{step.Pattern}/ within {Durations.Format(step.Within)}" + context.Because();
        }

        context.OutputCursor = line.Index + 1;
        return null;
    }
}
