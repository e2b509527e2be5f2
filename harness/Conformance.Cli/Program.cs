using System.CommandLine;
using Conformance.Cli.Commands;

namespace Conformance.Cli;

/// <summary>
/// <c>conformance</c>: run scenarios against a client, serve a mock by hand, validate and list scenarios, print the scenario schema.
/// Exit codes: 0 all passed, 1 a scenario failed, 2 usage, configuration or scenario-file error (nothing run).
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var parse = Root().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync("conformance: " + error.Message).ConfigureAwait(false);
            }

            await Console.Error.WriteLineAsync("Run 'conformance --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync().ConfigureAwait(false);
    }

    /// <summary>Every command and option of <c>conformance</c> (and <c>--version</c>, <c>--help</c>).</summary>
    public static RootCommand Root() => new("Protocol conformance harness and scriptable mock servers for realtime clients.")
    {
        RunCommand.Create(),
        ServeCommand.Create(),
        ValidateCommand.Create(),
        ListCommand.Create(),
        SchemaCommand.Create(),
        ShrinkCommand.Create(),
        MergeCommand.Create(),
        RecordCommand.Create(),
    };
}

/// <summary>The exit codes other tools rely on.</summary>
public static class ExitCodes
{
    public const int Passed = 0;
    public const int Failed = 1;
    public const int Usage = 2;
}
