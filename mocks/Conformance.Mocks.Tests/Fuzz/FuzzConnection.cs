using System.Globalization;
using System.Net.WebSockets;
using System.Text;

namespace Conformance.Mocks.Tests.Fuzz;

/// <summary>
/// One fuzzing client connection: a real <see cref="ClientWebSocket"/> that sends messages back to back without waiting
/// for answers, while a read loop takes whatever the mock sends (a client that stops reading would be cut by the mock's
/// send timeout). It keeps every message whose last frame was written, in order, for the transcript audit.
/// </summary>
internal sealed class FuzzConnection : IAsyncDisposable
{
    /// <summary>The upgrade header that carries <see cref="Number"/>, so the transcript's connection can be found.</summary>
    public const string NumberHeader = "X-Fuzz-Connection";

    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(15);

    private readonly ClientWebSocket _socket;
    private readonly CancellationTokenSource _watchdog = new();
    private readonly TaskCompletionSource _readerDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<string>? _firstText;
    private volatile bool _ended;

    private FuzzConnection(int number, ClientWebSocket socket, Action<string>? firstText)
    {
        Number = number;
        _socket = socket;
        _firstText = firstText;
    }

    /// <summary>The connection's number in the run, from 0; it also seeds its messages.</summary>
    public int Number { get; }

    /// <summary>Every message whose last frame was written, in order.</summary>
    public List<FuzzFrame> Sent { get; } = [];

    /// <summary>A message whose sending failed part-way: the mock may or may not have read all of it.</summary>
    public FuzzFrame? InFlight { get; private set; }

    /// <summary>Messages the mock sent that the read loop took.</summary>
    public int Received { get; private set; }

    /// <summary>True once the read loop has ended: the mock closed or dropped the connection, or answered the client's close.</summary>
    public bool Ended => _ended;

    /// <summary>True when the client closed and the mock answered with its close frame in time.</summary>
    public bool ClosedCleanly { get; private set; }

    /// <summary>
    /// Opens a connection to <paramref name="url"/> with <paramref name="configure"/>'s headers; null when the mock
    /// refused the upgrade (wrong credentials on purpose). <paramref name="firstText"/> sees the first text message.
    /// </summary>
    public static async Task<FuzzConnection?> OpenAsync(
        int number, Uri url, Action<ClientWebSocketOptions> configure, bool chattyKeepAlive, Action<string>? firstText)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        configure(socket.Options);
        socket.Options.SetRequestHeader(NumberHeader, number.ToString(CultureInfo.InvariantCulture));

        // A keep-alive every few milliseconds puts unsolicited pong frames between the fragments of a message.
        socket.Options.KeepAliveInterval = chattyKeepAlive ? TimeSpan.FromMilliseconds(3) : TimeSpan.Zero;
        try
        {
            using var timeout = new CancellationTokenSource(TestClient.DefaultTimeout);
            await socket.ConnectAsync(url, timeout.Token);
        }
        catch (WebSocketException) when ((int)socket.HttpStatusCode is >= 400 and < 500)
        {
            socket.Dispose();
            return null;
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var connection = new FuzzConnection(number, socket, firstText);
        _ = Task.Run(connection.ReadAsync);
        return connection;
    }

    /// <summary>Sends one message, in its frames; false when the connection has ended (the message may be <see cref="InFlight"/>).</summary>
    public async Task<bool> SendAsync(FuzzFrame frame)
    {
        if (_ended)
        {
            return false;
        }

        InFlight = frame;
        try
        {
            _watchdog.CancelAfter(SendTimeout);
            var payload = frame.Payload;
            for (var part = 0; part < frame.Fragments; part++)
            {
                // Integer cut points: a short message in many frames gets empty ones.
                var start = payload.Length * part / frame.Fragments;
                var end = payload.Length * (part + 1) / frame.Fragments;
                await _socket.SendAsync(payload.AsMemory(start, end - start), frame.Type, part == frame.Fragments - 1, _watchdog.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            return false;
        }

        Sent.Add(frame);
        InFlight = null;
        return !_ended;
    }

    /// <summary>Starts the close handshake and waits for the mock's close frame; false when it did not come in time.</summary>
    public async Task<bool> CloseAsync()
    {
        try
        {
            _watchdog.CancelAfter(CloseTimeout);
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "fuzz done", _watchdog.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            return false;
        }

        var answered = await _readerDone.Task.WaitAsync(CloseTimeout).ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default);
        ClosedCleanly = answered && _socket.State == WebSocketState.Closed;
        return ClosedCleanly;
    }

    /// <summary>Waits for the mock to end the connection; false when it did not in time.</summary>
    public Task<bool> EndedAsync() =>
        _readerDone.Task.WaitAsync(CloseTimeout).ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default);

    /// <summary>Cuts the TCP connection without a close frame.</summary>
    public void Abort() => _socket.Abort();

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        await _readerDone.Task.WaitAsync(CloseTimeout).ContinueWith(_ => { }, TaskScheduler.Default);
        _socket.Dispose();
        _watchdog.Dispose();
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        using var first = new MemoryStream();
        var firstDone = _firstText is null;
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                if (!firstDone)
                {
                    first.Write(buffer, 0, Math.Min(result.Count, 64 * 1024 - (int)first.Length));
                }

                if (result.EndOfMessage)
                {
                    Received++;
                    if (!firstDone)
                    {
                        firstDone = true;
                        _firstText!(Encoding.UTF8.GetString(first.ToArray()));
                    }
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // The connection was cut: by the mock, or by Abort.
        }
        finally
        {
            _ended = true;
            _readerDone.TrySetResult();
        }
    }
}
