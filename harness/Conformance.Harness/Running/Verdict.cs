using Conformance.Harness.Monitors;
using Conformance.Harness.Rules;
using Conformance.Harness.Scenarios;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Running;

/// <summary>
/// Outcome of a rule or a scenario, in rising order of severity: Warn is a broken SHOULD (Fail under --strict);
/// Error means the harness or the scenario is at fault and is never blamed on the client.
/// </summary>
public enum Verdict
{
    Pass,

    /// <summary>
    /// A scenario not run because it requires a client feature the user did not declare; never a rule's verdict.
    /// Below Warn, so like Pass and Warn it never fails a run (and --strict leaves it alone).
    /// </summary>
    Skipped,

    Warn,
    Fail,
    Error,
}

/// <summary>The verdict on one rule in one run, why, and the frames at fault.</summary>
public sealed record RuleVerdict(Rule Rule, Verdict Verdict, IReadOnlyList<string> Messages)
{
    public IReadOnlyList<TranscriptEntry> Evidence { get; init; } = [];

    public TimingStats? Timing { get; init; }

    /// <summary>Every series of intervals measured for this rule, one per connection: the report's heartbeat chart.</summary>
    public IReadOnlyList<TimingStats> Timings { get; init; } = [];

    /// <summary>The verdict is Error because the harness could not judge (the machine was too busy), not because of a fault of its own.</summary>
    public bool Inconclusive { get; init; }
}

public enum StepStatus
{
    Passed,
    Failed,
    NotRun,
}

/// <summary>What became of one step.</summary>
public sealed record StepOutcome(int Number, Step Step, StepStatus Status, string? Message)
{
    /// <summary>
    /// What the mock did that made a failed step fail (the refusals of the upgrades an expect_connect waited for): when a
    /// monitor reports a broken rule with one of these as evidence, the failure is that rule's, not the step's.
    /// </summary>
    public IReadOnlyList<TranscriptEntry> Causes { get; init; } = [];

    /// <summary>
    /// What the step judged of other rules, whether it passed or failed (an <c>expect_reconnects</c> judges the pace of
    /// the attempts it saw): reported as monitors' findings are.
    /// </summary>
    public IReadOnlyList<RuleFinding> Findings { get; init; } = [];
}

/// <summary>Everything a run produced: verdicts per rule, step outcomes, the transcript and the snapshot check.</summary>
public sealed record ScenarioResult(
    Scenario Scenario,
    Verdict Verdict,
    IReadOnlyList<RuleVerdict> Rules,
    IReadOnlyList<StepOutcome> Steps,
    IReadOnlyList<TranscriptEntry> Transcript,
    IReadOnlyList<string> Errors,
    TimeSpan Duration)
{
    public SnapshotOutcome? Snapshot { get; init; }

    /// <summary>When the harness began stopping the client (transcript time); null when it started none.</summary>
    public TimeSpan? ClientStoppingAt { get; init; }

    /// <summary>How many times the scenario was run again because the machine was too busy to judge it; 0 normally.</summary>
    public int Reruns { get; init; }

    /// <summary>An Error whose only cause is rules the harness could not judge on an overloaded machine.</summary>
    public bool TooBusyToJudge =>
        Verdict == Verdict.Error && Errors.Count == 0 && Rules.Where(r => r.Verdict == Verdict.Error).All(r => r.Inconclusive) &&
        Rules.Any(r => r.Inconclusive);

    /// <summary>Why the scenario was not run, when <see cref="Verdict"/> is Skipped; null otherwise.</summary>
    public string? SkipReason { get; init; }

    /// <summary>The rules that did not pass, worst first.</summary>
    public IEnumerable<RuleVerdict> Broken => Rules.Where(r => r.Verdict != Verdict.Pass).OrderByDescending(r => r.Verdict);

    /// <summary>A readable account of what went wrong, for test failures and reports.</summary>
    public string Explain()
    {
        var lines = new List<string> { $"{Scenario.Id}: {Verdict}" + (Reruns > 0 ? $" (run {Reruns + 1} times: the machine was too busy to judge timing)" : "") };
        if (SkipReason is not null)
        {
            lines.Add("  skipped: " + SkipReason);
        }

        lines.AddRange(Errors.Select(e => "  error: " + e));
        foreach (var rule in Broken)
        {
            lines.Add($"  {rule.Verdict} {rule.Rule.Id} ({rule.Rule.Level.ToString().ToUpperInvariant()}): {rule.Rule.Text}");
            lines.AddRange(rule.Messages.Select(m => "    " + m));
        }

        if (Snapshot is { Matched: false } snapshot)
        {
            lines.Add($"  snapshot differs from {snapshot.VerifiedPath}:");
            lines.Add(snapshot.Diff);
        }

        return string.Join(Environment.NewLine, lines);
    }
}

/// <summary>Result of comparing a run's snapshot with the verified one.</summary>
public sealed record SnapshotOutcome(bool Matched, string VerifiedPath, string? ReceivedPath, string Diff, bool Accepted);
