using Conformance.Harness.Scenarios;
using Conformance.Mocks.Transcripts;
using Conformance.Mocks.Wire;

namespace Conformance.Harness.Monitors;

/// <summary>
/// Checks rules on the frames of every run, whatever the scenario's steps. A monitor reports each rule it could
/// judge: violated with evidence, or checked (so timing figures reach the report even when they pass).
/// </summary>
public interface IRuleMonitor
{
    IEnumerable<RuleFinding> Check(MonitorContext context);
}

/// <summary>What a monitor sees: the scenario and the whole transcript, with the time the run ended.</summary>
public sealed record MonitorContext(Scenario Scenario, IReadOnlyList<TranscriptEntry> Entries, TimeSpan End)
{
    /// <summary>The mock's options for this run (the protocol's option type), for limits such as deadlines.</summary>
    public object? MockOptions { get; init; }

    /// <summary>
    /// When the harness began stopping the client (transcript time), if it did: what the client does or fails to do
    /// after that moment (a beat it no longer sends) is not judged.
    /// </summary>
    public TimeSpan? ClientStoppingAt { get; init; }

    /// <summary>
    /// How busy the machine was between two transcript times, or null where nobody watched (unit tests, replays).
    /// Timing monitors ask it before blaming a client for lateness.
    /// </summary>
    public Func<TimeSpan, TimeSpan, LoadReading?> Load { get; init; } = static (_, _) => null;

    /// <summary>The end of what is judged on a connection that closed at <paramref name="closedAt"/> (or stayed open).</summary>
    public TimeSpan JudgedUntil(TimeSpan? closedAt)
    {
        var end = closedAt ?? End;
        return ClientStoppingAt is { } stopping && stopping < end ? stopping : end;
    }

    /// <summary>
    /// The end of what is judged on <paramref name="connection"/>: its close, or the moment the mock stopped reading it
    /// (a half-open fault: what the client sent after that was never read, so its absence proves nothing), whichever
    /// came first.
    /// </summary>
    public TimeSpan ReadUntil(int connection)
    {
        var closed = Entries.OfType<ConnectionClosed>().FirstOrDefault(c => c.Connection == connection)?.At;
        var frozen = Entries.OfType<WireFaultSent>().FirstOrDefault(f => f.Connection == connection && f.Fault == HalfOpenFault.FaultName)?.At;
        return JudgedUntil(frozen is { } f && (closed is null || f < closed) ? f : closed);
    }
}

/// <summary>A monitor's judgement of one rule. <see cref="Evidence"/> are the frames at fault, with their times.</summary>
public sealed record RuleFinding(string RuleId, bool Violated, string Message)
{
    public IReadOnlyList<TranscriptEntry> Evidence { get; init; } = [];

    public TimingStats? Timing { get; init; }

    /// <summary>
    /// A violation the document's own words make a recommendation even under a MUST rule (a heartbeat period somewhat
    /// shorter than advertised): reported as Warn, Fail under --strict.
    /// </summary>
    public bool Advisory { get; init; }

    /// <summary>
    /// The harness could not judge this violation fairly (the machine was too busy to time the client): reported as
    /// Error, never blamed on the client, unless the same rule is broken beyond doubt elsewhere in the run.
    /// </summary>
    public bool Inconclusive { get; init; }
}
