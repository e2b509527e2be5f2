using Conformance.Harness;
using Conformance.Harness.Clients;
using Conformance.Harness.Running;
using Conformance.Harness.Scenarios;

namespace Conformance.NUnit.Tests;

/// <summary>
/// Client features in a user's test project: the attribute declares them, and a scenario requiring one that is not
/// declared becomes an ignored test with the reason, never a failed one.
/// </summary>
[ConformanceClient("true", Features = ["rest-login", "chat"])]
public sealed class ClientFeatureTests
{
    [Test]
    public void PassesAsync_ScenarioRequiringAnUndeclaredFeature_IgnoresTheTestWithTheReason()
    {
        // Given a scenario that requires chat, run with options that declare nothing
        var scenario = Chat();

        // When it is asserted
        var ignored = Assert.ThrowsAsync<IgnoreException>(() => ConformanceAssert.PassesAsync(scenario, new ClientSpec("true"), new RunOptions()));

        // Then the test is ignored, not failed, and says why
        Assert.That(ignored.Message, Is.EqualTo("requires client feature chat (the client sends chat messages on its own); declare it with --features chat"));
    }

    [Test]
    public void RunOptions_FromTheAttribute_DeclareItsFeatures()
    {
        // Given this fixture's attribute, and no test parameter or environment variable overriding it
        Assume.That(TestContext.Parameters.Get("ConformanceFeatures"), Is.Null);
        Assume.That(Environment.GetEnvironmentVariable(ClientFeatures.EnvironmentVariable), Is.Null);

        // When the settings are read
        var features = ConformanceSettings.RunOptions().Features;

        // Then they are the attribute's
        Assert.That(features, Is.EquivalentTo(new[] { "rest-login", "chat" }));
    }

    private static Scenario Chat()
    {
        var (scenario, errors) = new ScenarioLoader(Specs.Default).Load("chat.yaml", """
            id: plugdj/test/chat
            protocol: plugdj
            rules: [plugdj.chat.pacing]
            requires: [chat]
            steps:
              - expect: { json: { a: chat }, within: 5s }
            """);
        Assert.That(errors, Is.Empty);
        return scenario!;
    }
}
