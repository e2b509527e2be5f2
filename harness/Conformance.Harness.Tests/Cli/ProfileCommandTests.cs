using Conformance.Fixtures;

namespace Conformance.Harness.Tests.Cli;

/// <summary><c>--profile</c> on <c>run</c> and <c>serve</c>, and the profiles <c>list</c> prints, as a user sees them.</summary>
[Parallelizable(ParallelScope.Children)]
[Category("e2e")]
public sealed class ProfileCommandTests
{
    [Test]
    public async Task Run_WithAProfile_RunsThatProfilesBuiltInSuiteForAClientOfItsDialect()
    {
        // When a gateway v1 client runs the LISTEN.moe suite of the gateway-v1 profile
        var (exit, stdout, _) = await CliProcess.RunAsync(
            "run", "--client", FixturePaths.ListenMoeNode + " --dialect gateway-v1", "--protocol", "listenmoe", "--profile", "gateway-v1");

        // Then the profile's own scenario ran, and passed
        Assert.That(exit, Is.Zero, stdout);
        Assert.That(stdout, Does.Contain("listenmoe/profiles/gateway-v1/authenticates").And.Contain("1 passed, 0 warned, 0 failed, 0 errors, 0 skipped"));
    }

    [Test]
    public async Task Run_APinnedScenarioWithoutItsProfile_IsSkippedAndSaysHowToRunIt()
    {
        // When the scenario pinned to gateway v1 is run without --profile
        var scenario = Path.Combine(Specs.Default.Root, "listenmoe", "profiles", "gateway-v1");
        var (exit, stdout, _) = await CliProcess.RunAsync("run", "--client", FixturePaths.ListenMoeNode, "--scenario", scenario);

        // Then nothing failed: it was skipped, and the reason names the switch
        Assert.That(exit, Is.Zero, stdout);
        Assert.That(stdout, Does.Contain("0 failed, 0 errors, 1 skipped").And.Contain("--profile gateway-v1"));
    }

    [TestCase("listenmoe", "gateway-v3", "conformance: unknown profile 'gateway-v3' for listenmoe (known: gateway-v2, gateway-v1)\n")]
    [TestCase(null, "gateway-v1", "conformance: --profile needs --protocol: a profile is one protocol's dialect\n")]
    public async Task Run_WithAProfileItCannotUse_IsAUsageErrorAndRunsNothing(string? protocol, string profile, string expected)
    {
        // When
        string[] args = protocol is null
            ? ["run", "--client", "true", "--scenario", Path.Combine(Specs.Default.Root, "listenmoe", "profiles"), "--profile", profile]
            : ["run", "--client", "true", "--protocol", protocol, "--profile", profile];
        var (exit, _, stderr) = await CliProcess.RunAsync(args);

        // Then
        Assert.That((exit, stderr), Is.EqualTo((2, expected)));
    }

    [Test]
    public async Task List_ShowsEachProfileWithWhatItSetsAndWhereItComesFrom()
    {
        // When
        var (exit, stdout, _) = await CliProcess.RunAsync("list", "--protocol", "podcast");

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.Zero);
            Assert.That(stdout, Does.Contain("profiles (dialects;"));
            Assert.That(stdout, Does.Match(@"docs-2023 +The 2023 documents"));
            Assert.That(stdout, Does.Contain("the default; 15 built-in scenarios"));
            Assert.That(stdout, Does.Contain("source: discord-podcasts/backend-beta src/websocket/ws.rs, src/requests.rs"));
            Assert.That(stdout, Does.Contain("sets envelope: rust-2022; 1 built-in scenario"));
            Assert.That(stdout, Does.Match(@"podcast/profiles/rust-2022/handshake .*\(profile rust-2022\)"));
        }
    }

    [Test]
    public async Task Serve_WithAnUnknownProfile_IsAUsageErrorAndListensNowhere()
    {
        // When the LISTEN.moe mock is asked for a profile it does not have
        var (exit, stdout, stderr) = await CliProcess.RunAsync("serve", "listenmoe", "--profile", "gateway-v3");

        // Then an unknown profile is refused before anything listens
        Assert.That((exit, stdout, stderr), Is.EqualTo((2, "", "conformance: unknown profile 'gateway-v3' for listenmoe (known: gateway-v2, gateway-v1)\n")));
    }
}
