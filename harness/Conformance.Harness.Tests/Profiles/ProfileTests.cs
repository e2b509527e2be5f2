using Conformance.Harness.Clients;
using Conformance.Harness.Protocols;
using Conformance.Harness.Running;
using Conformance.Harness.Scenarios;

namespace Conformance.Harness.Tests.Profiles;

/// <summary>
/// Protocol profiles: each module's dialects are well formed, a scenario pinned to one runs only for a client that
/// speaks it, and the profile's options reach the mock before the scenario's own.
/// </summary>
[Parallelizable(ParallelScope.Children)]
public sealed class ProfileTests
{
    private static IEnumerable<TestCaseData> Modules() =>
        ProtocolRegistry.All.Select(m => new TestCaseData(m.Id).SetArgDisplayNames(m.Id));

    [TestCaseSource(nameof(Modules))]
    public void Profiles_OfEveryProtocol_AreADefaultThatSetsNothingAndNamedDialectsWhoseOptionsExist(string protocol)
    {
        // Given a protocol's profiles
        var module = ProtocolRegistry.Find(protocol)!;
        var profiles = module.Profiles;

        // Then there is a default that changes nothing, at least one dialect besides it, unique names, a source and a
        // summary for each, and options the mock has, with values it takes
        using (Assert.EnterMultipleScope())
        {
            Assert.That(profiles, Has.Count.GreaterThanOrEqualTo(2), "a default and a dialect");
            Assert.That(profiles[0].Options, Is.Empty, "the default profile sets nothing");
            Assert.That(profiles.Select(p => p.Name), Is.Unique);
            Assert.That(profiles.Skip(1).Select(p => p.Options.Count), Has.All.GreaterThan(0), "a dialect sets something");
            Assert.That(profiles.Select(p => p.Source), Has.All.Not.Empty);
            Assert.That(profiles.Select(p => p.Summary), Has.All.Not.Empty);
            foreach (var profile in profiles)
            {
                Assert.That(MockOptionBinder.Validate(module.OptionsType, profile.Settings).Select(e => e.ToString()), Is.Empty, profile.Name);
            }
        }
    }

    [TestCaseSource(nameof(Modules))]
    public void Profiles_OfEveryDialect_HaveABuiltInScenarioPinnedToThem(string protocol)
    {
        // Given a protocol's dialects other than the default
        var module = ProtocolRegistry.Find(protocol)!;
        var pinned = module.Profiles.Skip(1).Where(p => Specs.Default.SuiteFiles(protocol, p.Name).Count > 0).ToList();

        // Then at least one has its own suite, and every scenario in it is pinned to it
        Assert.That(pinned, Is.Not.Empty, "at least one dialect with a scenario");
        foreach (var profile in pinned)
        {
            var (scenarios, errors) = ScenarioSource.Load(Specs.Default.SuiteFiles(protocol, profile.Name), Specs.Default);
            Assert.That(errors, Is.Empty);
            Assert.That(scenarios.Select(s => s.Profile), Has.All.EqualTo(profile.Name));
        }
    }

    [Test]
    public void Profile_OfAnUnpinnedScenario_IsTheOneTheClientSpeaks()
    {
        // Given a scenario that names no profile
        var module = ProtocolRegistry.Find("listenmoe")!;
        var scenario = TestScenarios.Parse(Gateway(profile: null));

        // Then it runs under the default, or under the profile the run names
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Requirements.Profile(scenario, module, null), Is.EqualTo((module.Profiles[0], (string?)null)));
            Assert.That(Requirements.Profile(scenario, module, "gateway-v1").Profile!.Name, Is.EqualTo("gateway-v1"));
        }
    }

    [Test]
    public void Profile_OfAPinnedScenario_RunsOnlyForAClientSpeakingIt()
    {
        // Given a scenario written for gateway v1
        var module = ProtocolRegistry.Find("listenmoe")!;
        var scenario = TestScenarios.Parse(Gateway(profile: "gateway-v1"));

        // When the client speaks the default, and when it speaks v1
        var forDefault = Requirements.Profile(scenario, module, null);
        var forV1 = Requirements.Profile(scenario, module, "gateway-v1");

        // Then only the v1 client runs it, and the other is told how to
        using (Assert.EnterMultipleScope())
        {
            Assert.That(forDefault.Profile, Is.Null);
            Assert.That(forDefault.Unmet, Is.EqualTo("written for the gateway-v1 profile of listenmoe, and the client speaks gateway-v2; run with --profile gateway-v1 to judge it"));
            Assert.That(forV1.Profile!.Name, Is.EqualTo("gateway-v1"));
        }
    }

    [Test]
    public void Profile_ThatTheProtocolDoesNotHave_IsRefused()
    {
        // Given a run that names a profile listenmoe does not have
        var module = ProtocolRegistry.Find("listenmoe")!;
        var scenario = TestScenarios.Parse(Gateway(profile: null));

        // Then it is an argument error naming the known profiles
        var error = Assert.Throws<ArgumentException>(() => Requirements.Profile(scenario, module, "gateway-v3"));
        Assert.That(error!.Message, Does.StartWith("unknown profile 'gateway-v3' for listenmoe (known: gateway-v2, gateway-v1)"));
    }

    [Test]
    public async Task Run_OfAScenarioPinnedToAnotherDialect_IsSkippedWithoutStartingTheClient()
    {
        // Given a scenario written for gateway v1 and a client command that would fail if it ran
        var scenario = TestScenarios.Parse(Gateway(profile: "gateway-v1"));

        // When it is run for a client that speaks the default
        var result = await new ScenarioRunner(new RunOptions()).RunAsync(scenario, new ClientSpec("/nonexistent/client"));

        // Then it is Skipped, with the reason, and nothing was recorded
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Skipped));
            Assert.That(result.SkipReason, Does.Contain("run with --profile gateway-v1"));
            Assert.That(result.Transcript, Is.Empty);
        }
    }

    [Test]
    [Category("e2e")]
    public async Task Run_UnderAProfile_ServesItsDialectWithTheScenariosMockSettingsOnTop()
    {
        // Given a scenario pinned to gateway v1 that also sets the heartbeat, expecting the welcome v1 sends after the auth
        var scenario = TestScenarios.Parse(Gateway(profile: "gateway-v1", path: "/gateway") + """

              - expect: { json: { op: 0, d: { auth: "Bearer conformance-listenmoe-jwt" } }, within: 3s }
              - expect: { from: server, json: { op: 0, d: { heartbeat: 300, user: { username: kana } } }, within: 1s }
            """);

        // When a v1 client runs it
        var result = await new ScenarioRunner(new RunOptions { Profile = "gateway-v1" })
            .RunAsync(scenario, new ClientSpec(Conformance.Fixtures.FixturePaths.ListenMoeNode + " --dialect gateway-v1"));

        // Then the client found the profile's path and was welcomed after its auth, at the scenario's heartbeat
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), result.Explain());
    }

    private static string Gateway(string? profile, string path = "/gateway_v2") => $$"""
        id: listenmoe/profiles/test
        protocol: listenmoe
        {{(profile is null ? "" : $"profile: {profile}")}}
        rules: [listenmoe.connect.endpoint]
        mock:
          heartbeatInterval: 300ms
        steps:
          - expect_connect: { path: {{path}}, within: 10s }
        """;
}
