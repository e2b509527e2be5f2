using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Conformance.Harness.Tests.Reports;

/// <summary>
/// Debian's Chromium, headless, driven over the DevTools protocol on a WebSocket: open a page, evaluate JavaScript in
/// it, take a screenshot. One browser per instance, with its own profile folder; disposing it ends the browser.
/// </summary>
internal sealed partial class HeadlessChromium : IAsyncDisposable
{
    public const string Executable = "/usr/bin/chromium";

    private readonly Process _process;
    private readonly ClientWebSocket _socket = new();
    private readonly string _profile;
    private int _nextId;
    private string? _session;

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    public static bool Installed => File.Exists(Executable);

    public static async Task<HeadlessChromium> StartAsync(int width, int height)
    {
        var profile = Directory.CreateTempSubdirectory("conformance-chromium-").FullName;
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars", "--remote-debugging-port=0",
            "--remote-debugging-address=127.0.0.1", $"--user-data-dir={profile}", $"--window-size={width},{height}", "about:blank",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        var browser = new HeadlessChromium(process, profile);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string? endpoint = null;
        while (endpoint is null && await process.StandardError.ReadLineAsync(timeout.Token) is { } line)
        {
            endpoint = DevToolsLine().Match(line) is { Success: true } match ? match.Groups[1].Value : null;
        }

        if (endpoint is null)
        {
            await browser.DisposeAsync();
            throw new InvalidOperationException("chromium did not announce its DevTools endpoint");
        }

        _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
        _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        await browser._socket.ConnectAsync(new Uri(endpoint), timeout.Token);
        var target = await browser.SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" });
        var attached = await browser.SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = target["targetId"]!.GetValue<string>(), ["flatten"] = true });
        browser._session = attached["sessionId"]!.GetValue<string>();
        await browser.SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject
        {
            ["width"] = width,
            ["height"] = height,
            ["deviceScaleFactor"] = 1,
            ["mobile"] = false,
        });
        return browser;
    }

    /// <summary>Opens a file and waits until its document has loaded and its scripts ran.</summary>
    public async Task OpenAsync(string path, string query = "")
    {
        await SendAsync("Page.navigate", new JsonObject { ["url"] = new Uri(path).AbsoluteUri + query });
        var waited = Stopwatch.StartNew();
        while (await EvaluateAsync("document.readyState + ' ' + location.href") is { } state &&
            !(state.GetValue<string>().StartsWith("complete file:", StringComparison.Ordinal) && state.GetValue<string>().Contains(Path.GetFileName(path), StringComparison.Ordinal)))
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"{path} did not load: {state}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>The value of a JavaScript expression in the page (JSON-serialisable values only).</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true });
        if (result["exceptionDetails"] is { } error)
        {
            throw new InvalidOperationException($"{expression}: {error.ToJsonString()}");
        }

        return result["result"]?["value"]?.DeepClone();
    }

    /// <summary>A PNG of the whole page, beyond the window's height.</summary>
    public async Task<byte[]> ScreenshotAsync()
    {
        var shot = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true });
        return Convert.FromBase64String(shot["data"]!.GetValue<string>());
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        try
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // a crash dump still being written; the temp folder's owner cleans it
        }
    }

    private async Task<JsonObject> SendAsync(string method, JsonObject parameters)
    {
        var id = ++_nextId;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        if (_session is not null)
        {
            message["sessionId"] = _session;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, timeout.Token);
        var buffer = new byte[1 << 16];
        while (true)
        {
            using var received = new MemoryStream();
            WebSocketReceiveResult part;
            do
            {
                part = await _socket.ReceiveAsync(buffer, timeout.Token);
                received.Write(buffer, 0, part.Count);
            }
            while (!part.EndOfMessage);

            var reply = JsonNode.Parse(received.ToArray())!.AsObject();
            if (reply["id"]?.GetValue<int>() != id)
            {
                continue; // an event, or the answer to nothing we wait for
            }

            return reply["error"] is { } error
                ? throw new InvalidOperationException($"{method}: {error.ToJsonString(new JsonSerializerOptions())}")
                : reply["result"]!.AsObject();
        }
    }

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex DevToolsLine();
}
