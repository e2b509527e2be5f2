using Conformance.Harness.Scenarios;

namespace Conformance.NUnit.Tests;

/// <summary>
/// A client of an older dialect declares it with <c>Profile</c> on <see cref="ConformanceClientAttribute"/>, and runs the
/// profile's own suite from <see cref="ConformanceCases.ProfileSuite"/>.
/// </summary>
[ConformanceClient("node ../../../../../fixtures/clients/listenmoe/node/reference.js --dialect gateway-v1", Profile = "gateway-v1")]
[Category("e2e")]
public sealed class ProfileAttributeTests
{
    private static IEnumerable<TestCaseData> GatewayV1 => ConformanceCases.ProfileSuite("listenmoe", "gateway-v1");

    [TestCaseSource(nameof(GatewayV1))]
    public async Task ClientOfTheProfile_PassesItsSuite(Scenario scenario)
    {
        var result = await ConformanceAssert.PassesAsync(scenario);

        Assert.That(result.Scenario.Profile, Is.EqualTo("gateway-v1"));
    }

    [Test]
    public void ProfileSuite_HoldsOnlyScenariosPinnedToIt()
    {
        var cases = GatewayV1.ToList();

        Assert.That(cases, Is.Not.Empty);
        Assert.That(cases.Select(c => ((Scenario)c.Arguments[0]!).Profile), Has.All.EqualTo("gateway-v1"));
    }
}
