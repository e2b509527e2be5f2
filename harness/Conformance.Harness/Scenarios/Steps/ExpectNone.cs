using Conformance.Harness.Running;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Scenarios;

/// <summary>
/// Forbids a frame: none may match for <see cref="For"/>, or, without it, until the next step has finished (a guard
/// over it, e.g. "no IDENTIFY while resuming").
/// </summary>
public sealed record ExpectNoneStep(SourceMark Mark, FrameMatch Match, TimeSpan? For) : Step(Mark)
{
    public override string Describe() =>
        $"expect no {Match} " + (For is { } f ? $"for {Durations.Format(f)}" : "until the next step ends") + (On is null ? "" : $" on {On}");
}

internal sealed class ExpectNoneKind : StepKind<ExpectNoneStep>
{
    public override string Name => "expect_none";

    public override string Summary => "No frame may match, for a while or until the next step ends.";

    public override bool IsExpectation => true;

    public override bool TakesChannel => true;

    public override string Schema => $$"""
        {
          "description": "A frame that must not come: exactly one of json, regex, text or binary. With 'for', none may match for that long; without it, none until the next step has finished.",
          "type": "object",
          "additionalProperties": false,
          "properties": {
            {{FrameMatchSyntax.SchemaProperties}},
            "for": {
              "description": "How long no frame may match. Default: until the next step has finished.",
              "$ref": "#/definitions/duration"
            }
          },
          {{FrameMatchSyntax.SchemaOneOf}}
        }
        """;

    internal override Step? Read(StepSyntax syntax) =>
        syntax.Map([.. FrameMatchSyntax.Keys, "for"]) is { } map && FrameMatchSyntax.Read(syntax, map) is { } match
            ? new ExpectNoneStep(syntax.Mark, match, syntax.Loader.OptionalDuration(map, "for"))
            : null;

    protected override async Task<string?> RunAsync(ExpectNoneStep step, RunContext context)
    {
        var (connection, missing) = step.On is null ? (null, null) : context.Target(step.On);
        if (missing is not null)
        {
            return context.CannotAct("expect none", missing);
        }

        // Frames no earlier expectation has consumed count: one that came just before this step began is not missed.
        var matcher = new FrameMatcher(step.Match, context.Captures, connection?.Id, context.Absent);
        var from = step.Match.FromServer ? context.ServerFrameCursor : context.FrameCursor;
        if (step.For is not { } duration)
        {
            context.Guards.Add(new Guard(context.StepNumber, step, from, matcher));
            return null;
        }

        using var window = context.Window(duration, stopOnExit: false);
        var frame = await context.Transcript.WaitForAsync<FrameRecorded>(from, matcher.Matches, window.Token).ConfigureAwait(false);
        return frame is null ? null : Forbidden(step, frame);
    }

    /// <summary>The failure of a forbidden frame that came.</summary>
    public static string Forbidden(ExpectNoneStep step, FrameRecorded frame) =>
        $"expected no {step.Match}, but connection {frame.Connection} carried {frame.Display} at {frame.At.TotalMilliseconds:0}ms";
}
