using System.Net.WebSockets;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Tests;

/// <summary>A mock that breaks says so: the fault is recorded, rethrown on request, and the client sees 1011.</summary>
[Category("hosting")]
public sealed class FaultTests
{
    [Test]
    public async Task HandlerException_OnFrame_IsRecordedRethrownAndClosesWith1011()
    {
        // Given
        await using var host = await MockHost.StartAsync(
            new MockHostOptions(), [new WebSocketEndpoint("echo", "/echo", _ => new ThrowingHandler())], new Transcript());
        await using var client = await TestClient.ConnectAsync(host.WebSocketUrl("/echo"));

        // When
        await client.SendTextAsync("boom");
        var code = await client.ReceiveCloseAsync();

        // Then
        var entries = host.Transcript.Snapshot();
        var fault = entries.OfType<MockFault>().Single();
        var closed = entries.OfType<ConnectionClosed>().Single();
        var rethrown = Assert.Throws<AggregateException>(host.ThrowIfFaulted);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(WebSocketCloseStatus.InternalServerError));
            Assert.That(fault.Message, Is.EqualTo("handler broke on 'boom'"));
            Assert.That(fault.Detail, Does.Contain(nameof(ThrowingHandler)));
            Assert.That(closed.By, Is.EqualTo(CloseInitiator.Server));
            Assert.That(closed.Code, Is.EqualTo(1011));
            Assert.That(fault.Index, Is.LessThan(closed.Index));
            Assert.That(rethrown?.InnerExceptions.Select(e => e.Message), Is.EqualTo(new[] { "handler broke on 'boom'" }));
        }
    }

    [Test]
    public async Task ThrowIfFaulted_WithoutFaults_DoesNotThrow()
    {
        // Given
        await using var host = await MockHost.StartAsync(
            new MockHostOptions(), [new WebSocketEndpoint("echo", "/echo", _ => new ThrowingHandler())], new Transcript());

        // When
        await using (var client = await TestClient.ConnectAsync(host.WebSocketUrl("/echo")))
        {
            await client.CloseAsync();
        }

        // Then
        Assert.That(host.ThrowIfFaulted, Throws.Nothing);
    }

    /// <summary>A handler that fails on the first frame, standing in for a bug in a protocol mock.</summary>
    private sealed class ThrowingHandler : ConnectionHandler
    {
        public override Task OnFrameAsync(MockConnection connection, FrameRecorded frame) =>
            throw new InvalidOperationException($"handler broke on '{frame.Text}'");
    }
}
