using System.Diagnostics;
using Conformance.Harness.Clients;
using Conformance.Harness.Protocols;
using Conformance.Harness.Scenarios;
using Conformance.Harness.Snapshots;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Running;

/// <summary>
/// Runs one scenario against one client: starts the protocol's mock on an ephemeral port, starts the client with the
/// contract's environment, carries out the steps until one fails, stops the client's whole process tree and the mock,
/// then judges every rule from the steps and the protocol's monitors.
/// </summary>
public sealed class ScenarioRunner(RunOptions options)
{
    public async Task<ScenarioResult> RunAsync(Scenario scenario, ClientSpec client, CancellationToken cancellation = default)
    {
        var module = ProtocolRegistry.Find(scenario.Protocol)
            ?? throw new ArgumentException($"Unknown protocol '{scenario.Protocol}'.", nameof(scenario));
        if (Requirements.Unmet(scenario, module, options.Features) is { } unmet)
        {
            return Requirements.Skipped(scenario, unmet);
        }

        var clock = Stopwatch.StartNew();
        var transcript = new Transcript();
        var outcomes = new List<StepOutcome>();
        var errors = new List<string>();

        ProtocolMock mock;
        var settings = module.CreateOptions();
        try
        {
            MockOptionBinder.Apply(settings, scenario.Mock.Values);
            mock = await module.StartMockAsync(settings, options.Host(), transcript).ConfigureAwait(false);
            StubRoutes.Install(mock.Host, scenario.Stubs);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException)
        {
            // The scenario asked for a mock that cannot be: an Error, and the client is never started.
            errors.Add($"the {module.Id} mock could not start: {ex.Message}");
            return new ScenarioResult(scenario, Verdict.Error, [], [], transcript.Snapshot(), errors, clock.Elapsed);
        }

        ClientProcess? process = null;
        try
        {
            process = ClientProcess.Start(client, Environment(scenario, module, mock), transcript, scenario.Withhold);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            timeout.CancelAfter(scenario.Timeout);
            var context = new RunContext(scenario, module, mock, process, timeout.Token);
            await RunStepsAsync(context, outcomes, errors).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellation.IsCancellationRequested)
        {
            errors.Add($"harness: {ex}");
        }
        finally
        {
            await StopAsync(process, mock, errors).ConfigureAwait(false);
        }

        var entries = transcript.Snapshot();
        errors.AddRange(entries.OfType<MockFault>().Select(f => "mock fault: " + f.Detail));
        var rules = new VerdictBuilder(options.Specs.Rules(scenario.Protocol), options.Strict)
            .Build(scenario, module, outcomes, entries, transcript.Now, settings);
        var verdict = errors.Count > 0 ? Verdict.Error : rules.Select(r => r.Verdict).DefaultIfEmpty(Verdict.Pass).Max();
        if (options.Strict && verdict == Verdict.Warn)
        {
            verdict = Verdict.Fail;
        }

        var result = new ScenarioResult(scenario, verdict, rules, outcomes, entries, errors, clock.Elapsed);
        if (options.SnapshotDirectory is { } dir)
        {
            var text = SnapshotRenderer.Render(result, module);
            var snapshot = new SnapshotStore(dir).Verify(scenario.Id, text, options.AcceptSnapshots);
            result = result with { Snapshot = snapshot, Verdict = snapshot.Matched || result.Verdict == Verdict.Error ? result.Verdict : Verdict.Fail };
        }

        return result;
    }

    private static async Task RunStepsAsync(RunContext context, List<StepOutcome> outcomes, List<string> errors)
    {
        var steps = context.Scenario.Steps;
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            context.StepNumber = i + 1;
            context.Transcript.Append(new StepStarted(i + 1, step.Describe()));
            string? failure;
            try
            {
                failure = await StepExecutor.ExecuteAsync(step, context).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (context.Cancellation.IsCancellationRequested)
            {
                failure = null;
                errors.Add($"step {i + 1} ({step.Describe()}, {step.Mark}): the scenario timed out after {Durations.Format(context.Scenario.Timeout)}");
                outcomes.Add(new StepOutcome(i + 1, step, StepStatus.Failed, "timed out"));
                outcomes.AddRange(steps.Skip(i + 1).Select((s, j) => new StepOutcome(i + 2 + j, s, StepStatus.NotRun, null)));
                return;
            }

            outcomes.Add(new StepOutcome(i + 1, step, failure is null ? StepStatus.Passed : StepStatus.Failed, failure));
            if (failure is not null)
            {
                outcomes.AddRange(steps.Skip(i + 1).Select((s, j) => new StepOutcome(i + 2 + j, s, StepStatus.NotRun, null)));
                return;
            }
        }
    }

    private static Dictionary<string, string> Environment(Scenario scenario, IProtocolModule module, ProtocolMock mock)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["CONFORMANCE_URL"] = mock.Urls[scenario.Endpoint ?? module.Endpoints[0]],
            ["CONFORMANCE_HTTP_URL"] = mock.HttpUrl.ToString().TrimEnd('/'),
            ["CONFORMANCE_PROTOCOL"] = module.Id,
            ["CONFORMANCE_SCENARIO"] = scenario.Id,
        };
        foreach (var (name, value) in module.ClientEnvironment(mock))
        {
            environment[name] = value;
        }

        return environment;
    }

    /// <summary>Client first, so its goodbye frames are recorded; then the mock, which releases the port.</summary>
    private static async Task StopAsync(ClientProcess? process, ProtocolMock mock, List<string> errors)
    {
        if (process is not null)
        {
            try
            {
                await process.StopAsync().ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                errors.Add($"harness: the client process {process.ProcessId} could not be stopped");
            }

            await process.DisposeAsync().ConfigureAwait(false);
            var open = mock.Connections.Where(c => c.IsOpen).Select(c => Task.Delay(Timeout.Infinite, c.Closed));
            await Task.WhenAll(open).WaitAsync(TimeSpan.FromSeconds(1)).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }

        try
        {
            await mock.DisposeAsync().ConfigureAwait(false);
        }
        catch (AggregateException)
        {
            // Handler faults are already in the transcript as MockFault entries and make the verdict Error.
        }
    }
}
