using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Conformance.Harness.Clients;
using Conformance.Harness.Monitors;
using Conformance.Harness.Protocols;
using Conformance.Harness.Scenarios;
using Conformance.Harness.Snapshots;
using Conformance.Harness.Stubs;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Running;

/// <summary>
/// Runs one scenario against one client: starts the protocol's mock on an ephemeral port, starts the client with the
/// contract's environment, carries out the steps until one fails, stops the client's whole process tree and the mock,
/// then judges every rule from the steps and the protocol's monitors. An exception anywhere after the steps (stopping,
/// judging, the snapshot) makes that scenario an Error with the exception in its errors; it never escapes to the suite.
/// </summary>
public sealed class ScenarioRunner(RunOptions options)
{
    // Re-runs wait for one another, so a scenario the machine was too busy to judge is tried again with less company.
    private static readonly SemaphoreSlim RerunGate = new(1, 1);

    /// <summary>
    /// Runs the scenario; when the only thing wrong is that the machine was too busy to judge timing, runs it again
    /// (up to <see cref="RunOptions.RerunsWhenTooBusy"/> times, one re-run in the process at a time), then checks the
    /// snapshot of the run that counts.
    /// </summary>
    public async Task<ScenarioResult> RunAsync(Scenario scenario, ClientSpec client, CancellationToken cancellation = default)
    {
        var module = options.Specs.Protocol(scenario.Protocol)
            ?? throw new ArgumentException($"Unknown protocol '{scenario.Protocol}'.", nameof(scenario));
        if (Requirements.Unmet(scenario, module, options.Features) is { } unmet)
        {
            return Requirements.Skipped(scenario, unmet);
        }

        var (profile, otherDialect) = Requirements.Profile(scenario, module, options.Profile);
        if (profile is null)
        {
            return Requirements.Skipped(scenario, otherDialect!);
        }

        var result = await RunOnceAsync(scenario, module, profile, client, cancellation).ConfigureAwait(false);
        for (var rerun = 1; rerun <= options.RerunsWhenTooBusy && result.TooBusyToJudge; rerun++)
        {
            await RerunGate.WaitAsync(cancellation).ConfigureAwait(false);
            try
            {
                var first = result;
                result = await RunOnceAsync(scenario, module, profile, client, cancellation).ConfigureAwait(false);
                result = result with { Reruns = rerun, Duration = first.Duration + result.Duration };
            }
            finally
            {
                RerunGate.Release();
            }
        }

        if (options.SnapshotDirectory is { } dir)
        {
            try
            {
                var text = SnapshotRenderer.Render(result, module);
                // A scenario run under a profile other than the one it was written for has a snapshot of its own.
                var name = scenario.Profile is null && profile != module.Default() ? $"{scenario.Id}@{profile.Name}" : scenario.Id;
                var snapshot = new SnapshotStore(dir).Verify(name, text, options.AcceptSnapshots);
                result = result with { Snapshot = snapshot, Verdict = snapshot.Matched || result.Verdict == Verdict.Error ? result.Verdict : Verdict.Fail };
            }
            catch (Exception ex)
            {
                result = result with { Verdict = Verdict.Error, Errors = [.. result.Errors, $"harness: the snapshot could not be rendered or verified: {ex}"] };
            }
        }

        return result;
    }

