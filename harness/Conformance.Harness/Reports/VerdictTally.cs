using Conformance.Harness.Running;

namespace Conformance.Harness.Reports;

/// <summary>The one-line count of scenario verdicts that ends the CLI summary and heads every report.</summary>
public static class VerdictTally
{
    /// <summary><c>N passed, N warned, N failed, N errors, N skipped</c>.</summary>
    public static string Line(IEnumerable<Verdict> verdicts)
    {
        var all = verdicts.ToList();
        int Count(Verdict verdict) => all.Count(v => v == verdict);
        return $"{Count(Verdict.Pass)} passed, {Count(Verdict.Warn)} warned, {Count(Verdict.Fail)} failed, {Count(Verdict.Error)} errors, {Count(Verdict.Skipped)} skipped";
    }

    public static string Line(IEnumerable<ScenarioResult> results) => Line(results.Select(r => r.Verdict));

    public static string Line(IEnumerable<ScenarioReport> entries) => Line(entries.Select(e => e.Verdict));
}
