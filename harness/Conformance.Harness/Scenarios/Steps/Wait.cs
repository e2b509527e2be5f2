using Conformance.Harness.Running;
using Conformance.Mocks.Transcripts;
using YamlDotNet.RepresentationModel;

namespace Conformance.Harness.Scenarios;

/// <summary>What a wait waits for besides its time.</summary>
public enum WaitUntil
{
    /// <summary>Just the time.</summary>
    Time,

    /// <summary>The client process exits (at most the time).</summary>
    Exit,

    /// <summary>The client goes quiet for <see cref="WaitStep.Quiet"/> (at most the time).</summary>
    Quiet,
}

/// <summary>
/// Does nothing for a while; the monitors keep watching. It can end sooner: when the client exits, or once the client
/// has been quiet (no frame, request, datagram, connection or output line) for a while, so a scenario waits for a slow
/// client on a busy machine without waiting as long for a quick one. A wait never fails.
/// </summary>
public sealed record WaitStep(SourceMark Mark, TimeSpan Duration) : Step(Mark)
{
    public WaitUntil Until { get; init; }

    public TimeSpan Quiet { get; init; }

    public override string Describe() => Until switch
    {
        WaitUntil.Exit => $"wait for the client to exit, at most {Durations.Format(Duration)}",
        WaitUntil.Quiet => $"wait until the client is quiet for {Durations.Format(Quiet)}, at most {Durations.Format(Duration)}",
        _ => $"wait {Durations.Format(Duration)}",
    };
}

internal sealed class WaitKind : StepKind<WaitStep>
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    public override string Name => "wait";

    public override string Summary => "Do nothing for this long (monitors keep watching), e.g. wait: 500ms; or until the client exits or goes quiet, at most this long.";

    public override string Schema => """
        {
          "description": "A duration (wait: 500ms), or a wait that ends sooner: { until_exit: 5s } until the client process exits, { until_quiet: 300ms, at_most: 5s } until the client has sent and printed nothing for that long. A wait never fails.",
          "oneOf": [
            { "$ref": "#/definitions/duration" },
            {
              "type": "object",
              "additionalProperties": false,
              "required": ["until_exit"],
              "properties": { "until_exit": { "description": "The longest to wait for the client process to exit.", "$ref": "#/definitions/duration" } }
            },
            {
              "type": "object",
              "additionalProperties": false,
              "required": ["until_quiet", "at_most"],
              "properties": {
                "until_quiet": { "description": "How long the client must have sent nothing (frames, requests, datagrams, connections) and printed nothing.", "$ref": "#/definitions/duration" },
                "at_most": { "description": "The longest to wait.", "$ref": "#/definitions/duration" }
              }
            }
          ]
        }
        """;

    internal override Step? Read(StepSyntax syntax)
    {
        var load = syntax.Loader;
        if (syntax.Body is not YamlMappingNode map)
        {
            return load.Duration(syntax.Body, "wait") is { } wait ? new WaitStep(syntax.Mark, wait) : null;
        }

        if (!load.Keys(map, "wait", "until_exit", "until_quiet", "at_most"))
        {
            return null;
        }

        if (syntax.Value(map, "until_exit") is { } exit)
        {
            if ((syntax.Value(map, "until_quiet") ?? syntax.Value(map, "at_most")) is { } other)
            {
                syntax.Error(other, "'until_exit' is the longest wait itself; it takes neither 'until_quiet' nor 'at_most'");
                return null;
            }

            return load.Duration(exit, "until_exit") is { } most ? new WaitStep(syntax.Mark, most) { Until = WaitUntil.Exit } : null;
        }

        if (syntax.Required(map, "until_quiet", "how long the client must be quiet, such as 300ms") is not { } quietNode ||
            syntax.Required(map, "at_most", "the longest to wait, such as 5s") is not { } mostNode)
        {
            return null;
        }

        var quiet = load.Duration(quietNode, "until_quiet");
        var atMost = load.Duration(mostNode, "at_most");
        return quiet is null || atMost is null ? null : new WaitStep(syntax.Mark, atMost.Value) { Until = WaitUntil.Quiet, Quiet = quiet.Value };
    }

    protected override async Task<string?> RunAsync(WaitStep step, RunContext context)
    {
        if (step.Until == WaitUntil.Time)
        {
            await Task.Delay(step.Duration, context.Cancellation).ConfigureAwait(false);
            return null;
        }

        using var window = CancellationTokenSource.CreateLinkedTokenSource(context.Cancellation, context.Client.ExitedToken);
        window.CancelAfter(step.Duration);
        try
        {
            if (step.Until == WaitUntil.Exit)
            {
                await Task.Delay(Timeout.Infinite, window.Token).ConfigureAwait(false);
            }

            while (context.Transcript.Now - LastSign(context) < step.Quiet)
            {
                await Task.Delay(Poll, window.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!context.Cancellation.IsCancellationRequested)
        {
            // The client exited, or the longest wait ran out: the wait is over either way.
        }

        return null;
    }

    /// <summary>When the client last did anything the mock or the harness saw (or the step began, if later).</summary>
    private static TimeSpan LastSign(RunContext context)
    {
        var last = context.Transcript.Snapshot().LastOrDefault(e => e is FrameRecorded { Direction: Direction.ClientToServer } or HttpExchange or ConnectionOpened
            or ConnectionRefused or DatagramRecorded { Direction: Direction.ClientToServer } or ProcessOutput or ControlFrameRecorded);
        return last is null || last.At < context.StepStartedAt ? context.StepStartedAt : last.At;
    }
}
