using System.Text.Json.Nodes;
using Conformance.Harness.Clients;
using Conformance.Harness.Protocols;
using Conformance.Harness.Scenarios;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Running;

/// <summary>The state steps share while a scenario runs: the mock, the client, cursors into the transcript, captures.</summary>
internal sealed class RunContext(Scenario scenario, IProtocolModule module, ProtocolMock mock, ClientProcess client, CancellationToken cancellation)
{
    public Scenario Scenario { get; } = scenario;

    public IProtocolModule Module { get; } = module;

    public ProtocolMock Mock { get; } = mock;

    public Transcript Transcript => Mock.Transcript;

    public ClientProcess Client { get; } = client;

    /// <summary>Fires when the scenario's timeout runs out.</summary>
    public CancellationToken Cancellation { get; } = cancellation;

    /// <summary>The number of the step being carried out, from 1.</summary>
    public int StepNumber { get; set; }

    /// <summary>Where the next frame expectation starts looking: just after the last frame one matched.</summary>
    public int FrameCursor { get; set; }

    /// <summary>Where the next connect expectation starts looking.</summary>
    public int ConnectCursor { get; set; }

    /// <summary>Where the next HTTP expectation starts looking.</summary>
    public int HttpCursor { get; set; }

    /// <summary>Where the next output expectation starts looking; output runs beside frames, so it has its own cursor.</summary>
    public int OutputCursor { get; set; }

    /// <summary>The connection scripted sends go to: the one the last connect expectation saw.</summary>
    public MockConnection? Connection { get; set; }

    public Dictionary<string, JsonNode?> Captures { get; } = new(StringComparer.Ordinal);

    /// <summary>A token that fires at <paramref name="within"/>, at the scenario timeout, or when the client process exits.</summary>
    public CancellationTokenSource Window(TimeSpan within, bool stopOnExit = true)
    {
        var window = stopOnExit
            ? CancellationTokenSource.CreateLinkedTokenSource(Cancellation, Client.ExitedToken)
            : CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        window.CancelAfter(within);
        return window;
    }

    /// <summary>
    /// Why a wait or a send ended early: the mock cut the connection because the client stopped reading, the scenario
    /// timed out, or the client process exited.
    /// </summary>
    public string? WhyCutShort()
    {
        if (Connection is { Ended: { Stall: { } stall } ended })
        {
            return $"the mock cut connection {ended.Connection} at {ended.At.TotalMilliseconds:0}ms because {stall.Describe()}";
        }

        if (Cancellation.IsCancellationRequested)
        {
            return $"the scenario timed out after {Durations.Format(Scenario.Timeout)}";
        }

        if (!Client.HasExited)
        {
            return null;
        }

        var exit = Transcript.Snapshot().OfType<ProcessExited>().LastOrDefault();
        var stderr = Transcript.Snapshot().OfType<ProcessOutput>().Where(o => o.Stream == OutputStream.Stderr).TakeLast(3).Select(o => o.Line);
        var tail = string.Join(" | ", stderr);
        return $"the client process exited with code {exit?.ExitCode} at {exit?.At.TotalMilliseconds:0}ms" + (tail.Length > 0 ? $" (stderr: {tail})" : "");
    }
}
