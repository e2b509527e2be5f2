using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using DotNet.Testcontainers.Builders;

namespace Conformance.Testcontainers.Tests;

/// <summary>
/// The module against a real engine: LISTEN.moe's mock in a container, reached over a WebSocket from this process.
/// Where no engine runs, or the image is not there, the test is Inconclusive with the reason, never Passed.
/// </summary>
[Category("container")]
public sealed class ConformanceContainerTests
{
    [Test]
    [CancelAfter(120_000)]
    public async Task ListenMoe_InAContainer_SendsOpZeroWithTheScenarioHeartbeatAndTheOptionMessage(CancellationToken cancellation)
    {
        // Given a LISTEN.moe mock whose scenario advertises a 300 ms heartbeat and whose option changes the welcome
        var scenario = Path.Combine(TestContext.CurrentContext.TestDirectory, "Scenarios", "listenmoe-gateway.yaml");
        var builder = new ConformanceBuilder(EngineProbe.Image)
            .WithProtocol("listenmoe")
            .WithScenario(scenario)
            .WithMockOption("welcomeMessage", "hello from a container")
            // Ryuk, Testcontainers' reaper, is an image to pull, and no registry answers here. Without it, disposing only
            // stops a container; the engine removes this one when it stops.
            .WithCleanUp(false)
            .WithAutoRemove(true);
        DockerUnavailableException? unavailable = null;
        try
        {
            _ = builder.Build();
        }
        catch (DockerUnavailableException e)
        {
            unavailable = e;
        }

        if (unavailable is not null)
        {
            Assert.Inconclusive(await EngineProbe.ExplainAsync(unavailable));
        }

        var (whyNot, hasBridge) = await EngineProbe.CheckAsync(EngineProbe.Image, cancellation);
        if (whyNot is not null)
        {
            Assert.Inconclusive(whyNot);
        }

        // When it runs in a container (sharing the host's network where the engine has no bridge) and a client connects
        await using var container = (hasBridge ? builder : builder.WithHostNetwork()).Build();
        await container.StartAsync(cancellation);
        var gateway = container.GetUrl("gateway");
        TestContext.Out.WriteLine($"{(hasBridge ? "published port" : "host network")}: gateway {gateway}, http {container.HttpUrl}");
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(gateway, cancellation);
        var welcome = JsonNode.Parse(await ReceiveTextAsync(socket, cancellation))!;

        // Then its first frame is op 0 with both settings, and the control API sees the connection
        Assert.That((int)welcome["op"]!, Is.Zero);
        Assert.That((int)welcome["d"]!["heartbeat"]!, Is.EqualTo(300));
        Assert.That((string)welcome["d"]!["message"]!, Is.EqualTo("hello from a container"));
        Assert.That(container.EndpointNames, Is.EqualTo(new[] { "gateway", "kpop" }));
        using var http = new HttpClient();
        var connections = JsonNode.Parse(await http.GetStringAsync(new Uri(container.HttpUrl, "/_conformance/connections"), cancellation))!;
        Assert.That(connections.AsArray(), Has.Count.EqualTo(1));
    }

    private static async Task<string> ReceiveTextAsync(ClientWebSocket socket, CancellationToken cancellation)
    {
        var buffer = new byte[16 * 1024];
        var length = 0;
        ValueWebSocketReceiveResult received;
        do
        {
            received = await socket.ReceiveAsync(buffer.AsMemory(length), cancellation);
            length += received.Count;
        }
        while (!received.EndOfMessage && length < buffer.Length);

        Assert.That(received.MessageType, Is.EqualTo(WebSocketMessageType.Text));
        return Encoding.UTF8.GetString(buffer, 0, length);
    }
}
