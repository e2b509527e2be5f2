using System.CommandLine;
using Conformance.Harness;
using Conformance.Harness.Protocols;
using Conformance.Harness.Scenarios;

namespace Conformance.Cli.Commands;

/// <summary><c>conformance list [--protocol p]</c>: protocols, their rules and built-in scenarios.</summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var protocol = new Option<string?>("--protocol") { Description = "Only this protocol." };
        var command = new Command("list", "List protocols, rules and built-in scenarios.") { protocol };
        command.SetAction(parse =>
        {
            var only = parse.GetValue(protocol);
            if (only is not null && ProtocolRegistry.Find(only) is null)
            {
                Console.Error.WriteLine($"conformance: unknown protocol '{only}' (known: {string.Join(", ", ProtocolRegistry.Ids)})");
                return ExitCodes.Usage;
            }

            foreach (var module in ProtocolRegistry.All.Where(m => only is null || m.Id == only))
            {
                Console.WriteLine($"{module.Id}  endpoints: {string.Join(", ", module.Endpoints)}");
                Console.WriteLine("  rules:");
                foreach (var rule in Specs.Default.Rules(module.Id).All)
                {
                    Console.WriteLine($"    {rule.Id,-36} {rule.Level.ToString().ToUpperInvariant(),-6} {rule.Text}");
                }

                Console.WriteLine("  scenarios:");
                var (scenarios, _) = ScenarioSource.Load(Specs.Default.SuiteFiles(module.Id), Specs.Default);
                foreach (var scenario in scenarios)
                {
                    Console.WriteLine($"    {scenario.Id,-44} {scenario.Title}");
                }
            }

            return ExitCodes.Passed;
        });
        return command;
    }
}
