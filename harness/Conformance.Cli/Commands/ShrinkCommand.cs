using System.CommandLine;
using Conformance.Harness;
using Conformance.Harness.Clients;
using Conformance.Harness.Running;
using Conformance.Harness.Scenarios;

namespace Conformance.Cli.Commands;

/// <summary>
/// <c>conformance shrink --client "&lt;cmd&gt;" --scenario &lt;file&gt; --seed N [--features a,b] [--max-runs 40] [--out file]</c>:
/// runs a chaos scenario with the seed of a failing run, then shrinks its chaos to the fewest events that still break the
/// same rule, and prints the scenario with that schedule. Exit 0 when a schedule was printed, 1 when the run did not fail
/// (or failed without any chaos), 2 for usage or scenario errors.
/// </summary>
internal static class ShrinkCommand
{
    public static Command Create()
    {
        var client = new Option<string>("--client") { Description = "Command that starts the client under test.", Required = true };
        var scenarioPath = new Option<string>("--scenario") { Description = "The chaos scenario file (one chaos step that turns chaos on; chaos: {} steps that turn it off may follow).", Required = true };
        var seed = new Option<int>("--seed") { Description = "The seed the failing run printed.", Required = true };
        var features = new Option<string?>("--features") { Description = "Client features your client has, comma-separated (as for run)." };
        var maxRuns = new Option<int>("--max-runs") { Description = "Most scenario runs to spend (default 40).", DefaultValueFactory = _ => 40 };
        var output = new Option<string?>("--out") { Description = "Write the shrunk scenario here as well as to standard output." };
        var command = new Command("shrink", "Shrink a failing chaos run to the fewest chaos events that still break its rule, printed as a scenario.")
        {
            client, scenarioPath, seed, features, maxRuns, output,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var path = parse.GetValue(scenarioPath)!;
            var (loaded, errors) = ScenarioSource.Load(ScenarioSource.Files([path]), Specs.Default);
            foreach (var error in errors)
            {
                await Console.Error.WriteLineAsync(error.ToString()).ConfigureAwait(false);
            }

            if (errors.Count > 0 || loaded.Count != 1)
            {
                return errors.Count > 0 ? ExitCodes.Usage : Usage("--scenario must name one scenario file");
            }

            var scenario = loaded[0];
            if (ChaosShrinker.Drawing(scenario) != 1)
            {
                return Usage($"{path}: shrinking needs exactly one chaos step that turns chaos on, found {ChaosShrinker.Drawing(scenario)}");
            }

            var declared = ClientFeatures.Parse(parse.GetValue(features) ?? Environment.GetEnvironmentVariable(ClientFeatures.EnvironmentVariable));
            if (ClientFeatures.Check(declared) is { } unknown)
            {
                return Usage($"--features: {unknown}");
            }

            var options = new RunOptions { Seed = parse.GetValue(seed), Features = declared };
            var shrinker = new ChaosShrinker(options, Math.Max(2, parse.GetValue(maxRuns)));
            var result = await shrinker.ShrinkAsync(scenario, new ClientSpec(parse.GetValue(client)!), line => Console.Error.WriteLine("  " + line), cancellation)
                .ConfigureAwait(false);
            if (result.Rule is null)
            {
                await Console.Error.WriteLineAsync($"{scenario.Id} did not break a rule with seed {parse.GetValue(seed)} ({result.First.Verdict}): nothing to shrink").ConfigureAwait(false);
                return ExitCodes.Failed;
            }

            if (result.FailsWithoutChaos)
            {
                await Console.Error.WriteLineAsync($"{scenario.Id} breaks {result.Rule} with no chaos at all: the failure is not chaos's doing").ConfigureAwait(false);
                return ExitCodes.Failed;
            }

            await Console.Error.WriteLineAsync(
                $"{result.Rule}: {result.Original.Count} chaos events shrunk to {result.Schedule.Count} in {result.Runs} runs").ConfigureAwait(false);
            var text = ScheduleWriter.Write(await File.ReadAllTextAsync(path, cancellation).ConfigureAwait(false), result.Schedule);
            await Console.Out.WriteAsync(text).ConfigureAwait(false);
            if (parse.GetValue(output) is { } file)
            {
                await File.WriteAllTextAsync(file, text, cancellation).ConfigureAwait(false);
            }

            return ExitCodes.Passed;
        });
        return command;
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine("conformance: " + message);
        return ExitCodes.Usage;
    }
}
