using System.Net.WebSockets;
using System.Text;
using Conformance.Harness.Clients;
using Conformance.Harness.Running;
using Conformance.Harness.Scenarios;

namespace Conformance.Harness.Tests.Engine;

/// <summary>Runs inline scenarios of the echo protocol against in-process clients: no process is spawned.</summary>
internal static class EngineHarness
{
    public static Scenario Parse(string yaml)
    {
        var (scenario, errors) = new ScenarioLoader(EchoModule.Specs).Load("engine.yaml", yaml);
        Assert.That(errors.Select(e => e.ToString()), Is.Empty, "the test's own scenario must load");
        return scenario!;
    }

    public static IReadOnlyList<string> Errors(string yaml)
    {
        return [.. new ScenarioLoader(EchoModule.Specs).Load("engine.yaml", yaml).Errors.Select(e => e.ToString())];
    }

    public static Task<ScenarioResult> RunAsync(string yaml, Func<InProcessClientContext, CancellationToken, Task> client, RunOptions? options = null) =>
        new ScenarioRunner(options ?? new RunOptions { Specs = EchoModule.Specs }).RunAsync(Parse(yaml), ClientSpec.InProcessClient("engine-test", client));
}

/// <summary>A minimal WebSocket client for in-process clients under test.</summary>
internal sealed class TestSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();

    public static async Task<TestSocket> ConnectAsync(string url, CancellationToken cancellation, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new TestSocket();
        configure?.Invoke(socket._socket.Options);
        await socket._socket.ConnectAsync(new Uri(url), cancellation).ConfigureAwait(false);
        return socket;
    }

    public Task SendAsync(string text, CancellationToken cancellation) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cancellation);

    /// <summary>The next text message, or null when the connection closed.</summary>
    public async Task<string?> ReceiveAsync(CancellationToken cancellation)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, cancellation).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.ToArray());
            }
        }
    }

    public async Task CloseAsync(CancellationToken cancellation)
    {
        if (_socket.State == WebSocketState.Open)
        {
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", cancellation).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
