using Conformance.Harness.Scenarios;

namespace Conformance.Harness.Tests;

/// <summary>Scenarios written inline in tests, loaded through the real loader.</summary>
internal static class TestScenarios
{
    public static Scenario Parse(string yaml, string name = "inline.yaml")
    {
        var (scenario, errors) = new ScenarioLoader(Specs.Default).Load(name, yaml);
        Assert.That(errors, Is.Empty, "the test's own scenario must load");
        return scenario!;
    }

    public static IReadOnlyList<Scenario> Suite(string protocol)
    {
        var (scenarios, errors) = ScenarioSource.Load(Specs.Default.SuiteFiles(protocol), Specs.Default);
        Assert.That(errors, Is.Empty);
        return scenarios;
    }
}
