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

    /// <summary>
    /// True: wait instead for the client to close the TCP connection itself after its close frame went unanswered
    /// (<c>ws_faults: { answer_close: false }</c>); a client waiting for the server's close frame forever never does.
    /// </summary>
    public bool Tcp { get; init; }

    public override string Describe() =>
        (Tcp ? "expect the client to close the TCP connection after its unanswered close frame" : $"expect client close{(Code is null ? "" : $" with {Code}")}{(AllowDrop ? " (or a TCP close)" : "")}") + (After is { } a ? $" after {Durations.Format(a)}" : "") +
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
            "tcp": {
              "description": "true: wait instead for the client to close the TCP connection itself after its close frame went unanswered (ws_faults: { answer_close: false }). Default: false.",
              "type": "boolean"
            },
            "allow_drop": {
              "description": "true: a client that closes the TCP connection without a close frame passes too ('code' then applies only to a close frame). Default: false.",
              "type": "boolean"
            }
          }
        }
        """;

    internal override Step? Read(StepSyntax syntax) =>
        syntax.Map("code", "within", "after", "allow_drop", "tcp") is { } map && syntax.Loader.Code(map, "code") is var (ok, code) && ok &&
        syntax.Loader.OptionalBoolean(map, "allow_drop") is var (boolOk, allowDrop) && boolOk &&
        syntax.Loader.OptionalBoolean(map, "tcp") is var (tcpOk, tcp) && tcpOk
            ? new ExpectCloseStep(syntax.Mark, code, syntax.Within(map)) { After = syntax.Loader.OptionalDuration(map, "after"), AllowDrop = allowDrop ?? false, Tcp = tcp ?? false }
            : null;

    protected override async Task<string?> RunAsync(ExpectCloseStep step, RunContext context)
    {
        var (connection, missing) = context.Target(step.On);
        if (connection is null)
        {
            return context.CannotAct("expect a close", missing!);
        }

        using var window = context.Window(step.Within, stopOnExit: false);
        if (step.Tcp)
        {
            // A client that closed TCP without a close frame at all closed it too.
            var released = await context.Transcript.WaitForAsync<TranscriptEntry>(
                0, e => e is TcpReleased { ByClient: true } r ? r.Connection == connection.Id : e is ConnectionClosed { By: CloseInitiator.ClientLost } c && c.Connection == connection.Id,
                window.Token).ConfigureAwait(false);
            return released is null
                ? $"the client did not close the TCP connection of connection {connection.Id} within {Durations.Format(step.Within)} after its close frame went unanswered" + context.Because()
                : null;
        }

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
