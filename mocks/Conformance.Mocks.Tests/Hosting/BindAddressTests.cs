using System.Net;
using System.Net.WebSockets;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Protocols.ListenMoe;

namespace Conformance.Mocks.Tests;

/// <summary>A mock binds loopback unless told otherwise, and one bound to every address announces a URL a client can use.</summary>
public sealed class BindAddressTests
{
    [Test]
    public async Task StartAsync_ByDefault_BindsLoopbackOnly()
    {
        await using var mock = await ListenMoeMock.StartAsync(new ListenMoeOptions());

        Assert.That(new Uri(mock.Url).Host, Is.EqualTo("127.0.0.1"));
    }

    [Test]
    public async Task StartAsync_BoundToEveryAddress_AnnouncesLoopback_AndAcceptsThere()
    {
        // Given a mock bound to 0.0.0.0
        await using var mock = await ListenMoeMock.StartAsync(new ListenMoeOptions(), new MockHostOptions { Address = IPAddress.Any });

        // When a client connects to the URL it announces
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(mock.Url), CancellationToken.None);

        // Then that URL is on loopback, not 0.0.0.0, and the connection is open
        Assert.That((new Uri(mock.Url).Host, mock.HttpUrl.Host), Is.EqualTo(("127.0.0.1", "127.0.0.1")));
        Assert.That(socket.State, Is.EqualTo(WebSocketState.Open));
    }
}
