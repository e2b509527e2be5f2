using System.Net.WebSockets;
using System.Text;
using Conformance.Mocks.Channels;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Hosting;

/// <summary>
/// One WebSocket connection from the client under test. Every send is recorded before it goes on the wire;
/// sends are serialised because a WebSocket allows one writer at a time, and each has a timeout
/// (<see cref="MockHostOptions.SendTimeout"/>), so a client that stops reading cannot hold the mock: the connection is
/// cut and <see cref="Ended"/> says why. It is the WebSocket kind of <see cref="IChannel"/>. Timers run on the transcript's clock (<see cref="Transcript.Time"/>).
/// </summary>
public sealed partial class MockConnection : IChannel
{
    private readonly WebSocket _socket;
    private readonly Transcript _transcript;
    private readonly SendGate _sendGate = new();
    private readonly CancellationTokenSource _closed = new();
    private readonly CancellationTokenSource _tornDown = new();
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<Exception> _reportFault;
    private readonly Action _abort;
    private readonly TimeSpan _sendTimeout;
    private int _ended;
    private volatile ConnectionClosed? _endedEntry;

    // abort cuts the TCP connection: aborting the socket alone leaves an upgraded request running.
    internal MockConnection(
        int id,
        string endpoint,
        string path,
        string query,
        WebSocket socket,
        Transcript transcript,
        Action<Exception> reportFault,
        Action abort,
        TimeSpan sendTimeout,
        ConnectionWire? wire = null)
    {
        _wire = wire;
        _reportFault = reportFault;
        _abort = abort;
        _sendTimeout = sendTimeout;
        LastSent = transcript.Now;
        Id = id;
        Endpoint = endpoint;
        Path = path;
        Query = query;
        _socket = socket;
        _transcript = transcript;
    }

    /// <summary>1 for the first connection of a run, 2 for the next, ...</summary>
    public int Id { get; }

    public string Endpoint { get; }

    public ChannelTransport Transport => ChannelTransport.WebSocket;

    public string Path { get; }

    public string Query { get; }

    public bool IsOpen => Volatile.Read(ref _ended) == 0;

    /// <summary>
    /// Completes once the protocol's opening (such as a welcome frame) has been sent, or the connection ended first.
    /// Scripted steps wait for it, so a scenario's frames never overtake the mock's own opening.
    /// </summary>
    public Task Opened => _opened.Task;

    /// <summary>Fires when the connection ends, however it ends.</summary>
    public CancellationToken Closed => _closed.Token;

    /// <summary>
    /// How the connection ended (the transcript entry that recorded it), or null while it is open. When the client
    /// stopped reading, <see cref="ConnectionClosed.Stall"/> has the send that timed out.
    /// </summary>
    public ConnectionClosed? Ended => _endedEntry;

    /// <summary>Transcript time of the last frame the mock sent on this connection (or of the open, before any).</summary>
    public TimeSpan LastSent { get; private set; }

    /// <summary>
    /// Sends a text message; <paramref name="origin"/> records what scripted it. False when the connection had ended, or
    /// ended because the client did not take the message within the send timeout (<see cref="Ended"/> then says so).
    /// </summary>
    public Task<bool> SendTextAsync(string text, string? origin = null) =>
        SendAsync(Encoding.UTF8.GetBytes(text), FrameKind.Text, text, parts: 1, origin);

    /// <summary>
    /// Sends a text message only if the mock has sent nothing on this connection for <paramref name="idleFor"/>,
    /// judged while holding the send lock, so no other frame can go out between the check and the send (a keep-alive
    /// decided just before a scripted frame would otherwise follow it too soon). False when not idle or ended.
    /// </summary>
    public Task<bool> SendTextIfIdleAsync(string text, TimeSpan idleFor, string? origin = null) =>
        SendAsync(Encoding.UTF8.GetBytes(text), FrameKind.Text, text, parts: 1, origin, () => _transcript.Now - LastSent >= idleFor);

    /// <summary>
    /// Sends the mock's answer to a frame the client just sent (a heartbeat ack): it goes out before any frames already
    /// waiting to be sent on this connection, such as a backlog of broadcasts, as a server answers a heartbeat before its
    /// queued events. Otherwise as <see cref="SendTextAsync"/>.
    /// </summary>
    public Task<bool> ReplyTextAsync(string text, string? origin = null) =>
        SendAsync(Encoding.UTF8.GetBytes(text), FrameKind.Text, text, parts: 1, origin, reply: true);

    /// <summary>Frames waiting to be sent on this connection behind the one going out.</summary>
    public int SendsWaiting => _sendGate.Waiting;

    public Task<bool> SendBinaryAsync(byte[] payload, string? origin = null) => SendAsync(payload, FrameKind.Binary, null, parts: 1, origin);

    /// <summary>Sends <paramref name="text"/> already encoded as <paramref name="utf8"/>: a broadcast encodes once for every connection.</summary>
    internal Task<bool> SendEncodedTextAsync(string text, byte[] utf8, string? origin) => SendAsync(utf8, FrameKind.Text, text, parts: 1, origin);

    /// <summary>Sends one message split into <paramref name="parts"/> WebSocket frames (a fault a client must reassemble).</summary>
    public Task<bool> SendFragmentedAsync(string text, int parts, string? origin = null) =>
        SendAsync(Encoding.UTF8.GetBytes(text), FrameKind.Text, text, Math.Max(1, parts), origin);

