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
/// beyond doubt elsewhere in the run.
/// </summary>
internal sealed class VerdictBuilder(RuleCatalog catalog, bool strict)
{
    private readonly Dictionary<string, Judgement> _rules = new(StringComparer.Ordinal);

    public IReadOnlyList<RuleVerdict> Build(Scenario scenario, IProtocolModule module, IReadOnlyList<StepOutcome> steps, MonitorContext context)
    {
        foreach (var rule in scenario.Rules)
        {
            Touch(rule);
        }

        foreach (var step in steps.Where(s => s.Status == StepStatus.Failed && s.Message is not null))
        {
            var rule = step.Step.Rule ?? scenario.Rules[0];
            Add(new RuleFinding(rule, Violated: true, $"step {step.Number} ({step.Step.Describe()}, line {step.Step.Mark.Line}): {step.Message}"));
        }

        foreach (var finding in module.Monitors.SelectMany(m => m.Check(context)))
        {
            Add(finding);
        }

        return [.. _rules.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => new RuleVerdict(catalog[r.Key], r.Value.Verdict, r.Value.Messages)
        {
            Evidence = r.Value.Evidence,
            Timing = r.Value.Timing,
            Inconclusive = r.Value.Verdict == Verdict.Error,
        })];
    }

    private Judgement Touch(string rule)
    {
        if (!_rules.TryGetValue(rule, out var judgement))
        {
            _ = catalog[rule];
            _rules[rule] = judgement = new Judgement();
        }

        return judgement;
    }

    private void Add(RuleFinding finding)
    {
        var judgement = Touch(finding.RuleId);
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
