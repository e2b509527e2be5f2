using System.Text.Json.Nodes;
using Conformance.Harness.Reports;
using Conformance.Harness.Running;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Tests.Reports;

/// <summary>
/// The HTML report's pages as text: what a client printed or sent can never become markup or script, a snapshot that
/// differs shows its diff, and the page needs nothing from outside its folder.
/// </summary>
public sealed class HtmlReportPageTests
{
    [Test]
    public void ScenarioPage_ClientTextWithMarkup_IsEscapedEverywhere()
    {
        // Given a failing scenario whose client printed markup and sent it in a frame, and whose message quotes it
        var transcript = new Transcript();
        transcript.Append(new ProcessOutput(OutputStream.Stderr, "<script>alert('out')</script>\u001b[31m"));
        transcript.Append(new FrameRecorded(1, Direction.ClientToServer, FrameKind.Text, "<img src=x onerror=alert('frame')>", null));
        var entry = ScenarioReport.From(ReportMergeTests.Result("listenmoe/test/markup", Verdict.Fail), RunInfo.Unnamed, null) with
        {
            Errors = ["<b>harness</b>"],
        };

        // When its page is written
        var page = HtmlReport.ScenarioPage(entry, TranscriptJson.ToJson(transcript.Snapshot()), "../../");

        // Then the markup shows as text, and the terminal escape as an escape
        using (Assert.EnterMultipleScope())
        {
            Assert.That(page, Does.Not.Contain("<script>alert").And.Not.Contain("<img src=x").And.Not.Contain("<b>harness"));
            Assert.That(page, Does.Contain("&lt;script&gt;alert(&#39;out&#39;)&lt;/script&gt;\\u001B[31m"));
            Assert.That(page, Does.Contain("&lt;img src=x onerror=alert(&#39;frame&#39;)&gt;"));
        }
    }

    [Test]
    public void ScenarioPage_SnapshotDiffers_ShowsTheDiffLinesMarked()
    {
        // Given a scenario whose snapshot differs
        var entry = ScenarioReport.From(ReportMergeTests.Result("listenmoe/test/snapshot", Verdict.Fail), RunInfo.Unnamed, null) with
        {
            Snapshot = new SnapshotReport(false, "snaps/listenmoe/test/snapshot.verified.txt", "@@ -1,2 +1,2 @@\n same\n-old line\n+new line", false),
        };

        // When its page is written
        var page = HtmlReport.ScenarioPage(entry, null, "../../");

        // Then the diff is there, each line marked as added, removed or kept
        Assert.That(page, Does.Contain("<h2>Snapshot diff</h2>\n<p>against snaps/listenmoe/test/snapshot.verified.txt</p>")
            .And.Contain("<span class=\"del\">-old line</span>").And.Contain("<span class=\"add\">+new line</span>").And.Contain("<span class=\"same\"> same</span>"));
    }

    [Test]
    public void Pages_ReferNothingOutsideTheFolder()
    {
        // Given an index and a page
        var entry = ScenarioReport.From(ReportMergeTests.Result("listenmoe/test/a", Verdict.Pass), RunInfo.Unnamed, "transcripts/listenmoe/test/a.json");
        var index = HtmlReport.Index([entry], new ReportLayout([entry]));
        var page = HtmlReport.ScenarioPage(entry, new JsonArray(), "../../");

        // Then neither loads a script, style or font from elsewhere, and links stay relative
        foreach (var html in new[] { index, page })
        {
            Assert.That(html, Does.Not.Contain("src=\"http").And.Not.Contain("href=\"http").And.Not.Contain("@import").And.Not.Contain("<script src"));
        }

        Assert.That(index, Does.Contain("<a href=\"scenarios/listenmoe/test/a.html\">Pass</a>"));
        Assert.That(page, Does.Contain("<a href=\"../../index.html\">"));
    }
}
