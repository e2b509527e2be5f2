using System.Net;
using System.Net.WebSockets;
using Conformance.Mocks.Protocols.PlugDj;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Tests;

/// <summary>
/// Seed 001 §Connecting, step 1: "the socket server only accepts connections that originate from https://plug.dj";
/// digest §8: other origins are refused with HTTP 403.
/// </summary>
[Category("plugdj")]
public sealed class PlugDjOriginTests
{
    [Test]
    public async Task Upgrade_WithoutOrigin_IsRefusedWith403()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();

        // When
        var (refused, status) = await TryUpgradeAsync(mock, origin: null);

        // Then
        var refusal = mock.Transcript.Snapshot().OfType<ConnectionRefused>().SingleOrDefault();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused, Is.True, "the upgrade fails");
            Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(refusal?.Status, Is.EqualTo(403));
            Assert.That(refusal?.Endpoint, Is.EqualTo(PlugDjMock.SocketEndpoint));
            Assert.That(refusal?.Path, Is.EqualTo("/socket"));
            Assert.That(refusal?.Reason, Does.Contain("Origin"));
            Assert.That(mock.Transcript.Snapshot().OfType<ConnectionOpened>(), Is.Empty);
            Assert.That(mock.Connections, Is.Empty);
        }
    }

    [TestCase("https://evil.example")]
    [TestCase("http://plug.dj")]
    [TestCase("https://plug.dj.evil.example")]
    public async Task Upgrade_WithAnotherOrigin_IsRefusedWith403NamingIt(string origin)
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();

        // When
        var (refused, status) = await TryUpgradeAsync(mock, origin);

        // Then
        var refusal = mock.Transcript.Snapshot().OfType<ConnectionRefused>().SingleOrDefault();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused, Is.True, "the upgrade fails");
            Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(refusal?.Status, Is.EqualTo(403));
            Assert.That(refusal?.Reason, Does.Contain(origin));
            Assert.That(mock.Connections, Is.Empty);
        }
    }

    [Test]
    public async Task Upgrade_WithPlugDjOrigin_IsAcceptedAndRecordsTheOrigin()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();

        // When
        await using var client = await PlugDjSocket.ConnectAsync(mock.Url);

        // Then
        var entries = mock.Transcript.Snapshot();
        var opened = entries.OfType<ConnectionOpened>().SingleOrDefault();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(client.State, Is.EqualTo(WebSocketState.Open));
            Assert.That(entries.OfType<ConnectionRefused>(), Is.Empty);
            Assert.That(opened?.Endpoint, Is.EqualTo(PlugDjMock.SocketEndpoint));
            Assert.That(opened?.Path, Is.EqualTo("/socket"));
            Assert.That(opened?.Headers["Origin"], Is.EqualTo(PlugDjSocket.PlugOrigin));
        }
    }

    [TestCase(null)]
    [TestCase("https://evil.example")]
    public async Task Upgrade_WhenRequireOriginIsFalse_IsAcceptedWhateverTheOrigin(string? origin)
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync(o => o.RequireOrigin = false);

        // When
        await using var client = await PlugDjSocket.ConnectAsync(mock.Url, origin);
        await client.SendTextAsync(PlugDjSocket.Auth(mock.Options.Token));
        var ack = await PlugDjSocket.ReceiveSingleEventAsync(client);

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(mock.Transcript.Snapshot().OfType<ConnectionRefused>(), Is.Empty);
            Assert.That(mock.Transcript.Snapshot().OfType<ConnectionOpened>().Count(), Is.EqualTo(1));
            Assert.That(ack["a"]!.GetValue<string>(), Is.EqualTo("ack"), "the connection is served normally");
        }
    }

    [Test]
    public async Task Upgrade_WithTheConfiguredOrigin_IsAcceptedAndPlugDjIsThenRefused()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync(o => o.Origin = "https://staging.plug.dj");

        // When
        await using var client = await PlugDjSocket.ConnectAsync(mock.Url, "https://staging.plug.dj");
        var (refused, status) = await TryUpgradeAsync(mock, PlugDjSocket.PlugOrigin);

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(client.State, Is.EqualTo(WebSocketState.Open));
            Assert.That(refused, Is.True);
            Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(mock.Connections, Has.Count.EqualTo(1));
        }
    }

    /// <summary>Attempts an upgrade and reports whether it failed and with which HTTP status.</summary>
    private static async Task<(bool Refused, HttpStatusCode Status)> TryUpgradeAsync(PlugDjMock mock, string? origin)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        using var timeout = Timeouts.Wait();
        try
        {
            await socket.ConnectAsync(new Uri(mock.Url), timeout.Token);
            return (false, socket.HttpStatusCode);
        }
        catch (WebSocketException)
        {
            return (true, socket.HttpStatusCode);
        }
    }
}
