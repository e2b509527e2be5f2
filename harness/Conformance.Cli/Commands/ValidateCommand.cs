using System.CommandLine;
using Conformance.Harness;
using Conformance.Harness.Scenarios;

namespace Conformance.Cli.Commands;

/// <summary><c>conformance validate &lt;file|dir&gt;...</c>: exit 0, or 2 with one <c>path:line:col: message</c> line per problem.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Scenario files or folders.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("validate", "Check scenario files and print path:line:col: message for each problem.") { paths };
        command.SetAction(parse =>
        {
            var files = ScenarioSource.Files(parse.GetValue(paths)!);
            var (scenarios, errors) = ScenarioSource.Load(files, Specs.Default);
            foreach (var error in errors)
            {
                Console.Error.WriteLine(error);
            }

            if (errors.Count > 0)
            {
                return ExitCodes.Usage;
            }

            Console.WriteLine($"{scenarios.Count} scenario file(s) valid");
            return ExitCodes.Passed;
        });
        return command;
    }
}
