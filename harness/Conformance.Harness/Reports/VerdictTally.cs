using Conformance.Harness.Running;

namespace Conformance.Harness.Reports;

/// <summary>The one-line count of scenario verdicts that ends the CLI summary and heads <c>report.md</c>.</summary>
public static class VerdictTally
{
    /// <summary><c>N passed, N warned, N failed, N errors, N skipped</c>.</summary>
    public static string Line(IReadOnlyCollection<ScenarioResult> results) =>
        $"{Count(results, Verdict.Pass)} passed, {Count(results, Verdict.Warn)} warned, {Count(results, Verdict.Fail)} failed, " +
        $"{Count(results, Verdict.Error)} errors, {Count(results, Verdict.Skipped)} skipped";

    private static int Count(IEnumerable<ScenarioResult> results, Verdict verdict) => results.Count(r => r.Verdict == verdict);
}
