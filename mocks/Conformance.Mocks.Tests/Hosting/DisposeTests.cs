using System.Net;
using System.Net.Sockets;
using Conformance.Mocks.Protocols.ListenMoe;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Tests;

/// <summary>Stopping a mock frees everything it held and says what it cut off.</summary>
[Category("hosting")]
public sealed class DisposeTests
{
    [Test]
    public async Task Dispose_WithAnOpenConnection_ReleasesThePort()
    {
        // Given
        var mock = await ListenMoeMock.StartAsync();
        var port = mock.HttpUrl.Port;
        await using (var client = await HeartbeatTests.ConnectedPastTrackAsync(mock))
        {
            // When
            await mock.DisposeAsync();
        }

        // Then
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            Assert.That(listener.Start, Throws.Nothing);
        }
        finally
        {
            listener.Stop();
            listener.Dispose();
        }
    }

    [Test]
    public async Task Dispose_WithAnOpenConnection_RecordsItAsTeardown()
    {
        // Given
        var mock = await ListenMoeMock.StartAsync();
        var transcript = mock.Transcript;
        await using var client = await HeartbeatTests.ConnectedPastTrackAsync(mock);

        // When
        await mock.DisposeAsync();

        // Then
        var closed = transcript.Snapshot().OfType<ConnectionClosed>().Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(closed.By, Is.EqualTo(CloseInitiator.Teardown));
            Assert.That(closed.Code, Is.Null);
        }
    }

    [Test]
    public async Task Dispose_AfterTheClientClosed_RecordsNoSecondClose()
    {
        // Given
        var mock = await ListenMoeMock.StartAsync();
        var transcript = mock.Transcript;
        await using var client = await HeartbeatTests.ConnectedPastTrackAsync(mock);
        await client.CloseAsync();

        // When
        await mock.DisposeAsync();

        // Then
        Assert.That(transcript.Snapshot().OfType<ConnectionClosed>().Select(c => c.By), Is.EqualTo(new[] { CloseInitiator.Client }));
    }

    [Test]
    public async Task Dispose_CalledTwice_IsHarmless()
    {
        // Given: an explicit dispose inside an await using, as tests that check teardown write it
        await using var mock = await ListenMoeMock.StartAsync(o => o.TrackChangeInterval = TimeSpan.FromSeconds(30));
        await mock.DisposeAsync();

        // When
        var second = async () => await mock.DisposeAsync();

        // Then
        Assert.That(second, Throws.Nothing);
    }
}
