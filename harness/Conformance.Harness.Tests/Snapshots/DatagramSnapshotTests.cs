using Conformance.Harness.Monitors;
using Conformance.Harness.Protocols;
using Conformance.Harness.Running;
using Conformance.Harness.Snapshots;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Tests.Snapshots;

/// <summary>Snapshots show UDP peers and their datagrams in the one timeline of connections and HTTP exchanges.</summary>
public sealed class DatagramSnapshotTests
{
    [Test]
    public void Render_PeerBetweenTwoConnections_ShowsItsDatagramsBetweenTheirFrames()
    {
        // Given: connection 1 with a frame, UDP peer 2 with datagrams each way, an HTTP exchange, connection 3 with a frame
        var result = Result(Timeline());

        // When
        var snapshot = SnapshotRenderer.Render(result, ProtocolRegistry.Find("listenmoe")!);

        // Then
        Assert.That(snapshot, Is.EqualTo("""
            scenario: listenmoe/test/udp-timeline
            verdict: Pass
            rules:
            steps:
            connection 1 /gateway_v2
              server:
              client:
                one
              closed by Client 1000
            udp peer 2 on audio
              server:
                0x010203  (3 bytes)
              server, scripted:
                step 2: 0xFF  (1 byte)
              client:
                0x010203  (3 bytes)
                0x  (0 bytes)
              closed by Teardown
            http GET /podcasts -> 200
            connection 3 /gateway_v2
              server:
              client:
                two
              still open
            client output:
            client process: did not exit

            """.ReplaceLineEndings("\n")));
    }

    [Test]
    public void Render_ModuleThatDecodesDatagrams_ShowsItsDescriptionInsteadOfTheHex()
    {
        // Given
        var result = Result(Timeline());
        var module = new DecodingModule(ProtocolRegistry.Find("listenmoe")!);

        // When
        var snapshot = SnapshotRenderer.Render(result, module);

        // Then
        Assert.That(snapshot, Does.Contain("""
            udp peer 2 on audio
              server:
                packet 1, 3 bytes
              server, scripted:
                step 2: packet 255, 1 bytes
              client:
                packet 1, 3 bytes
                empty
              closed by Teardown
            """.ReplaceLineEndings("\n")));
    }

    private static Transcript Timeline()
    {
        var transcript = new Transcript();
        var headers = new Dictionary<string, string>();
        transcript.Append(new ConnectionOpened(1, "gateway", "/gateway_v2", "", headers));
        transcript.Append(new FrameRecorded(1, Direction.ClientToServer, FrameKind.Text, "one", null));
        transcript.Append(new UdpPeerOpened(2, "audio", "127.0.0.1:40000"));
        transcript.Append(new DatagramRecorded(2, Direction.ClientToServer, [1, 2, 3]));
        transcript.Append(new DatagramRecorded(2, Direction.ServerToClient, [1, 2, 3]));
        transcript.Append(new DatagramRecorded(2, Direction.ServerToClient, [0xFF]) { Origin = "step 2" });
        transcript.Append(new DatagramRecorded(2, Direction.ClientToServer, []));
        transcript.Append(new ConnectionClosed(1, CloseInitiator.Client, 1000, ""));
        transcript.Append(new HttpExchange("GET", "/podcasts", "", null, 200, "{}"));
        transcript.Append(new ConnectionOpened(3, "gateway", "/gateway_v2", "", headers));
        transcript.Append(new FrameRecorded(3, Direction.ClientToServer, FrameKind.Text, "two", null));
        transcript.Append(new ConnectionClosed(2, CloseInitiator.Teardown, null, null));
        return transcript;
    }

    private static ScenarioResult Result(Transcript transcript)
    {
        var scenario = TestScenarios.Parse("""
            id: listenmoe/test/udp-timeline
            protocol: listenmoe
            rules: [listenmoe.connect.endpoint]
            steps:
              - wait: 10ms
            """);
        return new ScenarioResult(scenario, Verdict.Pass, [], [], transcript.Snapshot(), [], TimeSpan.Zero);
    }

    /// <summary>LISTEN.moe in every respect but one: it decodes datagrams as "packet &lt;first byte&gt;".</summary>
    private sealed class DecodingModule(IProtocolModule inner) : IProtocolModule
    {
        public string Id => inner.Id;

        public IReadOnlyList<string> Endpoints => inner.Endpoints;

        public IReadOnlyCollection<string> Templates => inner.Templates;

        public Type OptionsType => inner.OptionsType;

        public IReadOnlyList<IRuleMonitor> Monitors => inner.Monitors;

        public IReadOnlyList<string> ClientVariables => inner.ClientVariables;

        public IReadOnlyList<ClientFeature> Features => inner.Features;

        public ProtocolDescription Description => inner.Description;

        public object CreateOptions() => inner.CreateOptions();

        public Task<ProtocolMock> StartMockAsync(object options, MockHostOptions host, Transcript transcript) =>
            inner.StartMockAsync(options, host, transcript);

        public bool IsHeartbeat(FrameRecorded frame) => inner.IsHeartbeat(frame);

        public IReadOnlyDictionary<string, string> ClientEnvironment(ProtocolMock mock) => inner.ClientEnvironment(mock);

        public string? DescribeDatagram(DatagramRecorded datagram) =>
            datagram.Payload is [var type, ..] ? $"packet {type}, {datagram.Payload.Length} bytes" : "empty";
    }
}
