using System.Net.Sockets;
using Conformance.Mocks.Transcripts;
using Conformance.Mocks.Wire;

namespace Conformance.Mocks.Hosting;

/// <summary>
/// What a connection needs to misbehave below the WebSocket: its byte stream, its TCP socket (null over TLS, where a reset
/// becomes a plain cut), and the host's current wire fault settings and chaos.
/// </summary>
internal sealed record ConnectionWire(TextFramesAsBinaryStream Stream, Socket? Tcp, Func<WirePolicy?> Policy, Func<Chaos.ChaosPlan?> Chaos);

/// <summary>Wire faults: one-off violations written as raw bytes, and sends shaped by the host's <see cref="WireFaultSettings"/>.</summary>
public sealed partial class MockConnection
{
    private readonly ConnectionWire? _wire;
    private volatile bool _halfOpen;
    private volatile bool _closeSent;

    /// <summary>True once a <see cref="HalfOpenFault"/> made the mock stop reading and writing on this connection.</summary>
    public bool IsHalfOpen => _halfOpen;

    /// <summary>True once a close frame went out as a fault (<see cref="CloseCodeFault"/>): the mock sends no more messages.</summary>
    public bool CloseSent => _closeSent;

    /// <summary>Whether a message may still go out: the connection is open, not half-open, and no close frame went out.</summary>
    private bool SendsMessages => IsOpen && !IsHalfOpen && !CloseSent;

    /// <summary>False when the host's wire settings say a client's close frame goes unanswered.</summary>
    internal bool AnswersClose => _wire?.Policy()?.Settings.AnswerClose ?? true;

    /// <summary>
    /// Commits <paramref name="fault"/> on this connection: records it, writes its bytes between the WebSocket's own frames
    /// (each write within the send timeout), then resets or half-opens the connection if the fault says so. False when
    /// the connection had ended or could not take the bytes.
    /// </summary>
    public async Task<bool> InjectAsync(WireFault fault, string? origin = null)
    {
        ArgumentNullException.ThrowIfNull(fault);
        if (_wire is null)
        {
            throw new InvalidOperationException($"Connection {Id} has no raw stream to write a wire fault on.");
        }

        await _sendGate.WaitAsync(reply: false).ConfigureAwait(false);
        try
        {
            if (!IsOpen || IsHalfOpen)
            {
                return false;
            }

            Action record = fault.Message is { } message
                ? () => LastSent = _transcript.Append(new FrameRecorded(Id, Direction.ServerToClient, FrameKind.Text, message, null) { Origin = origin, Wire = fault.Wire }).At
                : () => LastSent = _transcript.Append(new WireFaultSent(Id, fault.Name, fault.Detail) { Origin = origin }).At;
            var writes = fault.Writes().ToList();
            if (writes.Count == 0)
            {
                record();
            }

            if (!await WriteAllAsync(writes, record).ConfigureAwait(false))
            {
                return false;
            }

            switch (fault.After)
            {
                case WireAfter.Reset:
                    Reset();
                    break;
                case WireAfter.HalfOpen:
                    _halfOpen = true;
                    _wire.Stream.Freeze(TornDown);
                    break;
                case WireAfter.Closing:
                    _closeSent = true;
                    break;
            }

            return true;
        }
        finally
        {
            _sendGate.Release();
        }
    }

    /// <summary>Records a ping or pong the client sent; the reader calls it as the frame goes by.</summary>
    internal void RecordControlFrame(byte opcode, byte[] payload) =>
        _transcript.Append(new ControlFrameRecorded(Id, Direction.ClientToServer, opcode == WireFrames.Pong, payload));

    private WirePolicy? ShapingPolicy() => _wire?.Policy() is { Settings.ShapesSends: true } policy ? policy : null;

    /// <summary>Sends one message as the wire settings shape it; the caller holds the send lock.</summary>
    private async Task<bool> SendShapedAsync(WirePolicy policy, byte[] payload, FrameKind kind, string? text, string? origin)
    {
        var writes = policy.Plan(kind == FrameKind.Text ? WireFrames.Text : WireFrames.Binary, payload);

        return await WriteAllAsync(writes, () => LastSent = _transcript.Append(new FrameRecorded(Id, Direction.ServerToClient, kind, text, text is null ? payload : null)
        {
            Origin = origin,
            Wire = policy.Describe(payload.Length),
        }).At).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes raw bytes, each after its wait; a write the client does not take within the send timeout cuts the
    /// connection as <see cref="CloseInitiator.ClientStalled"/>. False when the connection ended on the way.
    /// <paramref name="record"/> runs just before the last write: the client can have the message only once its last
    /// byte is out, and cannot answer it before it is recorded.
    /// </summary>
    private async Task<bool> WriteAllAsync(IReadOnlyList<WireWrite> writes, Action record)
    {
        var total = writes.Sum(w => w.Bytes.Length);
        var written = 0;
        try
        {
            for (var i = 0; i < writes.Count; i++)
            {
                var write = writes[i];
                if (write.Before > TimeSpan.Zero)
                {
                    await Task.Delay(write.Before, _transcript.Time, Closed).ConfigureAwait(false);
                }

                if (!IsOpen || IsHalfOpen)
                {
                    return false;
                }

                if (i == writes.Count - 1)
                {
                    record();
                }

                if (!await CompletesInTimeAsync(_wire!.Stream.WriteRawAsync(write.Bytes)).ConfigureAwait(false))
                {
                    Cut(CloseInitiator.ClientStalled, new SendStall(total, total - written, _sendTimeout));
                    return false;
                }

                written += write.Bytes.Length;
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            MarkEnded(CloseInitiator.ClientLost, null, null);
            return false;
        }
    }

    /// <summary>
    /// Resets the TCP connection: a zero linger time makes the close an RST; over TLS it is a plain cut. The end is
    /// recorded first, so the read loop, which sees the reset too, does not record it as the client's.
    /// </summary>
    private void Reset()
    {
        if (!MarkEnded(CloseInitiator.ServerDropped, null, null))
        {
            return;
        }

        try
        {
            if (_wire?.Tcp is { } tcp)
            {
                tcp.LingerState = new LingerOption(true, 0);
                tcp.Close();
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The client left first.
        }

        _socket.Abort();
        _abort();
    }
}
