using Conformance.Harness.Monitors;
using Conformance.Harness.Protocols;
using Conformance.Harness.Rules;
using Conformance.Harness.Scenarios;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Running;

/// <summary>
/// Turns step outcomes and monitor findings into one verdict per rule: a broken MUST fails, a broken SHOULD warns
/// (fails when strict); a rule that was listed or checked and not broken passes.
/// </summary>
internal sealed class VerdictBuilder(RuleCatalog catalog, bool strict)
{
    private readonly Dictionary<string, (Verdict Verdict, List<string> Messages, List<TranscriptEntry> Evidence, TimingStats? Timing)> _rules =
        new(StringComparer.Ordinal);

    public IReadOnlyList<RuleVerdict> Build(
        Scenario scenario, IProtocolModule module, IReadOnlyList<StepOutcome> steps, IReadOnlyList<TranscriptEntry> entries, TimeSpan end,
        object? mockOptions = null)
    {
        foreach (var rule in scenario.Rules)
        {
            Touch(rule);
        }

        foreach (var step in steps.Where(s => s.Status == StepStatus.Failed && s.Message is not null))
        {
            var rule = step.Step.Rule ?? scenario.Rules[0];
            Add(rule, violated: true, $"step {step.Number} ({step.Step.Describe()}, line {step.Step.Mark.Line}): {step.Message}", [], null);
        }

        var context = new MonitorContext(scenario, entries, end) { MockOptions = mockOptions };
        foreach (var finding in module.Monitors.SelectMany(m => m.Check(context)))
        {
            Add(finding.RuleId, finding.Violated, finding.Message, finding.Evidence, finding.Timing);
        }

        return [.. _rules.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => new RuleVerdict(catalog[r.Key], r.Value.Verdict, r.Value.Messages)
        {
            Evidence = r.Value.Evidence,
            Timing = r.Value.Timing,
        })];
    }

    private void Touch(string rule)
    {
        if (!_rules.ContainsKey(rule))
        {
            _ = catalog[rule];
            _rules[rule] = (Verdict.Pass, [], [], null);
        }
    }

    private void Add(string ruleId, bool violated, string message, IReadOnlyList<TranscriptEntry> evidence, TimingStats? timing)
    {
        Touch(ruleId);
        var current = _rules[ruleId];
        var verdict = current.Verdict;
        if (violated)
        {
            var broken = catalog[ruleId].Level == RuleLevel.Must || strict ? Verdict.Fail : Verdict.Warn;
            verdict = (Verdict)Math.Max((int)verdict, (int)broken);
        }

        current.Messages.Add((violated ? "" : "ok: ") + message);
        current.Evidence.AddRange(evidence);
        _rules[ruleId] = (verdict, current.Messages, current.Evidence, violated || current.Timing is null ? timing ?? current.Timing : current.Timing);
    }
}
