using Conformance.Fixtures;
using Conformance.Harness.Clients;
using Conformance.Harness.Running;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Tests.Running;

/// <summary>
/// A scenario that <c>requires:</c> a client feature runs only when the user declared it, and is Skipped (never
/// Failed) otherwise; a variable the scenario withholds never reaches the client.
/// </summary>
[Parallelizable(ParallelScope.Children)]
public sealed class ClientFeatureTests
{
    private const string ChatScenario = """
        id: plugdj/test/says-hello
        protocol: plugdj
        rules: [plugdj.events.tolerate]
        requires: [chat]
        steps:
          - expect_output: { regex: "^started$", within: 10s }
        """;

    private const string PrintsEnvironment = """
        id: plugdj/test/environment
        protocol: plugdj
        rules: [plugdj.events.tolerate]
        withhold: [CONFORMANCE_TOKEN]
        steps:
          - expect_output: { regex: "^end$", within: 10s }
        """;

    // A client that prints the contract's variables, sorted, then "end", and waits to be stopped.
    private static readonly ClientSpec EnvClient = new("env | grep '^CONFORMANCE_' | sort; echo end; exec sleep 30");

    [Test]
    public async Task Run_ScenarioRequiringAnUndeclaredFeature_IsSkippedWithTheReasonAndStartsNothing()
    {
        // Given a scenario that requires chat, no features declared, and a client that would leave a file behind
        var marker = Path.Combine(Path.GetTempPath(), $"conformance-skip-{Guid.NewGuid():N}");
        var client = new ClientSpec($"touch '{marker}'; echo started; exec sleep 30");

        // When it runs
        var result = await new ScenarioRunner(new RunOptions()).RunAsync(TestScenarios.Parse(ChatScenario), client);

        // Then it is Skipped, says which feature and how to declare it, and neither a mock nor the client ran
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Skipped));
            Assert.That(result.SkipReason, Is.EqualTo("requires client feature chat (the client sends chat messages on its own); declare it with --features chat"));
            Assert.That(result.Transcript, Is.Empty);
            Assert.That(result.Steps.Concat<object>(result.Rules).Concat(result.Errors), Is.Empty);
            Assert.That(File.Exists(marker), Is.False, "the client process ran");
        }
    }

    [Test]
    public async Task Run_ScenarioRequiringADeclaredFeature_RunsTheClient()
    {
        // Given the same scenario, with chat declared
        var options = new RunOptions { Features = ClientFeatures.Parse("chat") };

        // When it runs against a client that prints "started"
        var result = await new ScenarioRunner(options).RunAsync(TestScenarios.Parse(ChatScenario), new ClientSpec("echo started; exec sleep 30"));

        // Then the client ran and the scenario passed
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), result.Explain());
            Assert.That(result.Transcript.OfType<ProcessStarted>(), Has.Exactly(1).Items);
            Assert.That(result.SkipReason, Is.Null);
        }
    }

    [Test]
    public async Task Run_Strict_LeavesASkippedScenarioSkipped()
    {
        // Given strict options that declare nothing
        var options = new RunOptions { Strict = true };

        // When a scenario that requires chat runs
        var result = await new ScenarioRunner(options).RunAsync(TestScenarios.Parse(ChatScenario), new ClientSpec("true"));

        // Then --strict has not turned the user's declared choice into a failure
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Skipped));
    }

    [Test]
    public async Task Run_SeveralFeaturesMissing_NamesEachAndKeepsTheDeclaredOnesInTheHint()
    {
        // Given a scenario that requires both plug.dj features, and a user who declared another protocol's feature
        var scenario = TestScenarios.Parse(ChatScenario.Replace("requires: [chat]", "requires: [chat, rest-login]", StringComparison.Ordinal));
        var options = new RunOptions { Features = ClientFeatures.Parse("track-request") };

        // When it runs
        var result = await new ScenarioRunner(options).RunAsync(scenario, new ClientSpec("true"));

        // Then the reason names both, and the --features it suggests would keep what was declared
        Assert.That(result.SkipReason, Is.EqualTo(
            "requires client features chat (the client sends chat messages on its own) and rest-login (the client logs in over REST itself: " +
            "/_/mobile/init, /_/auth/login, /_/auth/token); declare them with --features rest-login,chat,track-request"));
    }

    [Test]
    public async Task Run_WithheldVariable_IsAbsentFromTheClientsEnvironment()
    {
        // Given a scenario that withholds CONFORMANCE_TOKEN, and a client spec that tries to set it too
        var client = EnvClient with { Environment = new Dictionary<string, string> { ["CONFORMANCE_TOKEN"] = "from-the-client-spec" } };

        // When a client that prints its environment runs
        var result = await new ScenarioRunner(new RunOptions()).RunAsync(TestScenarios.Parse(PrintsEnvironment), client);

        // Then the token is not among its variables, and the rest of the contract is
        var names = VariableNames(result);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), result.Explain());
            Assert.That(names, Does.Not.Contain("CONFORMANCE_TOKEN"));
            Assert.That(names, Is.SupersetOf(new[] { "CONFORMANCE_URL", "CONFORMANCE_HTTP_URL", "CONFORMANCE_EMAIL", "CONFORMANCE_PASSWORD", "CONFORMANCE_ROOM" }));
        }
    }

    [Test]
    public async Task Run_VariableNotWithheld_IsGivenToTheClient()
    {
        // Given the same scenario without withhold
        var scenario = TestScenarios.Parse(PrintsEnvironment.Replace("withhold: [CONFORMANCE_TOKEN]\n", "", StringComparison.Ordinal));

        // When the client prints its environment
        var result = await new ScenarioRunner(new RunOptions()).RunAsync(scenario, EnvClient);

        // Then it was handed the mock's token
        var lines = result.Transcript.OfType<ProcessOutput>().Select(o => o.Line);
        Assert.That(lines, Does.Contain("CONFORMANCE_TOKEN=conformance-static-token"));
    }

    [TestCase("listenmoe")]
    [TestCase("plugdj")]
    public void ReferenceFixtureFeatures_AreFeaturesOfTheirProtocol(string protocol)
    {
        // Given the features fixtures/clients/<protocol>/features declares for the reference clients
        var declared = FixtureFeatures.Reference(protocol);

        // When they are compared with the protocol module's
        var known = Protocols.ProtocolRegistry.Find(protocol)!.Features.Select(f => f.Name);

        // Then each is one of them (the reference clients do everything optional, so all of them)
        Assert.That(declared, Is.EquivalentTo(known));
    }

    private static List<string> VariableNames(ScenarioResult result) =>
        [.. result.Transcript.OfType<ProcessOutput>().Select(o => o.Line).Where(l => l.Contains('=', StringComparison.Ordinal)).Select(l => l.Split('=')[0])];
}
