using Conformance.Harness.Reports;
using Conformance.Harness.Running;
using Spectre.Console;

namespace Conformance.Cli.Commands;

/// <summary>
/// The table printed after a run, then the explanation of every scenario that did not pass. A client's control
/// characters (ANSI colours in its stderr) are shown escaped, never sent to the user's terminal.
/// </summary>
internal static class Summary
{
    public static void Print(IReadOnlyList<ScenarioResult> results)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Out),
            Ansi = Console.IsOutputRedirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = Console.IsOutputRedirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        });
        if (Console.IsOutputRedirected)
        {
            console.Profile.Width = 160;
        }

        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("scenario").AddColumn("verdict").AddColumn("rules (broken first)").AddColumn(new TableColumn("time").RightAligned());
        foreach (var result in results)
        {
            var rules = result.Broken.Any()
                ? string.Join(", ", result.Broken.Select(r => $"{r.Verdict} {r.Rule.Id}"))
                : $"{result.Rules.Count} passed";
            table.AddRow(
                Markup.Escape(result.Scenario.Id),
                Colour(result.Verdict),
                Markup.Escape(ControlCharacters.Escape(result.Errors.Count > 0 ? "error: " + result.Errors[0].Split('\n')[0] : result.SkipReason ?? rules)),
                $"{result.Duration.TotalSeconds:0.00}s" + (result.Reruns > 0 ? $" ({result.Reruns + 1} runs)" : ""));
        }

        console.Write(table);
        // A skipped scenario's reason is in its row already.
        foreach (var result in results.Where(r => r.Verdict is not (Verdict.Pass or Verdict.Skipped)))
        {
            console.WriteLine();
            console.WriteLine(ControlCharacters.Escape(result.Explain()));
        }

        console.WriteLine();
        console.WriteLine($"{VerdictTally.Line(results)} ({results.Count} scenarios)");
    }

    private static string Colour(Verdict verdict) => verdict switch
    {
        Verdict.Pass => "[green]Pass[/]",
        Verdict.Warn => "[yellow]Warn[/]",
        Verdict.Fail => "[red]Fail[/]",
        Verdict.Skipped => "[grey]Skipped[/]",
        _ => "[magenta]Error[/]",
    };
}
