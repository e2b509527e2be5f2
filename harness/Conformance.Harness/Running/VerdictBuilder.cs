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

        foreach (var step in steps.Where(s => s.Status == StepStatus.Failed && s.Message is not null))
        {
            var rule = step.Step.Rule ?? scenario.Rules[0];
            Add(new RuleFinding(rule, Violated: true, $"step {step.Number} ({step.Step.Describe()}, line {step.Step.Mark.Line}): {step.Message}"), $"step {step.Number} reported");
        }

        foreach (var monitor in module.Monitors)
        {
            var name = monitor.GetType().Name;
            List<RuleFinding> findings;
            try
            {
                findings = [.. monitor.Check(context)];
            }
            catch (Exception ex)
            {
                _errors.Add($"harness: monitor {name} failed: {ex}");
                continue;
            }

            foreach (var finding in findings)
            {
                Add(finding, $"monitor {name} reported");
            }
        }

        return [.. _rules.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => new RuleVerdict(catalog[r.Key], r.Value.Verdict, r.Value.Messages)
        {
            Evidence = r.Value.Evidence,
            Timing = r.Value.Timing,
            Inconclusive = r.Value.Verdict == Verdict.Error,
        })];
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

        /// <summary>A certain failure stands; doubt alone is the harness's Error; else the worst warning, or Pass.</summary>
        public Verdict Verdict => Broken == Verdict.Fail ? Verdict.Fail : Inconclusive ? Verdict.Error : Broken ?? Verdict.Pass;
    }
}
