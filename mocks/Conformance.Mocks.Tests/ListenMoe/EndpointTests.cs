using System.Net;
using System.Net.WebSockets;
using Conformance.Mocks.Protocols.ListenMoe;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Tests;

/// <summary>Seed 000 §Connecting: <c>/gateway_v2</c> (J-pop) and <c>/kpop/gateway_v2</c> (K-pop), nothing else.</summary>
[Category("listenmoe")]
public sealed class EndpointTests
{
    [Test]
    public async Task Urls_AfterStart_PointAtLoopbackWithAnEphemeralPort()
    {
        // Given / When
        await using var mock = await ListenMoeMock.StartAsync();

        // Then
        var jpop = new Uri(mock.Url);
        var kpop = new Uri(mock.KpopUrl);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(jpop.Scheme, Is.EqualTo("ws"));
            Assert.That(jpop.Host, Is.EqualTo("127.0.0.1"));
            Assert.That(jpop.Port, Is.Not.Zero);
            Assert.That(jpop.AbsolutePath, Is.EqualTo("/gateway_v2"));
            Assert.That(kpop.Host, Is.EqualTo("127.0.0.1"));
            Assert.That(kpop.Port, Is.EqualTo(jpop.Port));
            Assert.That(kpop.AbsolutePath, Is.EqualTo("/kpop/gateway_v2"));
            Assert.That(mock.HttpUrl.Port, Is.EqualTo(jpop.Port));
        }
    }

    [Test]
    public async Task Start_TwoMocksAtOnce_GetDifferentPorts()
    {
        // Given / When
        var starting = new[] { ListenMoeMock.StartAsync(), ListenMoeMock.StartAsync() };
        await Task.WhenAll(starting);
        await using var first = await starting[0];
        await using var second = await starting[1];

        // Then
        Assert.That(new Uri(first.Url).Port, Is.Not.EqualTo(new Uri(second.Url).Port));
    }

    [Test]
    public async Task KpopGateway_OnConnect_ServesTheSameProtocol()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync(o => o.HeartbeatInterval = TimeSpan.FromMilliseconds(300));

        // When
        await using var client = await TestClient.ConnectAsync(mock.KpopUrl);
        var welcome = await client.ReceiveJsonAsync();
        var track = await client.ReceiveJsonAsync();
        await client.SendTextAsync("""{"op":9}""");
        var ack = await client.ReceiveJsonAsync();

        // Then
        var opened = mock.Transcript.Snapshot().OfType<ConnectionOpened>().Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(welcome["d"]!["heartbeat"]!.GetValue<long>(), Is.EqualTo(300));
            Assert.That(Op.TypeOf(track), Is.EqualTo("TRACK_UPDATE"));
            Assert.That(Op.Of(ack), Is.EqualTo(10));
            Assert.That(opened.Endpoint, Is.EqualTo(ListenMoeMock.Endpoints.Kpop));
            Assert.That(opened.Path, Is.EqualTo("/kpop/gateway_v2"));
        }
    }

    [Test]
    public async Task UnknownPath_WebSocketUpgrade_IsAnsweredWith404()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync();
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        var url = new Uri(new Uri(mock.Url), "/gateway_v3");

        // When
        using var timeout = Timeouts.Wait();
        var refused = Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(url, timeout.Token));

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused, Is.Not.Null);
            Assert.That(socket.HttpStatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(mock.Transcript.Snapshot().OfType<ConnectionOpened>(), Is.Empty);
            Assert.That(mock.Connections, Is.Empty);
        }
    }
}
