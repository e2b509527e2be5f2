// The load generator of bench/frame-path.sh: N WebSocket connections to a LISTEN.moe-style gateway, each beating
// {"op":9} once a second (from a random offset) and timing the {"op":10} that answers it; then broadcasts of a 1.5 KB
// TRACK_UPDATE, requested over HTTP (POST {"text": ...}) with a few requests in flight, counted as they arrive on
// every connection. Each broadcast carries the load's own clock, so its latency is measured on one clock.
// Prints one JSON object with the figures.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

var options = Options.Parse(args);
var clients = new List<LoadClient>();
var connectClock = Stopwatch.StartNew();
using (var gate = new SemaphoreSlim(64))
{
    var connecting = Enumerable.Range(0, options.Connections).Select(async _ =>
    {
        await gate.WaitAsync();
        try
        {
            var client = await LoadClient.ConnectAsync(options.Url);
            lock (clients)
            {
                clients.Add(client);
            }
        }
        finally
        {
            gate.Release();
        }
    });
    await Task.WhenAll(connecting);
}

var connectMs = connectClock.Elapsed.TotalMilliseconds;
using var stop = new CancellationTokenSource();
var beating = clients.Select(c => c.BeatAsync(stop.Token)).ToList();

// Heartbeats alone, then heartbeats under broadcast.
await Task.Delay(TimeSpan.FromSeconds(options.IdleSeconds));
var idleRtts = clients.SelectMany(c => c.TakeRtts()).ToList();

var padding = new string('x', Math.Max(0, options.Payload - 120));
using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
var broadcastClock = Stopwatch.StartNew();
var requests = 0;
var failedRequests = 0;
foreach (var client in clients)
{
    client.ResetBroadcasts();
}

var senders = Enumerable.Range(0, options.InFlight).Select(async _ =>
{
    while (broadcastClock.Elapsed.TotalSeconds < options.BroadcastSeconds)
    {
        var frame = "{\"op\":1,\"t\":\"TRACK_UPDATE\",\"d\":{\"bench\":" + Stopwatch.GetTimestamp() + ",\"song\":{\"title\":\"" + padding + "\"}}}";
        using var content = new StringContent(new JsonObject { ["text"] = frame }.ToJsonString(), Encoding.UTF8, "application/json");
        try
        {
            using var response = await http.PostAsync(options.SendUrl, content);
            Interlocked.Increment(ref requests);
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref failedRequests);
            }
        }
        catch (HttpRequestException)
        {
            Interlocked.Increment(ref failedRequests);
        }
    }
}).ToList();
await Task.WhenAll(senders);
var broadcastSeconds = broadcastClock.Elapsed.TotalSeconds;
await Task.Delay(500); // frames still on their way count; their latency says how late they were
var frames = clients.Sum(c => c.Broadcasts);
var latencies = clients.SelectMany(c => c.TakeLatencies()).ToList();
var loadedRtts = clients.SelectMany(c => c.TakeRtts()).ToList();
await stop.CancelAsync();

var result = new JsonObject
{
    ["connections"] = clients.Count,
    ["connectMs"] = Math.Round(connectMs),
    ["connectPerSecond"] = Math.Round(clients.Count / (connectMs / 1000)),
    ["heartbeatRttP50Ms"] = Quantile(idleRtts, 0.5),
    ["heartbeatRttP99Ms"] = Quantile(idleRtts, 0.99),
    ["heartbeatSamples"] = idleRtts.Count,
    ["broadcastRequests"] = requests,
    ["broadcastRequestsFailed"] = failedRequests,
    ["framesReceived"] = frames,
    ["framesPerSecond"] = Math.Round(frames / broadcastSeconds),
    ["broadcastLatencyP50Ms"] = Quantile(latencies, 0.5),
    ["broadcastLatencyP99Ms"] = Quantile(latencies, 0.99),
    ["heartbeatRttUnderBroadcastP99Ms"] = Quantile(loadedRtts, 0.99),
    ["errors"] = clients.Sum(c => c.Errors),
};
Console.WriteLine(result.ToJsonString());
foreach (var client in clients)
{
    client.Abort();
}

static double Quantile(List<double> values, double q)
{
    if (values.Count == 0)
    {
        return -1;
    }

    values.Sort();
    return Math.Round(values[Math.Min(values.Count - 1, (int)Math.Ceiling(q * values.Count) - 1)], 2);
}

internal sealed record Options(Uri Url, Uri SendUrl, int Connections, double IdleSeconds, double BroadcastSeconds, int InFlight, int Payload)
{
    public static Options Parse(string[] args)
    {
        string Get(string name, string? fallback = null)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback ?? throw new ArgumentException($"{name} is required");
        }

        var inv = System.Globalization.CultureInfo.InvariantCulture;
        return new Options(
            new Uri(Get("--url")),
            new Uri(Get("--send-url")),
            int.Parse(Get("--connections", "100"), inv),
            double.Parse(Get("--idle-seconds", "5"), inv),
            double.Parse(Get("--broadcast-seconds", "5"), inv),
            int.Parse(Get("--in-flight", "8"), inv),
            int.Parse(Get("--payload", "1536"), inv));
    }
}

/// <summary>One connection: a reader that times acks and broadcasts, and a heartbeat loop.</summary>
internal sealed class LoadClient
{
    private static readonly byte[] Beat = """{"op":9}"""u8.ToArray();
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentQueue<long> _beatsSent = new();
    private ConcurrentBag<double> _rtts = [];
    private ConcurrentBag<double> _latencies = [];
    private int _broadcasts;

    private LoadClient(ClientWebSocket socket)
    {
        _socket = socket;
        _ = ReadAsync();
    }

    public int Broadcasts => Volatile.Read(ref _broadcasts);

    public int Errors { get; private set; }

    public static async Task<LoadClient> ConnectAsync(Uri url)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(url, CancellationToken.None);
        return new LoadClient(socket);
    }

    public async Task BeatAsync(CancellationToken stop)
    {
        try
        {
            await Task.Delay(Random.Shared.Next(1000), stop);
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            do
            {
                _beatsSent.Enqueue(Stopwatch.GetTimestamp());
                await _socket.SendAsync(Beat, WebSocketMessageType.Text, true, stop);
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }
    }

    public List<double> TakeRtts() => [.. Interlocked.Exchange(ref _rtts, [])];

    public List<double> TakeLatencies() => [.. Interlocked.Exchange(ref _latencies, [])];

    public void ResetBroadcasts() => Interlocked.Exchange(ref _broadcasts, 0);

    public void Abort() => _socket.Abort();

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None);
                    count = Math.Min(buffer.Length - 1, count + result.Count);
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                var now = Stopwatch.GetTimestamp();
                var message = buffer.AsSpan(0, count);
                if (message.IndexOf("\"op\":10"u8) >= 0 && _beatsSent.TryDequeue(out var sent))
                {
                    _rtts.Add(Stopwatch.GetElapsedTime(sent, now).TotalMilliseconds);
                }
                else if (message.IndexOf("\"bench\":"u8) is var at and >= 0)
                {
                    Interlocked.Increment(ref _broadcasts);
                    var digits = message[(at + 8)..];
                    var end = digits.IndexOfAny((byte)',', (byte)'}');
                    if (long.TryParse(Encoding.ASCII.GetString(digits[..end]), out var stamp))
                    {
                        _latencies.Add(Stopwatch.GetElapsedTime(stamp, now).TotalMilliseconds);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            Errors++;
        }
    }
}
