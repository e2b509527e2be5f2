using Conformance.Harness;
using Conformance.Harness.Scenarios;

namespace Conformance.NUnit.Tests;

/// <summary>
/// The shortest way a user wires a client in: a <see cref="ConformanceClientAttribute"/> with a command line and the
/// client's features, and <see cref="ConformanceAssert.PassesAsync"/> with nothing else. Tests run in the build output folder, five levels
/// below the repository root.
/// </summary>
[ConformanceClient("node ../../../../../fixtures/clients/listenmoe/node/reference.js", Features = ["track-request"])]
[Category("e2e")]
public sealed class AttributeConfiguredTests
{
    private static IEnumerable<TestCaseData> TwoScenarios => ConformanceCases.FromFiles(
    [
        Path.Combine(Specs.Default.Root, "listenmoe", "scenarios", "connect", "kpop.yaml"),
        Path.Combine(Specs.Default.Root, "listenmoe", "scenarios", "track", "request-reply.yaml"),
    ]);

    [TestCaseSource(nameof(TwoScenarios))]
    public async Task ClientFromAttribute_PassesScenario(Scenario scenario)
    {
        var result = await ConformanceAssert.PassesAsync(scenario);

        Assert.That(result.Transcript.OfType<Mocks.Transcripts.ProcessStarted>().Single().Command, Does.Contain("reference.js"));
    }

    [Test]
    public void Cases_FromAScenarioFileThatDoesNotLoad_BecomeAFailingCaseWithTheError()
    {
        var file = Path.Combine(Path.GetTempPath(), $"conformance-broken-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, "id: listenmoe/broken/case\nprotocol: listenmoe\nrules: [listenmoe.connect.endpoint]\nsteps:\n  - wiat: 1s\n");

        var cases = ConformanceCases.FromFiles([file]).ToList();

        Assert.That(cases, Has.Count.EqualTo(1));
        Assert.That(cases[0].Arguments[0], Is.Null);
        Assert.That(cases[0].Properties.Get("ScenarioError"), Is.EqualTo($"{file}:5:5: unknown step 'wiat'; did you mean 'wait'?"));
    }

    [Test]
    public void Cases_FromTheBuiltInSuite_AreNamedByIdAndCategorisedByProtocol()
    {
        var cases = ConformanceCases.ListenMoe.ToList();

        Assert.That(cases, Has.Count.EqualTo(Specs.Default.SuiteFiles("listenmoe").Count));
        Assert.That(cases.Select(c => c.TestName ?? c.ArgDisplayNames?[0]), Has.All.StartWith("listenmoe/"));
        Assert.That(cases.Select(c => c.Properties.Get("Category")), Has.All.EqualTo("listenmoe"));
        // and each case also carries the rules its scenario exercises, for --filter TestCategory=<rule>
        Assert.That(cases.Select(c => ((Scenario)c.Arguments[0]!).Rules.All(c.Properties["Category"].Contains)), Has.All.True);
    }
}
