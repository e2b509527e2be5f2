using System.CommandLine;
using Conformance.Harness;
using Conformance.Harness.Clients;
using Conformance.Harness.Protocols;
using Conformance.Harness.Reports;
using Conformance.Harness.Running;
using Conformance.Harness.Scenarios;
using Conformance.Harness.Stubs;

namespace Conformance.Cli.Commands;

/// <summary>
/// <c>conformance run --client "&lt;cmd&gt;" --protocol &lt;p&gt; [--scenario &lt;file|dir&gt;]... [--features a,b] [--junit f]
/// [--report dir] [--summary file] [--snapshots dir] [--accept] [--parallel n] [--strict] [--seed n] [--shard k/n] [--client-name name]</c>.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var client = new Option<string>("--client") { Description = "Command that starts the client under test ({url} and {http_url} are substituted).", Required = true };
        var protocol = new Option<string?>("--protocol") { Description = "Protocol whose built-in suite runs when no --scenario is given." };
        var scenarios = new Option<string[]>("--scenario") { Description = "Scenario file or folder; repeatable.", AllowMultipleArgumentsPerToken = false };
        var features = new Option<string?>("--features")
        {
            Description = $"Client features your client has, comma-separated (default: {ClientFeatures.EnvironmentVariable}, else none); " +
                "scenarios that require others are skipped. 'conformance list' shows each protocol's features.",
        };
        var junit = new Option<string?>("--junit") { Description = "Write JUnit XML here." };
        var report = new Option<string?>("--report")
        {
            Description = "Write the report into this folder: index.html (open it in a browser), report.md, results.json and a transcript per scenario.",
        };
        var summary = new Option<string?>("--summary")
        {
            Description = "Append the Markdown summary to this file, e.g. \"$GITHUB_STEP_SUMMARY\" in GitHub Actions.",
        };
        var clientName = new Option<string?>("--client-name") { Description = "The client's name in reports (default: the --client command)." };
        var shard = new Option<string?>("--shard")
        {
            Description = "Run part k of n of the suite (k/n, e.g. 1/2): the split depends only on scenario ids; 'conformance merge' joins the reports.",
        };
        var snapshots = new Option<string?>("--snapshots") { Description = "Verify transcripts against <id>.verified.txt snapshots in this folder." };
        var accept = new Option<bool>("--accept") { Description = "Accept the received snapshots as verified." };
        var profile = new Option<string?>("--profile")
        {
            Description = "The protocol profile (dialect) the client speaks, for the mock and its monitors; with no --scenario, runs that " +
                "profile's built-in suite (conformance list shows the profiles). Default: the protocol's first.",
        };
        var parallel = new Option<int>("--parallel") { Description = "Scenarios run at once (default 1).", DefaultValueFactory = _ => 1 };
        var strict = new Option<bool>("--strict") { Description = "Broken SHOULD rules fail instead of warn." };
        var seed = new Option<int?>("--seed")
        {
            Description = "Seed of scripted randomness (udp_faults without their own seed): the same seed replays the same faults. Default: a fresh one, printed.",
        };
        var mappings = new Option<string?>("--mappings")
        {
            Description = "A folder of WireMock mapping files (*.json, WireMock's JSON shape): HTTP stubs every scenario gets after its own.",
        };
        var command = new Command("run", "Run scenarios against a client and report a verdict per rule.")
        {
            client, protocol, scenarios, profile, features, junit, report, summary, snapshots, accept, parallel, strict, seed, shard, clientName, mappings,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var protocolId = parse.GetValue(protocol);
            var paths = parse.GetValue(scenarios) ?? [];
            if (protocolId is not null && ProtocolRegistry.Find(protocolId) is null)
            {
                return Usage($"unknown protocol '{protocolId}' (known: {string.Join(", ", ProtocolRegistry.Ids)})");
            }

            if (protocolId is null && paths.Length == 0)
            {
                return Usage("give --protocol to run its built-in suite, or --scenario files");
            }

            var profileName = parse.GetValue(profile);
            if (profileName is not null && protocolId is null)
            {
                return Usage("--profile needs --protocol: a profile is one protocol's dialect");
            }

            if (profileName is not null && ProtocolRegistry.Find(protocolId!) is { } module && module.FindProfile(profileName) is null)
            {
                return Usage(module.UnknownProfile(profileName));
            }

            if (parse.GetValue(parallel) < 1)
            {
                return Usage("--parallel must be at least 1");
            }

            // --features "" declares none even when CONFORMANCE_FEATURES is set.
            var flagGiven = parse.GetResult(features) is not null;
            var declared = ClientFeatures.Parse(flagGiven ? parse.GetValue(features) : Environment.GetEnvironmentVariable(ClientFeatures.EnvironmentVariable));
            if (ClientFeatures.Check(declared) is { } unknown)
            {
                return Usage($"{(flagGiven ? "--features" : ClientFeatures.EnvironmentVariable)}: {unknown}");
            }

            var files = paths.Length > 0 ? ScenarioSource.Files(paths) : Specs.Default.SuiteFiles(protocolId!, profileName);
            var (loaded, scenarioErrors) = ScenarioSource.Load(files, Specs.Default);
            var (stubs, mappingErrors) = parse.GetValue(mappings) is { } folder ? MappingFiles.Load(folder) : ([], []);
            var errors = scenarioErrors.Concat(mappingErrors).ToList();
            foreach (var error in errors)
            {
                await Console.Error.WriteLineAsync(error.ToString()).ConfigureAwait(false);
            }

            if (errors.Count > 0)
            {
                return ExitCodes.Usage;
            }

            Shard? part = null;
            if (parse.GetValue(shard) is { } shardText && (part = Shard.Parse(shardText, out var shardError)) is null)
            {
                return Usage(shardError!);
            }

            // In the order of their ids, which a shard's split and a merged report keep too.
            var all = loaded.Where(s => protocolId is null || s.Protocol == protocolId).OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
            if (all.Count == 0)
            {
                return Usage("no scenarios to run");
            }

            var selected = part is { } p ? p.Select(all) : all;
            if (part is { } announced)
            {
                await Console.Error.WriteLineAsync($"shard {announced}: {selected.Count} of {all.Count} scenarios").ConfigureAwait(false);
            }

            var runSeed = parse.GetValue(seed) ?? Random.Shared.Next();
            await Console.Error.WriteLineAsync($"seed {runSeed} (replay with --seed {runSeed})").ConfigureAwait(false);
            var options = new RunOptions
            {
                Seed = runSeed,
                Strict = parse.GetValue(strict),
                SnapshotDirectory = parse.GetValue(snapshots),
                AcceptSnapshots = parse.GetValue(accept),
                Features = declared,
                Profile = profileName,
                Mappings = stubs,
            };
            var suite = new SuiteRunner(options, parse.GetValue(parallel));
            IReadOnlyList<ScenarioResult> results;
            using (var progress = Progress.ForConsole(selected.Count))
            {
                suite.Started += progress.Started;
                suite.Completed += progress.Completed;
                results = await suite.RunAsync(selected, new ClientSpec(parse.GetValue(client)!), cancellation).ConfigureAwait(false);
            }

            Summary.Print(results);
            var run = new RunInfo(parse.GetValue(clientName) ?? parse.GetValue(client)!, runSeed, part?.ToString());
            var entries = parse.GetValue(report) is { } reportDir
                ? ReportWriter.Write(reportDir, results, run)
                : [.. results.Select(r => ScenarioReport.From(r, run, null))];
            if (parse.GetValue(junit) is { } junitPath)
            {
                JUnitWriter.Write(junitPath, entries);
            }

            if (parse.GetValue(summary) is { } summaryPath)
            {
                await File.AppendAllTextAsync(summaryPath, ReportWriter.Markdown(entries), cancellation).ConfigureAwait(false);
            }

            // Skipped is the user's declared choice, never a failure, and --strict leaves it alone.
            return results.All(r => r.Verdict is Verdict.Pass or Verdict.Warn or Verdict.Skipped) ? ExitCodes.Passed : ExitCodes.Failed;
        });
        return command;
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine("conformance: " + message);
        return ExitCodes.Usage;
    }
}
