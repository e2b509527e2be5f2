using System.Net.WebSockets;
using System.Text;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Protocols.ListenMoe;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Tests;

/// <summary>Input a client should not send is recorded with a note, never thrown (digest §8: non-JSON, binary frames).</summary>
[Category("hosting")]
public sealed class MalformedInputTests
{
    [Test]
    public async Task InvalidUtf8_InATextFrame_IsRecordedWithADecisionAndTheMockKeepsServing()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync();
        await using var client = await HeartbeatTests.ConnectedPastTrackAsync(mock);

        // When
        await client.SendAsync([0x7B, 0xC3, 0x28, 0x7D], WebSocketMessageType.Text);
        await client.SendTextAsync("""{"op":9}""");
        var ack = await client.ReceiveJsonAsync();

        // Then
        var bad = mock.Transcript.Snapshot().OfType<FrameRecorded>().First(f => f.Direction == Direction.ClientToServer);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Op.Of(ack), Is.EqualTo(10));
            Assert.That(bad.Kind, Is.EqualTo(FrameKind.Text));
            Assert.That(bad.Text, Is.Null);
            Assert.That(bad.Binary, Is.EqualTo(new byte[] { 0x7B, 0xC3, 0x28, 0x7D }));
            Assert.That(bad.Decisions.Select(d => d.Kind), Is.EqualTo(new[] { FrameDecisionKind.InvalidUtf8 }));
            Assert.That(bad.Note, Is.EqualTo("invalid UTF-8 in a text frame"));
        }
    }

    [Test]
    public async Task BinaryFrame_FromClient_IsRecordedAsBinaryAndIgnored()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync();
        await using var client = await HeartbeatTests.ConnectedPastTrackAsync(mock);

        // When
        await client.SendAsync([0x01, 0x02, 0xFF], WebSocketMessageType.Binary);
        await client.SendTextAsync("""{"op":9}""");
        var next = await client.ReceiveJsonAsync();

        // Then
        var binary = mock.Transcript.Snapshot().OfType<FrameRecorded>().First(f => f.Direction == Direction.ClientToServer);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Op.Of(next), Is.EqualTo(10), "the binary frame got no answer");
            Assert.That(binary.Kind, Is.EqualTo(FrameKind.Binary));
            Assert.That(binary.Binary, Is.EqualTo(new byte[] { 0x01, 0x02, 0xFF }));
            Assert.That(binary.Display, Is.EqualTo("0x0102FF"));
        }
    }

    [Test]
    public async Task NonJsonText_FromClient_IsRecordedAndIgnored()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync();
        await using var client = await HeartbeatTests.ConnectedPastTrackAsync(mock);

        // When
        await client.SendTextAsync("not json");
        await client.SendTextAsync("");
        await client.SendTextAsync("""{"op":"9"}""");
        await client.SendTextAsync("""{"op":9}""");
        var next = await client.ReceiveJsonAsync();

        // Then
        var received = mock.Transcript.Snapshot().OfType<FrameRecorded>()
            .Where(f => f.Direction == Direction.ClientToServer)
            .Select(f => f.Text);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Op.Of(next), Is.EqualTo(10));
            Assert.That(received, Is.EqualTo(new[] { "not json", "", """{"op":"9"}""", """{"op":9}""" }));
        }
    }

    [Test]
    public async Task JsonGivingANameTwice_FromClient_IsIgnoredWithoutAFaultAndTheConnectionStays()
    {
        // Given (found by the mock fuzz tests: the handler's first read of the object threw, and the mock closed with 1011)
        await using var mock = await ListenMoeMock.StartAsync();
        await using var client = await HeartbeatTests.ConnectedPastTrackAsync(mock);

        // When
        await client.SendTextAsync("""{"op":9,"op":9}""");
        await client.SendTextAsync("""{"op":9}""");
        var next = await client.ReceiveJsonAsync();

        // Then the repeat got no answer, the next heartbeat its ack, and nothing escaped the handler
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Op.Of(next), Is.EqualTo(10));
            Assert.That(mock.Host.Faults, Is.Empty);
            Assert.That(mock.Transcript.Snapshot().OfType<ConnectionClosed>(), Is.Empty);
        }
    }

    [Test]
    public async Task OversizeMessage_FromClient_IsRecordedWithADecisionAndClosedWith1009()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync(host: new MockHostOptions { MaxMessageBytes = 1024 });
        await using var client = await HeartbeatTests.ConnectedPastTrackAsync(mock);

        // When
        await client.SendAsync(Encoding.ASCII.GetBytes(new string('x', 4096)), WebSocketMessageType.Text);
        var code = await client.ReceiveCloseAsync();

        // Then
        var entries = mock.Transcript.Snapshot();
        var oversize = entries.OfType<FrameRecorded>().Single(f => f.Direction == Direction.ClientToServer);
        var closed = entries.OfType<ConnectionClosed>().Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.EqualTo(WebSocketCloseStatus.MessageTooBig));
            Assert.That(oversize.Decisions.Select(d => d.Kind), Is.EqualTo(new[] { FrameDecisionKind.Oversize }));
            Assert.That(oversize.Note, Is.EqualTo("oversize: more than 1024 bytes; closed with 1009"));
            Assert.That(oversize.Text, Has.Length.EqualTo(1024), "the recorded payload is cut at the limit");
            Assert.That(closed.By, Is.EqualTo(CloseInitiator.Server));
            Assert.That(closed.Code, Is.EqualTo(1009));
            Assert.That(closed.Index, Is.GreaterThan(oversize.Index));
        }
    }
}
