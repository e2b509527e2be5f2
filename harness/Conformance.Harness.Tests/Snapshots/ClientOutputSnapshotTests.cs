using Conformance.Harness.Protocols;
using Conformance.Harness.Running;
using Conformance.Harness.Snapshots;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Tests.Snapshots;

/// <summary>Output the harness left out of a flooding client's record shows where it was left out, in snapshots and JSON.</summary>
public sealed class ClientOutputSnapshotTests
{
    [Test]
    public void Render_OutputWithBytesLeftOut_ShowsTheNoteBetweenTheFirstAndTheLastLines()
    {
        // Given
        var transcript = new Transcript();
        transcript.Append(new ProcessOutput(OutputStream.Stdout, "first"));
        transcript.Append(new ProcessOutputDropped(OutputStream.Stdout, 123_456_789, 64 * 1024, 64 * 1024));
        transcript.Append(new ProcessOutput(OutputStream.Stdout, "last"));
        var scenario = TestScenarios.Parse("""
            id: listenmoe/test/flood
            protocol: listenmoe
            rules: [listenmoe.connect.endpoint]
            steps:
              - wait: 10ms
            """);
        var result = new ScenarioResult(scenario, Verdict.Pass, [], [], transcript.Snapshot(), [], TimeSpan.Zero);

        // When
        var snapshot = SnapshotRenderer.Render(result, ProtocolRegistry.Find("listenmoe")!);
        var json = TranscriptJson.ToJson(transcript.Snapshot()[1]);

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(snapshot, Does.Contain("""
                client output:
                  out: first
                  out: [123456789 bytes of stdout left out: the harness keeps the first 64 KiB and the last 64 KiB of each output stream]
                  out: last
                """.ReplaceLineEndings("\n")));
            Assert.That((string?)json["kind"], Is.EqualTo("ProcessOutputDropped"));
            Assert.That((long?)json["droppedBytes"], Is.EqualTo(123_456_789));
        }
    }
}
