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
        var lines = await EndpointLinesAsync(process);

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

    [Test]
    public async Task Serve_WithAProfile_ServesThatDialect()
    {
        // Given the LISTEN.moe mock served as the gateway v1 profile
        using var process = CliProcess.Start("serve", "listenmoe", "--profile", "gateway-v1");
        var lines = await EndpointLinesAsync(process);

        // When a client connects to the printed gateway and authenticates anonymously
        Assert.That(lines["gateway"], Does.Match(@"^ws://127\.0\.0\.1:\d+/gateway$"));
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(lines["gateway"]), CancellationToken.None);
        await socket.SendAsync("""{"op":0,"d":{"auth":""}}"""u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[4096];
        var received = await socket.ReceiveAsync(buffer, new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);

        // Then the v1 welcome comes after the auth, and the mock stops cleanly
        var welcome = JsonNode.Parse(Encoding.UTF8.GetString(buffer, 0, received.Count))!;
        Assert.That((int)welcome["op"]!, Is.Zero);
        Assert.That((int)welcome["d"]!["heartbeat"]!, Is.EqualTo(45000));
        Assert.That(Kill(process.Id, 15), Is.Zero);
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        Assert.That(process.ExitCode, Is.Zero);
    }

    [Test]
    public async Task Serve_WithMappingsFolder_AnswersTheStubsAndWireMocksAdminApiOnTheMocksUrl()
    {
        // Given a folder with one WireMock mapping file, and a mock served with it
        var folder = Directory.CreateTempSubdirectory("conformance-serve-mappings-").FullName;
        File.WriteAllText(Path.Combine(folder, "now.json"), """
            { "name": "now playing", "request": { "method": "GET", "urlPath": "/api/now" },
              "response": { "jsonBody": { "title": "from a mapping file" } } }
            """);
        using var process = CliProcess.Start("serve", "listenmoe", "--mappings", folder);
        var lines = await EndpointLinesAsync(process);

        // When a client calls the stubbed path, and reads and extends WireMock's admin API on the same base URL
        using var http = new HttpClient { BaseAddress = new Uri(lines["http"] + "/") };
        var stubbed = JsonNode.Parse(await http.GetStringAsync("api/now"))!;
        var titles = JsonNode.Parse(await http.GetStringAsync("__admin/mappings"))!.AsArray().Select(m => (string?)m!["Title"]).ToList();
        using var added = await http.PostAsync("__admin/mappings", new StringContent(
            """{"Request":{"Path":"/api/added","Methods":["GET"]},"Response":{"StatusCode":202}}""", Encoding.UTF8, "application/json"));
        using var answered = await http.GetAsync("api/added");

        // Then the file's stub answered, the admin API listed it by name, and the mapping added at run time answers
        Assert.That((string?)stubbed["title"], Is.EqualTo("from a mapping file"));
        Assert.That(titles, Does.Contain("stub now.json (now playing)"));
        Assert.That((int)added.StatusCode, Is.EqualTo(201));
        Assert.That((int)answered.StatusCode, Is.EqualTo(202));
        Assert.That(Kill(process.Id, 15), Is.Zero);
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        Assert.That(process.ExitCode, Is.Zero);
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>The <c>&lt;name&gt; &lt;url&gt;</c> lines serve prints before <c>ready</c>, by name.</summary>
    private static async Task<Dictionary<string, string>> EndpointLinesAsync(System.Diagnostics.Process process)
    {
        var lines = new Dictionary<string, string>();
        while (await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) is { } line && line != "ready")
        {
            var parts = line.Split(' ', 2);
            lines[parts[0]] = parts[1];
        }

        return lines;
    }

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
