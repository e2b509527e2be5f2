using Conformance.Harness.Clients;
using Conformance.Harness.Running;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Tests.Running;

/// <summary>A scenario that asks for a mock that cannot be is the scenario's fault: Error, and no client is started.</summary>
public sealed class MockStartTests
{
    [Test]
    public async Task Run_MockOptionTheMockRejects_IsAnErrorAndStartsNoClient()
    {
        // Given a scenario whose songs option is not a list of song objects
        var scenario = TestScenarios.Parse("""
            id: listenmoe/test/bad-songs
            protocol: listenmoe
            rules: [listenmoe.connect.endpoint]
            mock: { songs: [1, 2] }
            steps:
              - expect_connect: { within: 1s }
            """);

        // When it runs
        var result = await new ScenarioRunner(new RunOptions()).RunAsync(scenario, new ClientSpec("echo started"));

        // Then the verdict is Error, says why, and the client never ran
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Error));
        Assert.That(result.Errors.Single(), Does.Contain("could not start").And.Contain("[1,2]"));
        Assert.That(result.Transcript.OfType<ProcessStarted>(), Is.Empty);
    }
}
