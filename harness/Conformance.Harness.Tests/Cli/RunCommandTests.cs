using System.Xml.Linq;
using Conformance.Fixtures;

namespace Conformance.Harness.Tests.Cli;

/// <summary><c>conformance run</c> exit codes, summary and JUnit XML, as a CI pipeline sees them.</summary>
[Parallelizable(ParallelScope.Children)]
[Category("e2e")]
public sealed class RunCommandTests
{
    private static string Scenario(string name) => Path.Combine(Specs.Default.Root, "listenmoe", "scenarios", name);

    [Test]
    public async Task Run_ReferenceClient_ExitsZeroAndWritesJUnit()
    {
        var junit = Path.Combine(Path.GetTempPath(), $"conformance-{Guid.NewGuid():N}.xml");

        var (exit, stdout, _) = await CliProcess.RunAsync(
            "run", "--client", FixturePaths.ListenMoeCSharp(), "--protocol", "listenmoe",
            "--scenario", Scenario("connect"), "--scenario", Scenario("heartbeat/first-beat.yaml"), "--junit", junit);

        Assert.That(exit, Is.Zero, stdout);
        Assert.That(stdout, Does.Contain("listenmoe/connect/kpop").And.Contain("3 passed, 0 warned, 0 failed, 0 errors"));
        var cases = XDocument.Load(junit).Descendants("testcase").ToList();
        Assert.That(cases.Select(c => (string?)c.Attribute("name")),
            Is.EquivalentTo(new[] { "listenmoe/connect/gateway", "listenmoe/connect/kpop", "listenmoe/heartbeat/first-beat" }));
        Assert.That(cases.SelectMany(c => c.Elements("failure")), Is.Empty);
    }

    [Test]
    public async Task Run_FaultyClient_ExitsOneAndNamesTheBrokenRule()
    {
        var junit = Path.Combine(Path.GetTempPath(), $"conformance-{Guid.NewGuid():N}.xml");

        var (exit, stdout, _) = await CliProcess.RunAsync(
            "run", "--client", FixturePaths.ListenMoeCSharp("double-interval"), "--protocol", "listenmoe",
            "--scenario", Scenario("heartbeat/steady-period.yaml"), "--junit", junit);

        Assert.That(exit, Is.EqualTo(1), stdout);
        Assert.That(stdout, Does.Contain("Fail listenmoe.heartbeat.period"));
        var failure = XDocument.Load(junit).Descendants("failure").Single();
        Assert.That((string?)failure.Attribute("message"), Does.Contain("listenmoe.heartbeat.period"));
    }

    [Test]
    public async Task Run_BrokenShouldRule_WarnsButFailsUnderStrict()
    {
        string[] args = ["run", "--client", FixturePaths.ListenMoeCSharp("no-reconnect"), "--scenario", Scenario("reconnect/dropped.yaml")];

        var (lenient, lenientOut, _) = await CliProcess.RunAsync(args);
        var (strict, strictOut, _) = await CliProcess.RunAsync([.. args, "--strict"]);

        Assert.That(lenient, Is.Zero, lenientOut);
        Assert.That(lenientOut, Does.Contain("Warn listenmoe.reconnect"));
        Assert.That(strict, Is.EqualTo(1), strictOut);
    }

    [Test]
    public async Task Run_PlugDjClientSendingTInMilliseconds_WarnsNamingTheTRuleAndFailsUnderStrict()
    {
        // Given a plug.dj scenario and a client that stamps t with Date.now() (seed 001: "bogus values" are safe); that
        // the whole suite finds this rule and no other is FaultyClientTests' (plugdj t-in-ms)
        var scenario = Path.Combine(Specs.Default.Root, "plugdj", "scenarios", "socket", "keepalive.yaml");
        string[] args = ["run", "--client", FixturePaths.PlugDjNode("t-in-ms"), "--scenario", scenario, "--features", "rest-login,chat"];

        // When it runs leniently and strictly
        var (lenient, lenientOut, _) = await CliProcess.RunAsync(args);
        var (strict, strictOut, _) = await CliProcess.RunAsync([.. args, "--strict"]);

        // Then the lenient run passes with warnings on the t rule only, and the strict one fails
        Assert.That(lenient, Is.Zero, lenientOut);
        Assert.That(lenientOut, Does.Contain("Warn plugdj.frame.t-seconds").And.Contain(" 0 failed"));
        Assert.That(lenientOut.Split('\n').Where(l => l.Contains("Warn plugdj.", StringComparison.Ordinal)), Has.All.Contain("plugdj.frame.t-seconds"));
        Assert.That(strict, Is.EqualTo(1), strictOut);
    }

