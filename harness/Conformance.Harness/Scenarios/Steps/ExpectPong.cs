using Conformance.Harness.Running;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Scenarios;

/// <summary>Waits for the client to answer a ping of the mock's with a pong, optionally one echoing a given payload.</summary>
public sealed record ExpectPongStep(SourceMark Mark, string? Payload, TimeSpan Within) : Step(Mark)
{
    public override string Describe() =>
        $"expect a pong{(Payload is null ? "" : $" echoing '{Payload}'")} within {Durations.Format(Within)}" + (On is null ? "" : $" on {On}");
}

internal sealed class ExpectPongKind : StepKind<ExpectPongStep>
{
    public override string Name => "expect_pong";

    public override string Summary => "Wait for the client to answer the mock's ping with a pong (RFC 6455 §5.5.2).";

    public override bool IsExpectation => true;

    public override bool TakesChannel => true;

    public override string Schema => """
        {
          "description": "Wait for the client to send a pong on the connection, e.g. after ws_fault: { ping_flood: 100 }. RFC 6455 §5.5.3 lets a pong to the latest ping stand for the ones before it.",
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "payload": {
              "description": "The payload the pong must echo, as text (the ping flood's last ping carries its count). Default: any pong.",
              "$ref": "#/definitions/text"
            },
            "within": {
              "description": "How long to wait. Default: 5s.",
              "$ref": "#/definitions/duration"
            }
          }
        }
        """;

    internal override Step? Read(StepSyntax syntax) =>
        syntax.Map("payload", "within") is { } map
            ? new ExpectPongStep(syntax.Mark, syntax.Loader.OptionalString(map, "payload"), syntax.Within(map))
            : null;

    protected override async Task<string?> RunAsync(ExpectPongStep step, RunContext context)
    {
        var (connection, missing) = context.Target(step.On);
        if (connection is null)
        {
            return context.CannotAct("expect a pong", missing!);
        }

        bool Wanted(ControlFrameRecorded c) =>
            c.Connection == connection.Id && c.IsPong && (step.Payload is null || c.Payload.AsSpan().SequenceEqual(System.Text.Encoding.UTF8.GetBytes(step.Payload)));

        using var window = context.Window(step.Within, stopOnExit: true);
        if (await context.Transcript.WaitForAsync<ControlFrameRecorded>(0, Wanted, window.Token).ConfigureAwait(false) is not null)
        {
            return null;
        }

        var pongs = context.Transcript.Snapshot().OfType<ControlFrameRecorded>().Where(c => c.Connection == connection.Id && c.IsPong).ToList();
        return $"no pong{(step.Payload is null ? "" : $" echoing '{step.Payload}'")} on connection {connection.Id} within {Durations.Format(step.Within)}" +
            (pongs.Count == 0 ? " (the client sent no pong at all)" : $" ({pongs.Count} pongs, the last {pongs[^1].Display})") + context.Because();
    }
}
