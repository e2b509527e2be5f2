using System.Diagnostics;
using Conformance.Harness.Clients;
using Conformance.Harness.Scenarios;

namespace Conformance.Harness.Running;

/// <summary>
/// Runs many scenarios against one client, <paramref name="parallel"/> at a time, each on its own mock and port. A
/// scenario whose run throws is an Error with the exception; the others go on.
/// </summary>
public sealed class SuiteRunner(RunOptions options, int parallel = 1)
{
    /// <summary>Raised as each scenario starts (from any thread), for progress output.</summary>
    public event Action<Scenario>? Started;

    /// <summary>Raised as each scenario finishes (from any thread), for progress output.</summary>
    public event Action<ScenarioResult>? Completed;

    public async Task<IReadOnlyList<ScenarioResult>> RunAsync(
        IReadOnlyList<Scenario> scenarios, ClientSpec client, CancellationToken cancellation = default)
    {
        var results = new ScenarioResult[scenarios.Count];
        var runner = new ScenarioRunner(options);
        await Parallel.ForEachAsync(
            Enumerable.Range(0, scenarios.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallel), CancellationToken = cancellation },
            async (i, token) =>
            {
                Started?.Invoke(scenarios[i]);
                results[i] = await RunOneAsync(runner, scenarios[i], client, token).ConfigureAwait(false);
                Completed?.Invoke(results[i]);
            }).ConfigureAwait(false);
        return results;
    }

    private static async Task<ScenarioResult> RunOneAsync(ScenarioRunner runner, Scenario scenario, ClientSpec client, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            return await runner.RunAsync(scenario, client, cancellation).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellation.IsCancellationRequested)
        {
            return new ScenarioResult(scenario, Verdict.Error, [], [], [], [$"harness: {ex}"], clock.Elapsed);
        }
    }
}
