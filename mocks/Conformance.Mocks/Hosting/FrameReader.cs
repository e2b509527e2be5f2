using System.Buffers;
using System.Collections.Concurrent;
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
    WebSocket socket, IProducerConsumerCollection<FrameKind> kinds, MockConnection connection, Transcript transcript, int maxBytes)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public async IAsyncEnumerable<FrameRecorded> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellation = default)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        using var message = new MemoryStream();
        try
        {
            while (connection.IsOpen)
            {
                ValueWebSocketReceiveResult result;
                try
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(), cancellation).ConfigureAwait(false);
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

                message.Write(buffer, 0, result.Count);
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
                yield return Record(NextKind(), payload, oversize: null);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Answers a client's close frame so the client sees a clean close handshake.</summary>
    public async Task FinishAsync()
    {
        if (socket.State != WebSocketState.CloseReceived)
        {
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

    /// <summary>The type the client gave this message; every data frame reaches the socket relabelled as binary.</summary>
    private FrameKind NextKind() => kinds.TryTake(out var kind) ? kind : FrameKind.Binary;

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