    /// <summary>Sends a close frame with <paramref name="code"/> and records who closed.</summary>
    public async Task CloseAsync(int code, string reason = "")
    {
        if (!MarkEnded(CloseInitiator.Server, code, reason))
        {
            return;
        }

        await _sendGate.WaitAsync(reply: false).ConfigureAwait(false);
        try
        {
            var closing = _socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, CancellationToken.None);
            if (!await CompletesInTimeAsync(closing).ConfigureAwait(false))
            {
                // The client does not read, so it never sees the close frame either; the close is already recorded.
                _socket.Abort();
                _abort();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away first; the close is already recorded.
        }
        finally
        {
            _sendGate.Release();
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> after <paramref name="delay"/> without holding up the read loop; skipped if the
    /// connection ends first. An exception is reported as a fault of the mock.
    /// </summary>
    public void Schedule(TimeSpan delay, Func<Task> action)
    {
        _ = RunLaterAsync(delay, action);
    }

    /// <summary>Drops the TCP connection without a close frame, as a crashed or overloaded server would.</summary>
    public void Drop() => Cut(CloseInitiator.ServerDropped);

    internal void Teardown()
    {
        _tornDown.Cancel();
        if (!IsOpen)
        {
            // Ended already, but its TCP connection may linger (an unanswered close, a half-open peer).
            _abort();
        }

        Cut(CloseInitiator.Teardown);
    }

    /// <summary>Fires when the run tears the connection down, even one that had already ended.</summary>
    internal CancellationToken TornDown => _tornDown.Token;

    internal void MarkOpened() => _opened.TrySetResult();

    /// <summary>Records the end once, whoever notices it first.</summary>
    internal bool MarkEnded(CloseInitiator by, int? code, string? reason, SendStall? stall = null)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return false;
        }

        _endedEntry = _transcript.Append(new ConnectionClosed(Id, by, code, reason) { Stall = stall });
        _closed.Cancel();
        _opened.TrySetResult();
        return true;
    }

    private async Task RunLaterAsync(TimeSpan delay, Func<Task> action)
    {
        try
        {
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, _transcript.Time, Closed).ConfigureAwait(false);
            }

            if (IsOpen)
            {
                await action().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The connection ended before the delay ran out.
        }
        catch (Exception ex)
        {
            _reportFault(ex);
        }
    }

    /// <summary>Ends the connection without a close frame: records why, then cuts the socket and the TCP connection.</summary>
    private void Cut(CloseInitiator by, SendStall? stall = null)
    {
        if (MarkEnded(by, null, null, stall))
        {
            _socket.Abort();
            _abort();
        }
    }

    /// <summary>
    /// Sends and records one message; false when the connection had already ended, when
    /// <paramref name="condition"/>, checked under the send lock, does not hold (nothing is sent), or when the client did
    /// not take the message within the send timeout (the connection is then cut as <see cref="CloseInitiator.ClientStalled"/>).
    /// </summary>
    private async Task<bool> SendAsync(byte[] payload, FrameKind kind, string? text, int parts, string? origin, Func<bool>? condition = null, bool reply = false)
    {
        await _sendGate.WaitAsync(reply).ConfigureAwait(false);
        try
        {
            if (!SendsMessages || (condition is not null && !condition()))
            {
                return false;
            }

            var message = new OutgoingMessage(payload, kind, text, parts, origin);
            return ChaosFor() is { } chaos
                ? await SendWithChaosAsync(chaos, message).ConfigureAwait(false)
                : await SendNowAsync(message).ConfigureAwait(false) && await SendReorderedAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            MarkEnded(CloseInitiator.ClientLost, null, null);
            return false;
        }
        finally
        {
            _sendGate.Release();
        }
    }

    /// <summary>Records and writes one message; the caller holds the send lock and has checked the connection is open.</summary>
    private async Task<bool> SendNowAsync(OutgoingMessage message)
    {
        var (payload, kind, text, parts, origin) = message;
        if (ShapingPolicy() is { } policy)
        {
            return await SendShapedAsync(policy, payload, kind, text, origin).ConfigureAwait(false);
        }

        LastSent = _transcript.Append(new FrameRecorded(Id, Direction.ServerToClient, kind, text, text is null ? payload : null) { Origin = origin }).At;
        var type = kind == FrameKind.Text ? WebSocketMessageType.Text : WebSocketMessageType.Binary;
        var size = Math.Max(1, (payload.Length + parts - 1) / parts);
        var accepted = 0;

        async Task WriteAsync()
        {
            do
            {
                var count = Math.Min(size, payload.Length - accepted);
                var last = accepted + count >= payload.Length;
                await _socket.SendAsync(payload.AsMemory(accepted, count), type, last, CancellationToken.None).ConfigureAwait(false);
                accepted += count;
            }
            while (accepted < payload.Length);
        }

        if (await CompletesInTimeAsync(WriteAsync()).ConfigureAwait(false))
        {
            return true;
        }

        Cut(CloseInitiator.ClientStalled, new SendStall(payload.Length, payload.Length - Volatile.Read(ref accepted), _sendTimeout));
        return false;
    }

    /// <summary>
    /// Waits for a write until the send timeout on the transcript's clock: true when it completed (its exception, if
    /// any, is thrown), false when the time ran out. A write left behind is observed, so its failure once the connection
    /// is cut goes nowhere.
    /// </summary>
    private async Task<bool> CompletesInTimeAsync(Task write)
    {
        try
        {
            await write.WaitAsync(_sendTimeout, _transcript.Time).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            if (write.IsCompleted)
            {
                // Done just as the time ran out: it counts as in time.
                await write.ConfigureAwait(false);
                return true;
            }

            _ = write.ContinueWith(
                static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return false;
        }
    }
}
