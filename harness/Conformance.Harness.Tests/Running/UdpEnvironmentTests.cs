using System.Text.Json.Nodes;
using Conformance.Harness.Clients;
using Conformance.Harness.Running;
using Conformance.Mocks.Channels;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Tests.Running;

/// <summary>The client is told where each UDP endpoint is, as <c>CONFORMANCE_&lt;ENDPOINT&gt;_URL</c>, beside the contract's own variables.</summary>
public sealed class UdpEnvironmentTests
{
    [TestCase("audio", "CONFORMANCE_AUDIO_URL")]
    [TestCase("voice-1", "CONFORMANCE_VOICE_1_URL")]
    [TestCase("Podcast.Audio", "CONFORMANCE_PODCAST_AUDIO_URL")]
    [TestCase("ünï", "CONFORMANCE__N__URL")]
    public void EndpointUrl_OfAName_IsUpperCasedWithOtherCharactersAsUnderscores(string endpoint, string variable)
    {
        Assert.That(ClientVariables.EndpointUrl(endpoint), Is.EqualTo(variable));
    }

    [Test]
    public async Task Environment_WithUdpEndpoints_AnnouncesEachAndKeepsTheContractVariables()
    {
        // Given: a mock with a WebSocket gateway and UDP endpoints "audio", "voice-1" and one unluckily named "http", for a
        // protocol whose first endpoint is that gateway and which gives the client no variables of its own
        await using var mock = await TwoTransportMock.StartAsync();
        var scenario = TestScenarios.Parse("""
            id: listenmoe/test/udp-environment
            protocol: listenmoe
            rules: [listenmoe.connect.endpoint]
            steps:
              - wait: 10ms
            """);

        // When
        var environment = ScenarioRunner.Environment(scenario, new Scenarios.TinyModule { Endpoints = ["gateway"] }, mock);

        // Then
        var udp = mock.Host.UdpSockets.ToDictionary(s => s.Name, s => s.Url);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(environment["CONFORMANCE_AUDIO_URL"], Is.EqualTo(udp["audio"]).And.Match(@"^udp://127\.0\.0\.1:\d+$"));
            Assert.That(environment["CONFORMANCE_VOICE_1_URL"], Is.EqualTo(udp["voice-1"]));
            Assert.That(environment["CONFORMANCE_URL"], Is.EqualTo($"ws://127.0.0.1:{mock.HttpUrl.Port}/gateway_v2"));
            Assert.That(environment["CONFORMANCE_HTTP_URL"], Is.EqualTo($"http://127.0.0.1:{mock.HttpUrl.Port}"));
        }
    }

    /// <summary>A WebSocket endpoint named as LISTEN.moe's first one, beside three UDP endpoints.</summary>
    private sealed class TwoTransportMock : ProtocolMock
    {
        public override string Protocol => "listenmoe";

        public override IReadOnlyCollection<string> TemplateNames { get; } = [];

        public static async Task<TwoTransportMock> StartAsync()
        {
            var mock = new TwoTransportMock();
            await mock.StartHostAsync(
                null,
                [
                    new WebSocketEndpoint("gateway", "/gateway_v2", _ => new Silent()),
                    new UdpEndpoint("audio", _ => new Deaf()),
                    new UdpEndpoint("voice-1", _ => new Deaf()),
                    new UdpEndpoint("http", _ => new Deaf()),
                ],
                new Transcript());
            return mock;
        }

        public override JsonNode RenderTemplate(string name, MockConnection? connection) => throw UnknownTemplate(name);

        private sealed class Silent : ConnectionHandler;

        private sealed class Deaf : DatagramHandler;
    }
}