    [Test]
    public async Task Run_ClientColoursItsStderrAndExits_WritesValidJUnitAndNoEscapeSequences()
    {
        // Given a client that writes ANSI-coloured lines (ESC, 0x1B) to stderr and exits 1 at once
        var junit = Path.Combine(Path.GetTempPath(), $"conformance-{Guid.NewGuid():N}.xml");
        var report = Path.Combine(Path.GetTempPath(), $"conformance-{Guid.NewGuid():N}");

        // When the CLI runs a scenario against it with JUnit XML and a report
        var (exit, stdout, stderr) = await CliProcess.RunAsync(
            "run", "--client", FixturePaths.Misbehaving("ansi-crash.sh"), "--scenario", Scenario("connect/gateway.yaml"), "--junit", junit, "--report", report);

        // Then it fails the scenario (exit 1, no crash), the XML parses and shows the escapes, and neither the summary
        // nor report.md passes an escape sequence on to a terminal
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(1), stdout + stderr);
            Assert.That(stderr, Does.Not.Contain("Unhandled exception"));
            Assert.That(XDocument.Load(junit).Descendants("failure").Single().Value, Does.Contain(@"\u001B[31merror:"));
            Assert.That(stdout, Does.Contain(@"\u001B[31merror:"));

            // char overloads: a culture-aware substring search ignores ESC and would find it anywhere
            Assert.That(stdout.Contains('\u001b'), Is.False, "the summary holds no ESC");
            Assert.That(File.ReadAllText(Path.Combine(report, "report.md")).Contains('\u001b'), Is.False, "report.md holds no ESC");
        }

        File.Delete(junit);
        Directory.Delete(report, recursive: true);
    }

    [TestCase(new[] { "run", "--protocol", "listenmoe" }, "--client", TestName = "Run_WithoutClient_IsAUsageError")]
    [TestCase(new[] { "run", "--client", "true", "--protocol", "nosuch" }, "unknown protocol 'nosuch'", TestName = "Run_UnknownProtocol_IsAUsageError")]
    [TestCase(new[] { "run", "--client", "true" }, "give --protocol", TestName = "Run_NothingToRun_IsAUsageError")]
    [TestCase(new[] { "run", "--client", "true", "--scenario", "/nonexistent/x.yaml" }, "/nonexistent/x.yaml:1:1: no such file or folder", TestName = "Run_MissingScenarioFile_IsAUsageError")]
    [TestCase(new[] { "run", "--client", "true", "--protocol", "listenmoe", "--mappings", "/nonexistent/stubs" }, "/nonexistent/stubs:1:1: no such folder of WireMock mapping files", TestName = "Run_MissingMappingsFolder_IsAUsageError")]
    [TestCase(new[] { "frobnicate" }, "frobnicate", TestName = "UnknownCommand_IsAUsageError")]
    public async Task UsageErrors_ExitTwoWithAMessage(string[] args, string message)
    {
        var (exit, stdout, stderr) = await CliProcess.RunAsync(args);

        Assert.That(exit, Is.EqualTo(2), stdout + stderr);
        Assert.That(stderr, Does.Contain(message));
    }

    [Test]
    public async Task List_ShowsRulesAndScenarios()
    {
        var (exit, stdout, _) = await CliProcess.RunAsync("list", "--protocol", "listenmoe");

        Assert.That(exit, Is.Zero);
        Assert.That(stdout, Does.Contain("listenmoe.heartbeat.period").And.Contain("MUST").And.Contain("listenmoe/heartbeat/steady-period"));
    }
}
