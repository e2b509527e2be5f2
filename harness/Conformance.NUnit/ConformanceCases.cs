using Conformance.Harness;
using Conformance.Harness.Scenarios;
using NUnit.Framework;

namespace Conformance.NUnit;

/// <summary>
/// Test cases for <c>[TestCaseSource]</c>: one per scenario, shown as the scenario id and categorised by protocol.
/// <code>
/// [TestCaseSource(typeof(ConformanceCases), nameof(ConformanceCases.ListenMoe))]
/// public Task Conforms(Scenario scenario) => ConformanceAssert.PassesAsync(scenario);
/// </code>
/// </summary>
public static class ConformanceCases
{
    public static IEnumerable<TestCaseData> ListenMoe => Suite("listenmoe");

    public static IEnumerable<TestCaseData> PlugDj => Suite("plugdj");

    public static IEnumerable<TestCaseData> Discodo => Suite("discodo");

    public static IEnumerable<TestCaseData> Nightingale => Suite("nightingale");

    public static IEnumerable<TestCaseData> Podcast => Suite("podcast");

    /// <summary>The built-in suite of <paramref name="protocol"/>.</summary>
    public static IEnumerable<TestCaseData> Suite(string protocol) => FromFiles(Specs.Default.SuiteFiles(protocol));

    /// <summary>
    /// The built-in suite of one of <paramref name="protocol"/>'s profiles (<c>conformance list</c> shows them): the
    /// scenarios pinned to it. They run only when the client is declared to speak it (<c>Profile</c> on
    /// <see cref="ConformanceClientAttribute"/>, <c>ConformanceProfile</c>, <c>CONFORMANCE_PROFILE</c>).
    /// </summary>
    public static IEnumerable<TestCaseData> ProfileSuite(string protocol, string profile) => FromFiles(Specs.Default.SuiteFiles(protocol, profile));

    /// <summary>Scenario files or folders of your own. A file that does not load becomes a failing case with its errors.</summary>
    public static IEnumerable<TestCaseData> FromFiles(IEnumerable<string> paths)
    {
        var (scenarios, errors) = ScenarioSource.Load(ScenarioSource.Files(paths), Specs.Default);
        foreach (var scenario in scenarios)
        {
            // Categories: the protocol and every rule the scenario exercises, so that
            // dotnet test --filter "TestCategory=listenmoe.heartbeat.period" runs the cases of one rule.
            var data = new TestCaseData(scenario).SetArgDisplayNames(scenario.Id).SetCategory(scenario.Protocol);
            foreach (var rule in scenario.Rules)
            {
                data.SetCategory(rule);
            }

            yield return data;
        }

        foreach (var error in errors)
        {
            yield return new TestCaseData(null).SetArgDisplayNames(error.Mark.Path).SetProperty("ScenarioError", error.ToString());
        }
    }
}
