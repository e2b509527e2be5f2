using System.CommandLine;
using Conformance.Harness.Scenarios;

namespace Conformance.Cli.Commands;

/// <summary><c>conformance schema [--write file]</c>: the scenario JSON Schema, generated from the step kinds and the base schema.</summary>
internal static class SchemaCommand
{
    public static Command Create()
    {
        var write = new Option<FileInfo?>("--write") { Description = "Write the schema to this file instead of standard output (e.g. specs/scenario.schema.json)." };
        var command = new Command("schema", "Print the JSON Schema of scenario files (for editors; specs/scenario.schema.json is this output).") { write };
        command.SetAction(parse =>
        {
            var schema = ScenarioSchema.Generate();
            if (parse.GetValue(write) is { } file)
            {
                File.WriteAllText(file.FullName, schema);
            }
            else
            {
                Console.Write(schema);
            }

            return ExitCodes.Passed;
        });
        return command;
    }
}
