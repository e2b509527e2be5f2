using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Hosting;

/// <summary>
/// The read side of a connection: reassembles messages, stamps and records each one, and notices how the
/// connection ends. Malformed input (invalid UTF-8, oversize) is recorded with a decision, never thrown.
/// </summary>
internal sealed class FrameReader(
    WebSocket socket, TextFramesAsBinaryStream stream, MockConnection connection, Transcript transcript, int maxBytes)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The read buffer, rented from the shared pool while a message is arriving and returned once it is whole.</summary>
    private const int ReadBufferBytes = 16 * 1024;

    /// <summary>
    /// Reads and records messages until the connection ends. Between messages the reader holds no buffer: it waits with a
    /// zero-byte receive, which completes once the client's next frame begins to arrive, and only then rents one. An idle
    /// connection costs the mock no read buffer, which is most of what ten thousand of them would otherwise hold.
    /// </summary>
    public async IAsyncEnumerable<FrameRecorded> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellation = default)
    {
        byte[]? buffer = null;
        using var message = new MemoryStream();
        try
        {
            while (connection.IsOpen)
            {
                if (connection.IsHalfOpen)
                {
                    // A hung peer: nothing more is read (the client's bytes pile up in the TCP buffers) until the run ends.
                    await WaitUntilEndedAsync(cancellation).ConfigureAwait(false);
                    yield break;
                }

                ValueWebSocketReceiveResult result;
                try
                {
                    result = await socket.ReceiveAsync(buffer is null ? Memory<byte>.Empty : buffer.AsMemory(), cancellation).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
                {
                    connection.MarkEnded(CloseInitiator.ClientLost, null, null);
                    yield break;
                }

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    connection.MarkEnded(CloseInitiator.Client, (int?)socket.CloseStatus, socket.CloseStatusDescription);
                    yield break;
                }

                if (buffer is null && !result.EndOfMessage)
                {
                    // The zero-byte wait is over: a message is coming in.
                    buffer = ArrayPool<byte>.Shared.Rent(ReadBufferBytes);
                    continue;
                }

                if (result.Count > 0)
                {
                    message.Write(buffer!, 0, result.Count);
                }

                if (message.Length > maxBytes)
                {
                    yield return Record(NextKind(), message.ToArray()[..maxBytes], new FrameDecision(FrameDecisionKind.Oversize, $"oversize: more than {maxBytes} bytes; closed with 1009"));
                    await connection.CloseAsync(1009, "message too big").ConfigureAwait(false);
                    yield break;
                }

                if (!result.EndOfMessage)
                {
                    continue;
                }

                var payload = message.ToArray();
                message.SetLength(0);
                Release(ref buffer);
                yield return Record(NextKind(), payload, oversize: null);
            }
        }
        finally
        {
            Release(ref buffer);
        }
    }

    private static void Release(ref byte[]? buffer)
    {
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = null;
        }
    }

    /// <summary>
    /// Answers a client's close frame so the client sees a clean close handshake; when the wire settings say not to, the
    /// close goes unanswered and the TCP connection stays open until the client gives up on it or the run ends.
    /// </summary>
    public async Task FinishAsync()
    {
        if (socket.State != WebSocketState.CloseReceived || connection.CloseSent)
        {
            // Nothing to answer, or the client's close answered the mock's own (a close frame written as a fault).
            return;
        }

        if (!connection.AnswersClose)
        {
            await WaitForTcpEndAsync().ConfigureAwait(false);
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.CloseOutputAsync(socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, null, timeout.Token)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client did not wait for our half of the handshake.
        }
    }

    private async Task WaitUntilEndedAsync(CancellationToken cancellation)
    {
        try
        {
            using var ended = CancellationTokenSource.CreateLinkedTokenSource(cancellation, connection.Closed);
            await Task.Delay(Timeout.Infinite, ended.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The run ended, or the connection was cut.
        }
    }

    /// <summary>Reads on after an unanswered close until the client closes TCP (or the run cuts it); nothing more is a frame.</summary>
    private async Task WaitForTcpEndAsync()
    {
        // The WebSocket reads no further once a close has come, so the stream under it is read, and what comes is dropped.
        var buffer = new byte[256];
        try
        {
            while (await stream.ReadAsync(buffer.AsMemory(), connection.TornDown).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The client reset it, or the run ended.
        }

        transcript.Append(new TcpReleased(connection.Id, ByClient: !connection.TornDown.IsCancellationRequested));
    }

    /// <summary>The type the client gave this message; every data frame reaches the socket relabelled as binary.</summary>
    private FrameKind NextKind() => stream.MessageKinds.TryDequeue(out var kind) ? kind : FrameKind.Binary;

    private FrameRecorded Record(FrameKind kind, byte[] payload, FrameDecision? oversize)
    {
        FrameDecision? invalidUtf8 = null;
        if (kind == FrameKind.Text)
        {
            try
            {
                var text = StrictUtf8.GetString(payload);
                return transcript.Append(Decided(new FrameRecorded(connection.Id, Direction.ClientToServer, FrameKind.Text, text, null), oversize, null));
            }
            catch (DecoderFallbackException)
            {
                invalidUtf8 = new FrameDecision(FrameDecisionKind.InvalidUtf8, oversize is null ? "invalid UTF-8 in a text frame" : "invalid UTF-8");
            }
        }

        return transcript.Append(Decided(new FrameRecorded(connection.Id, Direction.ClientToServer, kind, null, payload), oversize, invalidUtf8));
    }

    private static FrameRecorded Decided(FrameRecorded frame, params FrameDecision?[] decisions)
    {
        foreach (var decision in decisions)
        {
            if (decision is not null)
            {
                frame.Decide(decision);
            }
        }

        return frame;
    }
}
