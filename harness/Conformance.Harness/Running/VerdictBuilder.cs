using Conformance.Harness.Monitors;
using Conformance.Harness.Protocols;
using Conformance.Harness.Rules;
using Conformance.Harness.Scenarios;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Running;

/// <summary>
/// Turns step outcomes and monitor findings into one verdict per rule: a broken MUST fails, a broken SHOULD (or an
/// advisory finding) warns, both fail when strict; a rule that was listed or checked and not broken passes. A
/// violation the harness could not judge (an inconclusive finding) makes the rule an Error, unless the rule is broken
/// beyond doubt elsewhere in the run. A monitor that throws, or a rule the catalogue does not list, is the harness's
/// fault: it goes into <see cref="Errors"/> (the scenario is then an Error) and every other rule is still judged.
/// </summary>
internal sealed class VerdictBuilder(RuleCatalog catalog, bool strict)
{
    private readonly Dictionary<string, Judgement> _rules = new(StringComparer.Ordinal);
    private readonly List<string> _errors = [];

    /// <summary>What kept the builder from judging part of the run; each makes the scenario an Error.</summary>
    public IReadOnlyList<string> Errors => _errors;

    public IReadOnlyList<RuleVerdict> Build(Scenario scenario, IProtocolModule module, IReadOnlyList<StepOutcome> steps, MonitorContext context)
    {
        foreach (var rule in scenario.Rules)
        {
            Touch(rule, $"scenario {scenario.Id} lists");
        }

        var monitored = new List<(string Monitor, RuleFinding Finding)>();
        foreach (var monitor in module.Monitors)
        {
            var name = monitor.GetType().Name;
            try
            {
                // Whole or not at all: a monitor that throws halfway has judged nothing.
                var findings = monitor.Check(context).ToList();
                monitored.AddRange(findings.Select(f => (name, f)));
            }
            catch (Exception ex)
            {
                _errors.Add($"harness: monitor {name} failed: {ex}");
            }
        }

        foreach (var step in steps.Where(s => s.Status == StepStatus.Failed && s.Message is not null))
        {
            var message = $"step {step.Number} ({step.Step.Describe()}, line {step.Step.Mark.Line}): {step.Message}";
            if (CausedBy(step, monitored.Select(m => m.Finding)) is { } cause)
            {
                Add(new RuleFinding(cause, Violated: true, message), $"step {step.Number} reported");
                continue;
            }

            Add(new RuleFinding(step.Step.Rule ?? scenario.Rules[0], Violated: true, message), $"step {step.Number} reported");
        }

        foreach (var step in steps)
        {
            foreach (var finding in step.Findings)
            {
                Add(finding, $"step {step.Number} reported");
            }
        }

        foreach (var (monitor, finding) in monitored)
        {
            Add(finding, $"monitor {monitor} reported");
        }

        return [.. _rules.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => new RuleVerdict(catalog[r.Key], r.Value.Verdict, r.Value.Messages)
        {
            Evidence = r.Value.Evidence,
            Timing = r.Value.Timing,
            Timings = r.Value.Timings,
            Inconclusive = r.Value.Verdict == Verdict.Error,
        })];
    }

    /// <summary>
    /// The rule a monitor found broken, beyond doubt, by what made <paramref name="step"/> fail (an upgrade refused for a
    /// missing password or query): the step failed because of that rule, so the failure is that rule's.
    /// </summary>
    private static string? CausedBy(StepOutcome step, IEnumerable<RuleFinding> findings)
    {
        if (step.Causes.Count == 0)
        {
            return null;
        }

        var causes = step.Causes.Select(c => c.Index).ToHashSet();
        return findings.FirstOrDefault(f => f.Violated && !f.Advisory && !f.Inconclusive && f.Evidence.Any(e => causes.Contains(e.Index)))?.RuleId;
    }

    /// <summary>The judgement of a rule, or null (and an error naming <paramref name="who"/>) when the catalogue does not list it.</summary>
    private Judgement? Touch(string rule, string who)
    {
        if (_rules.TryGetValue(rule, out var judgement))
        {
            return judgement;
        }

        if (!catalog.TryGet(rule, out _))
        {
            var error = $"harness: {who} rule '{rule}', which specs/{catalog.Protocol}/rules.yaml does not list";
            if (!_errors.Contains(error))
            {
                _errors.Add(error);
            }

            return null;
        }

        return _rules[rule] = new Judgement();
    }

    private void Add(RuleFinding finding, string who)
    {
        if (Touch(finding.RuleId, who) is not { } judgement)
        {
            return;
        }

        if (finding.Violated && finding.Inconclusive)
        {
            judgement.Inconclusive = true;
        }
        else if (finding.Violated)
        {
            var broken = strict ? Verdict.Fail : finding.Advisory || catalog[finding.RuleId].Level != RuleLevel.Must ? Verdict.Warn : Verdict.Fail;
            judgement.Broken = judgement.Broken is { } worst && worst > broken ? worst : broken;
        }

        judgement.Messages.Add((finding.Violated ? finding.Inconclusive ? "inconclusive: " : "" : "ok: ") + finding.Message);
        judgement.Evidence.AddRange(finding.Evidence);
        if (finding.Timing is not null && !judgement.Timings.Contains(finding.Timing))
        {
            judgement.Timings.Add(finding.Timing);
        }

        if (finding.Timing is not null && (finding.Violated || judgement.Timing is null))
        {
            judgement.Timing = finding.Timing;
        }
    }

    private sealed class Judgement
    {
        public Verdict? Broken { get; set; }

        public bool Inconclusive { get; set; }

        public List<string> Messages { get; } = [];

        public List<TranscriptEntry> Evidence { get; } = [];

        public TimingStats? Timing { get; set; }

        /// <summary>Every distinct series the findings measured (one per connection), in the order they came.</summary>
        public List<TimingStats> Timings { get; } = [];

        /// <summary>A certain failure stands; doubt alone is the harness's Error; else the worst warning, or Pass.</summary>
        public Verdict Verdict => Broken == Verdict.Fail ? Verdict.Fail : Inconclusive ? Verdict.Error : Broken ?? Verdict.Pass;
    }
}
