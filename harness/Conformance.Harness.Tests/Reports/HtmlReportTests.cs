using System.Text.Json.Nodes;
using Conformance.Fixtures;
using Conformance.Harness.Clients;
using Conformance.Harness.Reports;
using Conformance.Harness.Running;

namespace Conformance.Harness.Tests.Reports;

/// <summary>
/// The HTML report as a user opens it, in headless Chromium: two clients' runs merged into one matrix (a faulty C#
/// client that beats at twice the advertised interval, and the Node reference client), its filters, and the failing
/// scenario's page with the broken rule, its heartbeat chart and its timeline. Screenshots are attached to the test.
/// </summary>
[Category("e2e")]
[NonParallelizable]
public sealed class HtmlReportTests
{
    private const string Rule = "listenmoe.heartbeat.period";
    private static readonly string[] Ids = ["listenmoe/heartbeat/first-beat", "listenmoe/heartbeat/steady-period"];
    private string _dir = null!;

    [OneTimeSetUp]
    public async Task RunBothClientsAsync()
    {
        if (!HeadlessChromium.Installed)
        {
            Assert.Inconclusive($"{HeadlessChromium.Executable} is not installed (Debian package chromium; .ci/run installs it)");
        }

        _dir = Directory.CreateTempSubdirectory("conformance-html-").FullName;
        var scenarios = TestScenarios.Suite("listenmoe").Where(s => Ids.Contains(s.Id)).ToList();
        var options = new RunOptions { Features = FixtureFeatures.ListenMoeReference, Seed = 7 };
        var faulty = await new SuiteRunner(options, parallel: 2).RunAsync(scenarios, new ClientSpec(FixturePaths.ListenMoeCSharp("double-interval")));
        var reference = await new SuiteRunner(options, parallel: 2).RunAsync(scenarios, new ClientSpec(FixturePaths.ListenMoeNode));
        ReportWriter.Write(Path.Combine(_dir, "faulty"), faulty, new RunInfo("csharp double-interval", 7));
        ReportWriter.Write(Path.Combine(_dir, "reference"), reference, new RunInfo("node reference", 7));
        ReportMerge.Merge([Path.Combine(_dir, "faulty"), Path.Combine(_dir, "reference")], Path.Combine(_dir, "merged"));
    }

