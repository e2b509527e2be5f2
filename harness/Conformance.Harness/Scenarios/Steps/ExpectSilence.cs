using Conformance.Harness.Running;
using Conformance.Mocks.Transcripts;
using YamlDotNet.RepresentationModel;

namespace Conformance.Harness.Scenarios;

/// <summary>The client must send nothing for a while (its heartbeats aside, when <see cref="IgnoreHeartbeats"/>).</summary>
public sealed record ExpectSilenceStep(SourceMark Mark, TimeSpan For, bool IgnoreHeartbeats) : Step(Mark)
{
    public override string Describe() => $"expect silence for {Durations.Format(For)}" + (IgnoreHeartbeats ? " (heartbeats allowed)" : "");
}

internal sealed class ExpectSilenceKind : StepKind<ExpectSilenceStep>
{
    public override string Name => "expect_silence";

    public override string Summary => "The client must send nothing for a while.";

    public override bool IsExpectation => true;

    public override string Schema => """
        {
          "description": "The client must send nothing for a while.",
          "type": "object",
          "additionalProperties": false,
          "required": ["for"],
          "properties": {
            "for": {
              "description": "How long the client must stay silent.",
              "$ref": "#/definitions/duration"
            },
            "ignore": {
              "description": "'heartbeats': the protocol's heartbeats do not break the silence.",
              "type": "string",
              "enum": ["heartbeats"]
            }
          }
        }
        """;

    internal override Step? Read(StepSyntax syntax)
    {
        if (syntax.Map("for", "ignore") is not { } map ||
            syntax.Required(map, "for", "a duration such as 300ms") is not { } node || syntax.Loader.Duration(node, "for") is not { } duration)
        {
            return null;
        }

        var ignore = syntax.Value(map, "ignore");
        if (ignore is not null and not YamlScalarNode { Value: "heartbeats" })
        {
            syntax.Error(ignore, $"'ignore' accepts only 'heartbeats', found {ignore.Kind()}");
            return null;
        }

        return new ExpectSilenceStep(syntax.Mark, duration, ignore is not null);
    }

    protected override async Task<string?> RunAsync(ExpectSilenceStep step, RunContext context)
    {
        using var window = context.Window(step.For, stopOnExit: false);
        var frame = await context.Transcript.WaitForAsync<FrameRecorded>(
            context.FrameCursor,
            f => f.Direction == Direction.ClientToServer && !(step.IgnoreHeartbeats && context.Module.IsHeartbeat(f)),
            window.Token).ConfigureAwait(false);
        context.FrameCursor = context.Transcript.Count;
        return frame is null ? null : $"expected silence for {Durations.Format(step.For)}, but the client sent {frame.Display} at {frame.At.TotalMilliseconds:0}ms";
    }
}