    private async Task<ScenarioResult> RunOnceAsync(
        Scenario scenario, IProtocolModule module, ProtocolProfile profile, ClientSpec client, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        using var probe = LoadProbe.Shared.Lease();
        var transcript = new Transcript();
        // Transcript times are offsets from here on the Stopwatch clock, which is the clock the load probe stamps with.
        var origin = Stopwatch.GetTimestamp() - Ticks(transcript.Now);
        var outcomes = new List<StepOutcome>();
        var errors = new List<string>();

        ProtocolMock mock;
        var captures = new ConcurrentDictionary<string, JsonNode?>(StringComparer.Ordinal);
        var settings = module.CreateOptions();
        try
        {
            // The profile's options first: the scenario's own mock: settings refine the dialect it runs under.
            MockOptionBinder.Apply(settings, profile.Settings);
            MockOptionBinder.Apply(settings, scenario.Mock.Values);
            var host = options.Host();
            host.Scripted = scenario.Scripted;
            mock = await module.StartMockAsync(settings, host, transcript).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException)
        {
            // The scenario asked for a mock that cannot be: an Error, and the client is never started.
            errors.Add($"the {module.Id} mock could not start: {ex.Message}");
            return new ScenarioResult(scenario, Verdict.Error, [], [], transcript.Snapshot(), errors, clock.Elapsed);
        }

        IClientUnderTest? process = null;
        TimeSpan? stoppingAt = null;
        StubServer? stubs = null;
        try
        {
            if (scenario.Stubs.Count + options.Mappings.Count > 0)
            {
                stubs = await StubServer.StartAsync([.. scenario.Stubs, .. options.Mappings], captures).ConfigureAwait(false);
                stubs.Install(mock.Host);
            }

            var environment = Environment(scenario, module, mock);
            IClientUnderTest Start() => process = client.InProcess is null
                ? ClientProcess.Start(client, environment, transcript, scenario.Withhold)
                : InProcessClient.Start(client, environment.Where(e => !scenario.Withhold.Contains(e.Key)).ToDictionary(StringComparer.Ordinal), transcript);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            timeout.CancelAfter(scenario.Timeout);
            var run = new RunContext(scenario, module, mock, NotStartedClient.Instance, timeout.Token)
            {
                Seed = options.Seed ?? Random.Shared.Next(),
                Captures = captures,
                Load = (from, to) => LoadProbe.Shared.Read(origin + Ticks(from), origin + Ticks(to)),
            };
            await RunStepsAsync(run, Start, outcomes, errors).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellation.IsCancellationRequested)
        {
            errors.Add($"harness: {ex}");
        }
        finally
        {
            stoppingAt = transcript.Now;
            try
            {
                await StopAsync(process, mock, errors).ConfigureAwait(false);
                stubs?.Dispose();
            }
            catch (Exception ex)
            {
                errors.Add($"harness: stopping the client or the mock failed: {ex}");
            }
        }

        var entries = transcript.Snapshot();
        errors.AddRange(entries.OfType<MockFault>().Select(f => "mock fault: " + f.Detail));
        var context = new MonitorContext(scenario, entries, transcript.Now)
        {
            MockOptions = settings,
            ClientStoppingAt = process is null ? null : stoppingAt,
            Load = (from, to) => LoadProbe.Shared.Read(origin + Ticks(from), origin + Ticks(to)),
        };
        IReadOnlyList<RuleVerdict> rules = [];
        try
        {
            var builder = new VerdictBuilder(options.Specs.Rules(scenario.Protocol), options.Strict);
            rules = builder.Build(scenario, module, outcomes, context);
            errors.AddRange(builder.Errors);
        }
        catch (Exception ex)
        {
            errors.Add($"harness: judging the run failed: {ex}");
        }

        var verdict = errors.Count > 0 ? Verdict.Error : rules.Select(r => r.Verdict).DefaultIfEmpty(Verdict.Pass).Max();
        if (options.Strict && verdict == Verdict.Warn)
        {
            verdict = Verdict.Fail;
        }

        return new ScenarioResult(scenario, verdict, rules, outcomes, entries, errors, clock.Elapsed) { ClientStoppingAt = context.ClientStoppingAt };
    }

    private static long Ticks(TimeSpan at) => (long)(at.TotalSeconds * Stopwatch.Frequency);