    [OneTimeTearDown]
    public void RemoveFolder()
    {
        if (_dir is not null)
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Test]
    public async Task Index_MergedRunsOfTwoClients_ShowAMatrixWithTheFailureAndFiltersIt()
    {
        // Given the merged report of the two clients, opened in a browser
        await using var browser = await HeadlessChromium.StartAsync(1280, 900);
        var index = Path.Combine(_dir, "merged", "index.html");
        await browser.OpenAsync(index);

        // Then the matrix has a column per client and a cell per scenario and client; the faulty client's steady-period
        // cell is a failure naming the rule (its first beat is on time), the reference client's cells are passes
        var columns = await browser.EvaluateAsync("[...document.querySelectorAll('#matrix thead th.client')].map(th => th.textContent)");
        var cells = await browser.EvaluateAsync("[...document.querySelectorAll('#matrix tbody tr')].map(tr => [tr.cells[0].textContent, " +
            "...[...tr.querySelectorAll('td.cell')].map(td => td.dataset.verdict + ' ' + (td.querySelector('.broken')?.textContent ?? ''))])");
        var shot = await browser.ScreenshotAsync();
        Attach("report-index.png", shot);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(columns!.AsArray().Select(c => c!.GetValue<string>()), Is.EqualTo(new[] { "csharp double-interval", "node reference" }));
            Assert.That(cells!.ToJsonString(), Is.EqualTo(new JsonArray(
                new JsonArray("listenmoe/heartbeat/first-beat", "Pass ", "Pass "),
                new JsonArray("listenmoe/heartbeat/steady-period", "Fail " + Rule, "Pass ")).ToJsonString()));
            Assert.That(shot[..4], Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47 }), "a PNG");
        }

        // When it is filtered by rule and verdict (from the address, as the filter form sets it too)
        await browser.OpenAsync(index, $"?rule={Rule}&verdict=Fail");
        var failing = await browser.EvaluateAsync("document.getElementById('shown').textContent");
        await browser.OpenAsync(index, "?rule=listenmoe.connect.endpoint&verdict=Fail");
        var none = await browser.EvaluateAsync("document.getElementById('shown').textContent");

        // Then the row where that rule failed stays, and no row stays for a rule nobody broke
        using (Assert.EnterMultipleScope())
        {
            Assert.That(failing!.GetValue<string>(), Is.EqualTo("1 of 2 scenarios"));
            Assert.That(none!.GetValue<string>(), Is.EqualTo("0 of 2 scenarios"));
        }
    }

    [Test]
    public async Task ScenarioPage_FailingHeartbeat_ShowsTheRuleItsChartAndTheTimeline()
    {
        // Given the faulty client's steady-period page, and what results.json says of the rule it broke
        var entry = ReportWriter.Read(Path.Combine(_dir, "merged")).Single(e => e.Client == "csharp double-interval" && e.Id == Ids[1]);
        var rule = entry.Rules.Single(r => r.Id == Rule);
        var gaps = rule.Series.Sum(s => s.Gaps.Count);
        var frames = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_dir, "merged", entry.Transcript!)))!.AsArray()
            .Count(e => (string?)e!["kind"] == "FrameRecorded");
        await using var browser = await HeadlessChromium.StartAsync(1200, 1000);

        // When it is opened
        await browser.OpenAsync(Path.Combine(_dir, "merged", "scenarios", "client-1", "listenmoe", "heartbeat", "steady-period.html"));
        var page = await browser.EvaluateAsync($$"""
            ({
              verdict: document.getElementById('verdict').textContent,
              rule: document.querySelector('.failure[data-rule="{{Rule}}"] .rule-id')?.textContent,
              text: document.querySelector('.failure[data-rule="{{Rule}}"] .rule-text')?.textContent,
              source: document.querySelector('.failure[data-rule="{{Rule}}"] .source')?.textContent,
              points: [...document.querySelectorAll('svg.heartbeat circle.gap')].map(c => +c.dataset.gapMs),
              outside: document.querySelectorAll('svg.heartbeat circle.gap.outside').length,
              bands: document.querySelectorAll('svg.heartbeat rect.band').length,
              lanes: [...document.querySelectorAll('svg.timeline g.lane')].map(g => g.dataset.lane),
              frames: document.querySelectorAll('svg.timeline circle.ev.FrameRecorded').length,
              faults: document.querySelectorAll('svg.timeline circle.ev.fault').length
            })
            """);
        var shot = await browser.ScreenshotAsync();
        Attach("report-steady-period.png", shot);

        // Then it names the rule with its text and source, charts every gap of the series against its band (gaps over the
        // missed-beat limit marked: a beat at twice the interval is over it, unless read early), and draws every frame, the ones at fault marked
        using (Assert.EnterMultipleScope())
        {
            Assert.That((string?)page!["verdict"], Is.EqualTo("Fail"));
            Assert.That((string?)page["rule"], Is.EqualTo(Rule));
            Assert.That((string?)page["text"], Is.EqualTo(rule.Text));
            Assert.That((string?)page["source"], Is.EqualTo("source: " + rule.Source));
            Assert.That(page["points"]!.AsArray().Select(p => p!.GetValue<double>()), Is.EqualTo(rule.Series.SelectMany(s => s.Gaps.Select(g => g.GapMs))));
            Assert.That(gaps, Is.GreaterThanOrEqualTo(3));
            Assert.That((int)page["outside"]!, Is.EqualTo(rule.Series.Sum(s => s.Gaps.Count(g => g.GapMs > s.Limits!.Value.Missed || g.GapMs < s.Limits.Value.Early))).And.GreaterThan(0));
            Assert.That((int)page["bands"]!, Is.EqualTo(rule.Series.Count));
            Assert.That(page["lanes"]!.AsArray().Select(l => (string?)l), Has.Some.StartsWith("WS connection 1 /gateway_v2").And.Some.EqualTo("client process"));
            Assert.That((int)page["frames"]!, Is.EqualTo(frames));
            Assert.That((int)page["faults"]!, Is.EqualTo(rule.Evidence.Select(e => (int)e!["index"]!).Distinct().Count()).And.GreaterThan(0));
        }
    }

    private static void Attach(string name, byte[] png)
    {
        var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, name);
        File.WriteAllBytes(path, png);
        TestContext.AddTestAttachment(path);
    }
}
