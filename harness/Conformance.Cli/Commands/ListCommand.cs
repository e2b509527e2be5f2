using System.CommandLine;
using Conformance.Harness;
using Conformance.Harness.Protocols;
using Conformance.Harness.Scenarios;

namespace Conformance.Cli.Commands;

/// <summary><c>conformance list [--protocol p]</c>: protocols, their rules, client features, profiles, mock options and built-in scenarios.</summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var protocol = new Option<string?>("--protocol") { Description = "Only this protocol." };
        var command = new Command("list", "List protocols, rules, client features, profiles, mock options and built-in scenarios.") { protocol };
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

                Console.WriteLine("  client features (declare yours with --features a,b):" + (module.Features.Count == 0 ? " none" : ""));
                foreach (var feature in module.Features)
                {
                    Console.WriteLine($"    {feature.Name,-36} {feature.Description}");
                }

                Console.WriteLine("  mock options (scenario 'mock:' keys):");
                var options = MockOptionBinder.Schema(module.OptionsType, module.CreateOptions());
                foreach (var (name, option) in options)
                {
                    Console.WriteLine($"    {name,-36} {option?["description"]}");
                }

                Console.WriteLine("  profiles (dialects; pick one with --profile, or profile: in a scenario):");
                foreach (var profile in module.Profiles)
                {
                    var sets = profile.Options.Count == 0 ? "the default" : "sets " + string.Join(", ", profile.Options.Select(o => $"{o.Key}: {o.Value}"));
                    var suite = Specs.Default.SuiteFiles(module.Id, profile.Name).Count;
                    Console.WriteLine($"    {profile.Name,-36} {profile.Summary}");
                    Console.WriteLine($"    {"",-36} source: {profile.Source}");
                    Console.WriteLine($"    {"",-36} {sets}; {suite} built-in scenario{(suite == 1 ? "" : "s")}");
                }

                if (module.DatagramMatchers.Count > 0)
                {
                    Console.WriteLine("  datagram checks (expect_datagram 'match:'):");
                    foreach (var check in module.DatagramMatchers)
                    {
                        Console.WriteLine($"    {check.Name,-36} {check.Description}");
                    }
                }

                Console.WriteLine("  scenarios:");
                var files = module.Profiles.SelectMany(p => Specs.Default.SuiteFiles(module.Id, p.Name)).Distinct().ToList();
                var (scenarios, _) = ScenarioSource.Load(files, Specs.Default);
                foreach (var scenario in scenarios)
                {
                    var requires = scenario.Requires.Count == 0 ? "" : $" (requires {string.Join(", ", scenario.Requires)})";
                    var pinned = scenario.Profile is null ? "" : $" (profile {scenario.Profile})";
                    Console.WriteLine($"    {scenario.Id,-44} {scenario.Title}{pinned}{requires}");
                }
            }

            return ExitCodes.Passed;
        });
        return command;
    }
}
