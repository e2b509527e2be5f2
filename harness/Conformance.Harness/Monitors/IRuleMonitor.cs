using Conformance.Harness.Scenarios;
using Conformance.Mocks.Transcripts;

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
}

/// <summary>A monitor's judgement of one rule. <see cref="Evidence"/> are the frames at fault, with their times.</summary>
public sealed record RuleFinding(string RuleId, bool Violated, string Message)
{
    public IReadOnlyList<TranscriptEntry> Evidence { get; init; } = [];

    public TimingStats? Timing { get; init; }
}
