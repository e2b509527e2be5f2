using Conformance.Harness.Running;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Scenarios;

/// <summary>The client must keep the connection open for a while.</summary>
public sealed record ExpectAliveStep(SourceMark Mark, TimeSpan For) : Step(Mark)
{
    /// <summary>A close code that also passes: the client may end the connection with a close frame carrying it (e.g. 1009 message too big).</summary>
    public int? OrClose { get; init; }

    public override string Describe() =>
        $"expect the client to stay connected for {Durations.Format(For)}" + (OrClose is { } c ? $" or close with {c}" : "") + (On is null ? "" : $" on {On}");
}

internal sealed class ExpectAliveKind : StepKind<ExpectAliveStep>
{
    public override string Name => "expect_alive";

    public override string Summary => "The client must keep the connection open for a while.";

    public override bool IsExpectation => true;

    public override bool TakesChannel => true;

    public override string Schema => """
        {
          "description": "The client must keep the connection open for a while.",
          "type": "object",
          "additionalProperties": false,
          "required": ["for"],
          "properties": {
            "for": {
              "description": "How long the connection must stay open.",
              "$ref": "#/definitions/duration"
            },
            "or_close": {
              "description": "A close code that passes too: the client may instead end the connection with a close frame carrying it, e.g. 1009 (message too big).",
              "$ref": "#/definitions/closeCode"
            }
          }
        }
        """;

    internal override Step? Read(StepSyntax syntax) =>
        syntax.Map("for", "or_close") is { } map && syntax.Required(map, "for", "a duration such as 300ms") is { } node &&
        syntax.Loader.Duration(node, "for") is { } duration && syntax.Loader.Code(map, "or_close") is var (ok, orClose) && ok
            ? new ExpectAliveStep(syntax.Mark, duration) { OrClose = orClose }
            : null;

    protected override async Task<string?> RunAsync(ExpectAliveStep step, RunContext context)
    {
        var (connection, missing) = context.Target(step.On);
        if (connection is not { IsOpen: true })
        {
            return context.CannotAct("stay connected on", missing ?? $"connection {connection!.Id} has ended");
        }

        using var window = CancellationTokenSource.CreateLinkedTokenSource(context.Cancellation, connection.Closed, context.Client.ExitedToken);
        try
        {
            await Task.Delay(step.For, window.Token).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException)
        {
            var closed = context.Transcript.Snapshot().OfType<ConnectionClosed>().FirstOrDefault(c => c.Connection == connection.Id);
            if (closed is { By: CloseInitiator.Client } && closed.Code == step.OrClose)
            {
                return null;
            }

            var how = closed is null ? "" : $"connection {connection.Id} ended ({closed.By}{(closed.Code is { } c ? $" {c}" : "")}) at {closed.At.TotalMilliseconds:0}ms";
            return $"the client did not stay connected for {Durations.Format(step.For)}: " + how + context.Because();
        }
    }
}
