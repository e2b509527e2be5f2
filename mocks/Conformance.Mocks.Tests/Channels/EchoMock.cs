using System.Text.Json.Nodes;
using Conformance.Mocks.Channels;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Tests.Channels;

/// <summary>
/// The smallest mock with both transports: a WebSocket endpoint that echoes every message, and a UDP endpoint that echoes
/// every datagram, so a test can tell each was received (and recorded) by waiting for its echo.
/// </summary>
internal sealed class EchoMock : ProtocolMock
{
    public const string Control = "control";
    public const string Audio = "audio";

    public override string Protocol => "echo";

    public override IReadOnlyCollection<string> TemplateNames { get; } = ["hello"];

    public string ControlUrl => Urls[Control];

    public MockUdpSocket AudioSocket => Host.UdpSockets.Single(s => s.Name == Audio);

    public static async Task<EchoMock> StartAsync()
    {
        var mock = new EchoMock();
        await mock.StartHostAsync(
            null, [new WebSocketEndpoint(Control, "/control", _ => new EchoFrames()), new UdpEndpoint(Audio, _ => new EchoDatagrams())], null);
        return mock;
    }

    public override JsonNode RenderTemplate(string name, MockConnection? connection) =>
        name == "hello" ? new JsonObject { ["hello"] = connection?.Id } : throw UnknownTemplate(name);

    private sealed class EchoFrames : ConnectionHandler
    {
        public override Task OnFrameAsync(MockConnection connection, FrameRecorded frame) =>
            frame.Text is { } text ? connection.SendTextAsync(text) : connection.SendBinaryAsync(frame.Binary!);
    }
}

/// <summary>Sends every datagram straight back to the peer it came from.</summary>
internal sealed class EchoDatagrams : DatagramHandler
{
    public override Task OnDatagramAsync(UdpPeer peer, DatagramRecorded datagram) => peer.SendBinaryAsync(datagram.Payload);
}
