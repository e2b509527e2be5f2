using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Conformance.Mocks.Tests;

/// <summary>
/// A real <see cref="ClientWebSocket"/> with the few moves the mock tests need. Every receive has a timeout, so a
/// missing frame fails the test instead of hanging it; a receive that times out aborts the socket.
/// </summary>
internal sealed class TestClient : IAsyncDisposable
{
    /// <summary>How long a receive waits unless told otherwise; generous, since it only bounds a failing test.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly ClientWebSocket _socket;

    private TestClient(ClientWebSocket socket)
    {
        _socket = socket;
    }

    public WebSocketState State => _socket.State;

    /// <summary>The close code the server sent, or null when no close frame arrived.</summary>
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseStatusDescription => _socket.CloseStatusDescription;

    public static async Task<TestClient> ConnectAsync(string url)
    {
        var socket = new ClientWebSocket();
        try
        {
            using var timeout = new CancellationTokenSource(DefaultTimeout);
            await socket.ConnectAsync(new Uri(url), timeout.Token);
            return new TestClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public Task SendTextAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    /// <summary>Sends raw bytes as one frame; <paramref name="endOfMessage"/> false leaves the message open for a continuation.</summary>
    public async Task SendAsync(byte[] payload, WebSocketMessageType type, bool endOfMessage = true)
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await _socket.SendAsync(payload, type, endOfMessage, timeout.Token);
    }

    /// <summary>The next whole message (text, binary or close), or <see cref="TimeoutException"/>.</summary>
    public async Task<ReceivedMessage> ReceiveAsync(TimeSpan? timeout = null)
    {
        var wait = timeout ?? DefaultTimeout;
        using var cancellation = new CancellationTokenSource(wait);
        using var message = new MemoryStream();
        var buffer = new byte[4096];
        var fragments = 0;
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, cancellation.Token);
                fragments++;
                message.Write(buffer, 0, result.Count);
                if (result.MessageType == WebSocketMessageType.Close || result.EndOfMessage)
                {
                    return new ReceivedMessage(result.MessageType, message.ToArray(), fragments);
                }
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            throw new TimeoutException($"No whole message arrived within {wait.TotalMilliseconds} ms.");
        }
    }

    /// <summary>The next message, which must be text; a close or binary message fails the test.</summary>
    public async Task<string> ReceiveTextAsync(TimeSpan? timeout = null)
    {
        var message = await ReceiveAsync(timeout);
        if (message.Type != WebSocketMessageType.Text)
        {
            Assert.Fail($"Expected a text message, got {message.Type} (close status {_socket.CloseStatus}).");
        }

        return message.Text;
    }

    /// <summary>The next message, which must be a JSON object.</summary>
    public async Task<JsonObject> ReceiveJsonAsync(TimeSpan? timeout = null)
    {
        var text = await ReceiveTextAsync(timeout);
        if (JsonNode.Parse(text) is not JsonObject json)
        {
            Assert.Fail($"Expected a JSON object, got: {text}");
            throw new InvalidOperationException("unreachable");
        }

        return json;
    }

    /// <summary>Receives until a close frame arrives and returns its code; fails on a message that is not a close.</summary>
    public async Task<WebSocketCloseStatus?> ReceiveCloseAsync(TimeSpan? timeout = null)
    {
        var message = await ReceiveAsync(timeout);
        Assert.That(message.Type, Is.EqualTo(WebSocketMessageType.Close), () => $"Expected a close frame, got: {message.Text}");
        return _socket.CloseStatus;
    }

    /// <summary>Starts or completes the close handshake with <paramref name="status"/>.</summary>
    public async Task CloseAsync(WebSocketCloseStatus status = WebSocketCloseStatus.NormalClosure, string? reason = "bye", TimeSpan? wait = null)
    {
        using var timeout = new CancellationTokenSource(wait ?? DefaultTimeout);
        await _socket.CloseAsync(status, reason, timeout.Token);
    }

    public ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
