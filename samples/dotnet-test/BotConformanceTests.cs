using Conformance.Harness.Scenarios;
using Conformance.NUnit;

// The client under test: started once per scenario, from the test's output folder, where client/ is copied.
// CONFORMANCE_CLIENT and CONFORMANCE_FEATURES in the environment, or the ConformanceClient and ConformanceFeatures run
// parameters of a .runsettings file, override it.
[assembly: ConformanceClient("node client/bot.js")]

namespace Sample.Conformance.Tests;

/// <summary>
/// Every scenario of the built-in LISTEN.moe suite is a test case, named by scenario id and categorised by protocol and
/// by each rule it exercises:
///   dotnet test                                                        every scenario
///   dotnet test --filter TestCategory=listenmoe.heartbeat.period       the scenarios of one rule
/// Scenarios that need a client feature the bot does not declare (track-request) are ignored, with the reason.
/// </summary>
public sealed class BotConformanceTests
{
    [TestCaseSource(typeof(ConformanceCases), nameof(ConformanceCases.ListenMoe))]
    public async Task Bot_Conforms(Scenario scenario) => await ConformanceAssert.PassesAsync(scenario);
}
