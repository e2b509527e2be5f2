using Conformance.Harness.Protocols;
using Conformance.Harness.Running;
using Conformance.Harness.Snapshots;
using Conformance.Harness.Tests.Running;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Tests.Snapshots;

/// <summary>
/// How a connection ends once the harness has begun stopping the client is the shutdown's (a close frame within the
/// client's own timeout, or its process gone first on a busy machine), not the scenario's: snapshots show it as one line.
/// </summary>
public sealed class ShutdownSnapshotTests
{
    [TestCase(CloseInitiator.Client, 1000)]
    [TestCase(CloseInitiator.ClientLost, null)]
    [TestCase(CloseInitiator.Teardown, null)]
    public void Render_ConnectionEndedAfterTheHarnessBeganStoppingTheClient_ShowsTheSameLineHoweverItEnded(CloseInitiator by, int? code)
    {
        // Given a connection the server closed during the scenario, and one that ended 100 ms after the stop began
        var clock = new ManualClock();
        var transcript = new Transcript(clock);
        transcript.Append(new ConnectionOpened(1, "gateway", "/gateway_v2", "", new Dictionary<string, string>()));
        clock.AdvanceTo(TimeSpan.FromMilliseconds(100));
        transcript.Append(new ConnectionClosed(1, CloseInitiator.Server, 4001, "bye"));
        clock.AdvanceTo(TimeSpan.FromMilliseconds(200));
        transcript.Append(new ConnectionOpened(2, "gateway", "/gateway_v2", "", new Dictionary<string, string>()));
        clock.AdvanceTo(TimeSpan.FromMilliseconds(600));
        transcript.Append(new ConnectionClosed(2, by, code, null));
        var scenario = TestScenarios.Parse("""
            id: listenmoe/test/shutdown
            protocol: listenmoe
            rules: [listenmoe.connect.endpoint]
            steps:
              - wait: 10ms
            """);
        var result = new ScenarioResult(scenario, Verdict.Pass, [], [], transcript.Snapshot(), [], TimeSpan.Zero)
        {
            ClientStoppingAt = TimeSpan.FromMilliseconds(500),
        };

        // When
        var snapshot = SnapshotRenderer.Render(result, ProtocolRegistry.Find("listenmoe")!);

        // Then the close within the scenario keeps its detail; the one after the stop began does not
        Assert.That(snapshot, Does.Contain("""
            connection 1 /gateway_v2
              server:
              client:
              closed by Server 4001
            connection 2 /gateway_v2
              server:
              client:
              ended as the harness stopped the client
            """.ReplaceLineEndings("\n")));
    }
}
