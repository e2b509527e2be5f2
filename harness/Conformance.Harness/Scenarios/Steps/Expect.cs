using Conformance.Harness.Running;
using Conformance.Mocks.Json;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Scenarios;

/// <summary>Waits for frames matching <see cref="Match"/>, <see cref="Count"/> times, inside a timing window.</summary>
public sealed record ExpectStep(SourceMark Mark, FrameMatch Match, TimeSpan Within, int Count, IReadOnlyDictionary<string, string> Captures)
    : Step(Mark)
{
    /// <summary>The lower bound of the window: a match earlier than this into the step fails. Default: none.</summary>
    public TimeSpan? After { get; init; }

    public override string Describe() =>
        $"expect {Match}" + (Count > 1 ? $" ×{Count}" : "") + (After is { } a ? $" after {Durations.Format(a)}" : "") +
        $" within {Durations.Format(Within)}" + (On is null ? "" : $" on {On}");
}

internal sealed class ExpectKind : StepKind<ExpectStep>
{
    public override string Name => "expect";

    public override string Summary => "Wait for frames matching json, regex, text or binary (the client's, or the mock's with from: server).";

    public override bool IsExpectation => true;

    public override bool TakesChannel => true;

    public override string Schema => $$"""
        {
          "description": "Wait for frames matching exactly one of json, regex, text or binary.",
          "type": "object",
          "additionalProperties": false,
          "properties": {
            {{FrameMatchSyntax.SchemaProperties}},
            "within": {
              "description": "How long to wait. Default: 5s.",
              "$ref": "#/definitions/duration"
            },
            "after": {
              "description": "Lower bound: a matching frame earlier than this into the step fails the step. Default: none.",
              "$ref": "#/definitions/duration"
            },
            "count": {
              "description": "How many matching frames to wait for (1 to 100000). Default: 1.",
              "type": "integer",
              "minimum": 1,
              "maximum": 100000
            },
            "capture": {
              "description": "Variables to keep from the (last) matching frame, for ${name} in later steps: name -> JSON path such as $.d.song.id.",
              "$ref": "#/definitions/capture"
            }
          },
          {{FrameMatchSyntax.SchemaOneOf}}
        }
        """;

    internal override Step? Read(StepSyntax syntax)
    {
        if (syntax.Map([.. FrameMatchSyntax.Keys, "within", "after", "count", "capture"]) is not { } map)
        {
            return null;
        }

        var match = FrameMatchSyntax.Read(syntax, map);
        var count = syntax.Value(map, "count") is { } c ? syntax.Loader.Integer(c, "count", 1, 100_000) : 1;
        var captures = syntax.Loader.ReadCaptures(map);
        return match is null || count is null
            ? null
            : new ExpectStep(syntax.Mark, match, syntax.Within(map), count.Value, captures) { After = syntax.Loader.OptionalDuration(map, "after") };
    }

    protected override async Task<string?> RunAsync(ExpectStep step, RunContext context)
    {
        var (connection, missing) = step.On is null ? (null, null) : context.Target(step.On);
        if (missing is not null)
        {
            return context.CannotAct("expect", missing);
        }

        var matcher = new FrameMatcher(step.Match, context.Captures, connection?.Id, context.Absent);
        var server = step.Match.FromServer;
        using var window = context.Window(step.Within);
        for (var matched = 0; matched < step.Count; matched++)
        {
            var cursor = connection is not null ? context.ConnectionCursors.GetValueOrDefault((connection.Id, server))
                : server ? context.ServerFrameCursor : context.FrameCursor;
            var frame = await context.Transcript.WaitForAsync<FrameRecorded>(cursor, matcher.Matches, window.Token).ConfigureAwait(false);
            if (frame is null)
            {
                var got = context.Transcript.Snapshot().OfType<FrameRecorded>()
                    .Where(f => f.Index >= cursor && f.Direction == matcher.Direction)
                    .Select(f => f.Display).Distinct().Take(5).ToList();
                return $"expected {step.Match}" + (step.Count > 1 ? $" {step.Count} times, got {matched}," : "") +
                       $" within {Durations.Format(step.Within)}; the {(server ? "mock" : "client")} sent " +
                       (got.Count == 0 ? "nothing else" : string.Join(", ", got)) + context.Because();
            }

            if (matched == 0 && context.TooEarly(frame, step.After, $"{frame.Display}") is { } early)
            {
                return early;
            }

            if (connection is not null)
            {
                context.ConnectionCursors[(connection.Id, server)] = frame.Index + 1;
            }
            else if (server)
            {
                context.ServerFrameCursor = frame.Index + 1;
            }
            else
            {
                context.FrameCursor = frame.Index + 1;
            }

            context.Capture(step.Captures, JsonText.TryParse(frame.Text));
        }

        return null;
    }
}
