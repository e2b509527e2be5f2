using Conformance.Harness.Running;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Scenarios;

/// <summary>Waits for the client to close the connection with a close frame, optionally with a given code.</summary>
public sealed record ExpectCloseStep(SourceMark Mark, int? Code, TimeSpan Within) : Step(Mark)
{
    /// <summary>The lower bound of the window: a close earlier than this into the step fails. Default: none.</summary>
    public TimeSpan? After { get; init; }

    /// <summary>
    /// True: a client that closes the TCP connection without a close frame passes too (RFC 6455 §7.1.7 makes the close
    /// frame of a failed connection a SHOULD); <see cref="Code"/> then applies only when a close frame came.
    /// </summary>
    public bool AllowDrop { get; init; }

    public override string Describe() =>
        $"expect client close{(Code is null ? "" : $" with {Code}")}{(AllowDrop ? " (or a TCP close)" : "")}" + (After is { } a ? $" after {Durations.Format(a)}" : "") +
        $" within {Durations.Format(Within)}" + (On is null ? "" : $" on {On}");
}

internal sealed class ExpectCloseKind : StepKind<ExpectCloseStep>
{
    public override string Name => "expect_close";

    public override string Summary => "Wait for the client to close the connection.";

    public override bool IsExpectation => true;

    public override bool TakesChannel => true;

    public override string Schema => """
        {
          "description": "Wait for the client to close the connection.",
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "code": {
              "description": "The close code the client must send (1000 to 4999). Default: any.",
              "$ref": "#/definitions/closeCode"
            },
            "within": {
              "description": "How long to wait. Default: 5s.",
              "$ref": "#/definitions/duration"
            },
            "after": {
              "description": "Lower bound: a close earlier than this into the step fails the step. Default: none.",
              "$ref": "#/definitions/duration"
            },
            "allow_drop": {
              "description": "true: a client that closes the TCP connection without a close frame passes too ('code' then applies only to a close frame). Default: false.",
              "type": "boolean"
            }
          }
        }
        """;

    internal override Step? Read(StepSyntax syntax) =>
        syntax.Map("code", "within", "after", "allow_drop") is { } map && syntax.Loader.Code(map, "code") is var (ok, code) && ok &&
        syntax.Loader.OptionalBoolean(map, "allow_drop") is var (boolOk, allowDrop) && boolOk
            ? new ExpectCloseStep(syntax.Mark, code, syntax.Within(map)) { After = syntax.Loader.OptionalDuration(map, "after"), AllowDrop = allowDrop ?? false }
            : null;

    protected override async Task<string?> RunAsync(ExpectCloseStep step, RunContext context)
    {
        var (connection, missing) = context.Target(step.On);
        if (connection is null)
        {
            return context.CannotAct("expect a close", missing!);
        }

        using var window = context.Window(step.Within, stopOnExit: false);
        var closed = await context.Transcript.WaitForAsync<ConnectionClosed>(0, c => c.Connection == connection.Id, window.Token)
            .ConfigureAwait(false);
        if (closed is null)
        {
            return $"the client did not close connection {connection.Id} within {Durations.Format(step.Within)}" + context.Because();
        }

        if (closed.By == CloseInitiator.ClientLost && step.AllowDrop)
        {
            return context.TooEarly(closed, step.After, $"the end of connection {connection.Id}");
        }

        if (closed.By != CloseInitiator.Client)
        {
            return $"connection {connection.Id} ended by {closed.By}, not by a client close frame";
        }

        if (context.TooEarly(closed, step.After, $"the close of connection {connection.Id}") is { } early)
        {
            return early;
        }

        return step.Code is { } code && closed.Code != code ? $"the client closed with {closed.Code}, expected {code}" : null;
    }
}