    /// <summary>
    /// Carries out the steps in order, starting the client just before the first step that needs it: leading steps that
    /// prepare the mock (a refusal, UDP faults) are in place before the client can connect.
    /// </summary>
    private static async Task RunStepsAsync(RunContext context, Func<IClientUnderTest> startClient, List<StepOutcome> outcomes, List<string> errors)
    {
        var steps = context.Scenario.Steps;
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            if (context.Client is NotStartedClient && !StepKinds.Of(step).RunsBeforeClient)
            {
                context.Client = startClient();
            }

            context.StepNumber = i + 1;
            context.StepStartedAt = context.Transcript.Append(new StepStarted(i + 1, step.Describe())).At;
            var guards = context.Guards.ToList();
            context.FailureCauses.Clear();
            context.StepFindings.Clear();
            string? failure;
            try
            {
                failure = await StepKinds.Of(step).RunAsync(step, context).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (context.Cancellation.IsCancellationRequested)
            {
                errors.Add($"step {i + 1} ({step.Describe()}, {step.Mark}): the scenario timed out after {Durations.Format(context.Scenario.Timeout)}");
                outcomes.Add(new StepOutcome(i + 1, step, StepStatus.Failed, "timed out"));
                outcomes.AddRange(steps.Skip(i + 1).Select((s, j) => new StepOutcome(i + 2 + j, s, StepStatus.NotRun, null)));
                return;
            }

            outcomes.Add(new StepOutcome(i + 1, step, failure is null ? StepStatus.Passed : StepStatus.Failed, failure)
            {
                Causes = failure is null ? [] : [.. context.FailureCauses],
                Findings = [.. context.StepFindings],
            });

            // An expect_none without 'for' watched this step; it is judged now that the step is over.
            foreach (var guard in guards)
            {
                context.Guards.Remove(guard);
                var broken = context.Transcript.Snapshot().Skip(guard.From).OfType<FrameRecorded>().FirstOrDefault(guard.Matcher.Matches);
                if (broken is not null)
                {
                    var at = outcomes.FindIndex(o => o.Number == guard.Step);
                    outcomes[at] = outcomes[at] with { Status = StepStatus.Failed, Message = ExpectNoneKind.Forbidden(guard.Expectation, broken) };
                    failure ??= outcomes[at].Message;
                }
            }

            if (failure is not null)
            {
                outcomes.AddRange(steps.Skip(i + 1).Select((s, j) => new StepOutcome(i + 2 + j, s, StepStatus.NotRun, null)));
                return;
            }
        }

        if (context.Client is NotStartedClient)
        {
            context.Client = startClient();
        }

        // A guard on the last step watches until the script ends.
        foreach (var guard in context.Guards)
        {
            var broken = context.Transcript.Snapshot().Skip(guard.From).OfType<FrameRecorded>().FirstOrDefault(guard.Matcher.Matches);
            if (broken is not null)
            {
                var at = outcomes.FindIndex(o => o.Number == guard.Step);
                outcomes[at] = outcomes[at] with { Status = StepStatus.Failed, Message = ExpectNoneKind.Forbidden(guard.Expectation, broken) };
            }
        }
    }

    /// <summary>
    /// The client contract's variables: each UDP endpoint as <c>CONFORMANCE_&lt;ENDPOINT&gt;_URL</c> first, so that the
    /// engine's own variables and then the protocol's win should a UDP endpoint's name spell one of theirs.
    /// </summary>
    internal static Dictionary<string, string> Environment(Scenario scenario, IProtocolModule module, ProtocolMock mock)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var udp in mock.Host.UdpSockets)
        {
            environment[ClientVariables.EndpointUrl(udp.Name)] = udp.Url;
        }

        environment["CONFORMANCE_URL"] = mock.Urls[scenario.Endpoint ?? module.Endpoints[0]];
        environment["CONFORMANCE_HTTP_URL"] = mock.HttpUrl.ToString().TrimEnd('/');
        environment["CONFORMANCE_PROTOCOL"] = module.Id;
        environment["CONFORMANCE_SCENARIO"] = scenario.Id;
        foreach (var (name, value) in module.ClientEnvironment(mock))
        {
            environment[name] = value;
        }

        return environment;
    }

    /// <summary>Client first, so its goodbye frames are recorded; then the mock, which releases the port.</summary>
    private static async Task StopAsync(IClientUnderTest? process, ProtocolMock mock, List<string> errors)
    {
        if (process is not null)
        {
            try
            {
                await process.StopAsync().ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                errors.Add($"harness: the client ({process.Name}) could not be stopped");
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
