using Conformance.Harness.Clients;
using Conformance.Harness.Scenarios;

namespace Conformance.Harness.Running;

/// <summary>Runs many scenarios against one client, <paramref name="parallel"/> at a time, each on its own mock and port.</summary>
public sealed class SuiteRunner(RunOptions options, int parallel = 1)
{
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
                results[i] = await runner.RunAsync(scenarios[i], client, token).ConfigureAwait(false);
                Completed?.Invoke(results[i]);
            }).ConfigureAwait(false);
        return results;
    }
}
