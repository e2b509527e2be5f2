using Conformance.Cli.Commands;
using Conformance.Harness.Running;

namespace Conformance.Harness.Tests.Cli;

/// <summary>
/// Progress on long runs: a status line redrawn in place on a terminal, plain lines only in CI logs and pipes.
/// </summary>
public sealed class ProgressTests
{
    [Test]
    public void Plain_ScenariosFinish_OneLinePerScenarioWithTheCountAndNoTerminalCodes()
    {
        // Given plain progress (not a terminal, or CI set) over three scenarios
        using var output = new StringWriter();
        using (var progress = new Progress(output, live: false, total: 3))
        {
            // When two start and one finishes
            var a = Reports.ReportMergeTests.Result("listenmoe/test/a", Verdict.Pass);
            progress.Started(a.Scenario);
            progress.Started(Reports.ReportMergeTests.Result("listenmoe/test/b", Verdict.Pass).Scenario);
            progress.Completed(a);
        }

        // Then there is one line, counted, and nothing a log would show as garbage
        Assert.That(output.ToString(), Is.EqualTo("  [1/3] Pass    listenmoe/test/a (0.12s)\n"));
    }

    [Test]
    public void Live_ScenariosRunning_StatusLineCountsDoneRunningAndLeftAndIsClearedAtTheEnd()
    {
        // Given live progress over three scenarios
        using var output = new StringWriter();
        var progress = new Progress(output, live: true, total: 3);
        var a = Reports.ReportMergeTests.Result("listenmoe/test/a", Verdict.Fail);

        // When two start and one finishes
        progress.Started(a.Scenario);
        progress.Started(Reports.ReportMergeTests.Result("listenmoe/test/b", Verdict.Pass).Scenario);
        progress.Completed(a);
        var status = progress.Status();
        progress.Dispose();

        // Then the status says 1 done, 1 running (named), 1 left; the finished line was written above a redrawn status,
        // and the status line is cleared when the run ends
        var text = output.ToString();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Does.Match(@"^1/3 done, 1 running, 1 left, 0:0\d elapsed: listenmoe/test/b$"));
            Assert.That(text, Does.Contain("\r\u001b[2K  [1/3] Fail    listenmoe/test/a (0.12s)\n\r\u001b[2K1/3 done, 1 running, 1 left"));
            Assert.That(text, Does.EndWith("\r\u001b[2K"));
        }
    }
}
