using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace Conformance.Harness.Tests.Cli;

/// <summary>
/// <c>conformance run --features</c> and <c>CONFORMANCE_FEATURES</c> as a CI pipeline sees them: skipped scenarios
/// never fail a run, the summary counts them, and unknown feature names are usage errors.
/// </summary>
[Parallelizable(ParallelScope.Children)]
public sealed class RunFeaturesTests
{
    // A client that prints "hello" and waits to be stopped: it passes both scenarios below whenever they run.
    private const string Client = "echo hello; exec sleep 30";

    private const string Reason = "requires client feature chat (the client sends chat messages on its own); declare it with --features chat";

    [Test]
    public async Task Run_OnlyPassedAndSkippedScenarios_ExitsZeroAndCountsTheSkippedOnes()
    {
        // Given a folder with a scenario anyone passes and one that requires chat, and no features declared
        var folder = ScenarioFolder();
        var junit = Path.Combine(folder, "junit.xml");
        var report = Path.Combine(folder, "report");

        // When the suite runs, strictly, writing JUnit and a report
        var (exit, stdout, stderr) = await CliProcess.RunAsync(
            "run", "--client", Client, "--scenario", Path.Combine(folder, "scenarios"), "--strict", "--junit", junit, "--report", report);

        // Then it exits 0, the table and summary show the skip, and JUnit and results.json carry the reason
        var skipped = XDocument.Load(junit).Descendants("skipped").Single();
        var results = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(report, "results.json")))!.AsArray();
        var chat = results.Single(r => (string?)r!["id"] == "plugdj/test/chat")!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.Zero, stdout + stderr);
            Assert.That(stdout, Does.Contain("1 passed, 0 warned, 0 failed, 0 errors, 1 skipped (2 scenarios)"));
            Assert.That(stdout, Does.Match(@"plugdj/test/chat\s+│ Skipped │ requires client feature chat"));
            Assert.That((string?)skipped.Attribute("message"), Is.EqualTo(Reason));
            Assert.That((string?)skipped.Parent!.Attribute("name"), Is.EqualTo("plugdj/test/chat"));
            Assert.That((string?)chat["verdict"], Is.EqualTo("Skipped"));
            Assert.That((string?)chat["skipReason"], Is.EqualTo(Reason));
            Assert.That(JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(report, "transcripts", "plugdj", "test", "chat.json")))!.AsArray(), Is.Empty);
        }
    }

    [Test]
    public async Task Run_FeaturesFromTheEnvironment_AreUsedWhenTheFlagIsAbsent()
    {
        // Given the same folder, and CONFORMANCE_FEATURES=chat
        var folder = ScenarioFolder();
        var environment = new Dictionary<string, string> { ["CONFORMANCE_FEATURES"] = "chat" };

        // When the suite runs without --features, and again with --features "" (none)
        var (exit, stdout, _) = await CliProcess.RunAsync(environment, "run", "--client", Client, "--scenario", Path.Combine(folder, "scenarios"));
        var (_, noneOut, _) = await CliProcess.RunAsync(environment, "run", "--client", Client, "--scenario", Path.Combine(folder, "scenarios"), "--features", "");

        // Then the variable declared chat, so both ran; the empty flag overrode it
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.Zero, stdout);
            Assert.That(stdout, Does.Contain("2 passed, 0 warned, 0 failed, 0 errors, 0 skipped"));
            Assert.That(noneOut, Does.Contain("1 passed, 0 warned, 0 failed, 0 errors, 1 skipped"));
        }
    }

    [Test]
    public async Task Run_UnknownFeatureOnTheCommandLine_IsAUsageErrorListingTheKnownOnes()
    {
        // Given a misspelt feature / When the run starts
        var (exit, stdout, stderr) = await CliProcess.RunAsync("run", "--client", "true", "--protocol", "plugdj", "--features", "rest-login,chta");

        // Then nothing runs: exit 2, the closest name and every protocol's features
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(2), stdout + stderr);
            Assert.That(stderr.Trim(), Is.EqualTo(
                "conformance: --features: unknown client feature 'chta'; did you mean 'chat'? (known: listenmoe: track-request; plugdj: rest-login, chat; discodo: none; nightingale: none; podcast: host, listener)"));
            Assert.That(stdout, Is.Empty);
        }
    }

    [Test]
    public async Task Run_UnknownFeatureInTheEnvironment_IsAUsageErrorNamingTheVariable()
    {
        // Given CONFORMANCE_FEATURES with a name no protocol has / When the run starts
        var environment = new Dictionary<string, string> { ["CONFORMANCE_FEATURES"] = "telepathy" };
        var (exit, _, stderr) = await CliProcess.RunAsync(environment, "run", "--client", "true", "--protocol", "plugdj");

        // Then it is a usage error that says where the name came from
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(stderr, Does.Contain("conformance: CONFORMANCE_FEATURES: unknown client feature 'telepathy' (known: "));
        }
    }

    [Test]
    public async Task List_ShowsEachProtocolsFeaturesAndWhatScenariosRequire()
    {
        // Given the built-in plug.dj suite / When it is listed
        var (exit, stdout, _) = await CliProcess.RunAsync("list", "--protocol", "plugdj");

        // Then the features are there with their sentence, and the login scenarios say they require rest-login
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.Zero);
            Assert.That(stdout, Does.Contain("client features").And.Contain("rest-login").And.Contain("The client sends chat messages on its own."));
            Assert.That(stdout, Does.Match(@"plugdj/login/flow-order .*\(requires rest-login\)"));
        }
    }

    /// <summary>A temporary folder with <c>scenarios/</c>: a scenario any client that prints "hello" passes, and the same requiring chat.</summary>
    private static string ScenarioFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"conformance-features-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(folder, "scenarios"));
        foreach (var (name, requires) in new[] { ("plain", ""), ("chat", "requires: [chat]\n") })
        {
            File.WriteAllText(Path.Combine(folder, "scenarios", name + ".yaml"), $$"""
                id: plugdj/test/{{name}}
                protocol: plugdj
                rules: [plugdj.events.tolerate]
                {{requires}}steps:
                  - expect_output: { regex: "^hello$", within: 10s }

                """);
        }

        return folder;
    }
}
