using System.Net.WebSockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;

namespace Conformance.Harness.Tests.Cli;

/// <summary><c>conformance serve</c> as a standalone mock: endpoint lines, <c>ready</c>, a real socket, a clean stop.</summary>
[Category("e2e")]
public sealed class ServeCommandTests
{
    [Test]
    public async Task Serve_ListenMoe_PrintsEndpointsThenReadyAndSendsOpZero()
    {
        // Given a mock started from the command line
        using var process = CliProcess.Start("serve", "listenmoe");
        var lines = new Dictionary<string, string>();
        while (await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) is { } line && line != "ready")
        {
            var parts = line.Split(' ', 2);
            lines[parts[0]] = parts[1];
        }

        // When a WebSocket client connects to the printed gateway URL
        Assert.That(lines.Keys, Is.EquivalentTo(new[] { "gateway", "kpop", "http" }));
        Assert.That(lines["gateway"], Does.Match(@"^ws://127\.0\.0\.1:\d+/gateway_v2$"));
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(lines["gateway"]), CancellationToken.None);
        var buffer = new byte[4096];
        var received = await socket.ReceiveAsync(buffer, new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);

        // Then it receives op 0, and the mock stops cleanly on SIGTERM
        var welcome = JsonNode.Parse(Encoding.UTF8.GetString(buffer, 0, received.Count))!;
        Assert.That((int)welcome["op"]!, Is.Zero);
        Assert.That((int)welcome["d"]!["heartbeat"]!, Is.EqualTo(45000));
        Assert.That(Kill(process.Id, 15), Is.Zero);
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        Assert.That(process.ExitCode, Is.Zero);
    }

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
