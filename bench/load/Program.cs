// The load generator of bench/frame-path.sh: N WebSocket connections to a LISTEN.moe-style gateway, each beating
// {"op":9} once a second (from a random offset) and timing the {"op":10} that answers it; then broadcasts of a 1.5 KB
// TRACK_UPDATE, requested over HTTP (POST {"text": ...}) with a few requests in flight, counted as they arrive on
// every connection. Each broadcast carries the load's own clock, so its latency is measured on one clock.
// --count n asks for n copies of each frame per request (the servers' own count). --timing (for the mock) stamps every
// beat with the connection and the load's clock, then reads the mock's transcript and compares the gaps the mock
// recorded between a connection's beats with the gaps at which the load sent them: the harness's own timing error.
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
for (var i = 0; i < clients.Count; i++)
{
    clients[i].Number = i;
}

var beating = clients.Select(c => c.BeatAsync(TimeSpan.FromMilliseconds(options.BeatMs), options.Timing, stop.Token)).ToList();

// A loaded machine for the timing run: from --loaded-from seconds on, one thread per core spins until the end.
if (options.LoadedFrom >= 0)
{
    for (var i = 0; i < Environment.ProcessorCount; i++)
    {
        new Thread(() =>
        {
            Thread.Sleep(TimeSpan.FromSeconds(options.LoadedFrom));
            while (!stop.IsCancellationRequested)
            {
                Thread.SpinWait(1000);
            }
        }) { IsBackground = true }.Start();
    }
}

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

var senders = Enumerable.Range(0, options.BroadcastSeconds > 0 ? options.InFlight : 0).Select(async _ =>
{
    while (broadcastClock.Elapsed.TotalSeconds < options.BroadcastSeconds)
    {
        var frame = "{\"op\":1,\"t\":\"TRACK_UPDATE\",\"d\":{\"bench\":" + Stopwatch.GetTimestamp() + ",\"song\":{\"title\":\"" + padding + "\"}}}";
        var request = new JsonObject { ["text"] = frame };
        if (options.Count > 1)
        {
            request["count"] = options.Count;
        }

        using var content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json");
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
if (options.Timing)
{
    await stop.CancelAsync();
    await Task.WhenAll(beating);
    var errors = await TimingError.MeasureAsync(http, options.SendUrl, clients, options.LoadedFrom);
    foreach (var (key, value) in errors)
    {
        result[key] = value;
    }
}


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

internal sealed record Options(
    Uri Url, Uri SendUrl, int Connections, double IdleSeconds, double BroadcastSeconds, int InFlight, int Payload, int Count, double BeatMs, bool Timing, double LoadedFrom)
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
            int.Parse(Get("--payload", "1536"), inv),
            int.Parse(Get("--count", "1"), inv),
            double.Parse(Get("--beat-ms", "1000"), inv),
            args.Contains("--timing"),
            double.Parse(Get("--loaded-from", "-1"), inv));
    }
}

/// <summary>One connection: a reader that times acks and broadcasts, and a heartbeat loop.</summary>
internal sealed class LoadClient
{
    private static readonly byte[] Beat = """{"op":9}"""u8.ToArray();
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentQueue<long> _beatsSent = new();
    private readonly List<long> _beatStamps = [];
    private readonly List<long> _beatSent = [];
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

    /// <summary>The connection's number in the load, written into its beats when timing.</summary>
    public int Number { get; set; }

    /// <summary>When each beat was sent, on the load's clock (only when timing), in order.</summary>
    public IReadOnlyList<long> BeatStamps => _beatStamps;

    /// <summary>When each beat's send returned (the bytes were with the kernel by then), on the load's clock.</summary>
    public IReadOnlyList<long> BeatSent => _beatSent;

    public static async Task<LoadClient> ConnectAsync(Uri url)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(url, CancellationToken.None);
        return new LoadClient(socket);
    }

    public async Task BeatAsync(TimeSpan period, bool timing, CancellationToken stop)
    {
        try
        {
            await Task.Delay(Random.Shared.Next((int)period.TotalMilliseconds), stop);
            using var timer = new PeriodicTimer(period);
            do
            {
                var now = Stopwatch.GetTimestamp();
                _beatsSent.Enqueue(now);
                var beat = Beat;
                if (timing)
                {
                    // The beat says which connection sent it and when, so the mock's transcript can be matched to it.
                    beat = Encoding.ASCII.GetBytes($$"""{"op":9,"c":{{Number}},"n":{{_beatStamps.Count}}}""");
                    _beatStamps.Add(now);
                }

                await _socket.SendAsync(beat, WebSocketMessageType.Text, true, stop);
                if (timing)
                {
                    _beatSent.Add(Stopwatch.GetTimestamp());
                }
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

/// <summary>
/// The harness's own error on heartbeat periods: for each pair of consecutive beats of a connection, the gap the mock's
/// transcript recorded between them minus the gap at which the load sent them (both clocks are the machine's monotonic
/// clock, so gaps compare; offsets cancel). Split into beats sent before <c>--loaded-from</c> seconds and after.
/// </summary>
internal static class TimingError
{
    public static async Task<Dictionary<string, JsonNode?>> MeasureAsync(HttpClient http, Uri sendUrl, List<LoadClient> clients, double loadedFrom)
    {
        var transcript = JsonNode.Parse(await http.GetStringAsync(new Uri(sendUrl, "/_conformance/transcript")))!.AsArray();
        var recorded = new Dictionary<(int Client, int Beat), double>();
        foreach (var entry in transcript)
        {
            if (entry!["kind"]!.GetValue<string>() != "FrameRecorded" || entry["direction"]!.GetValue<string>() != "client" ||
                entry["text"]?.GetValue<string>() is not { } text || !text.Contains("\"c\":", StringComparison.Ordinal))
            {
                continue;
            }

            var beat = JsonNode.Parse(text)!;
            recorded[(beat["c"]!.GetValue<int>(), beat["n"]!.GetValue<int>())] = entry["atMs"]!.GetValue<double>();
        }

        var quiet = new List<double>();
        var loaded = new List<double>();
        var sending = new List<double>();
        var start = clients.Min(c => c.BeatStamps.Count > 0 ? c.BeatStamps[0] : long.MaxValue);
        foreach (var client in clients)
        {
            for (var n = 0; n < client.BeatSent.Count; n++)
            {
                sending.Add(Stopwatch.GetElapsedTime(client.BeatStamps[n], client.BeatSent[n]).TotalMilliseconds);
            }

            for (var n = 1; n < client.BeatSent.Count; n++)
            {
                if (!recorded.TryGetValue((client.Number, n - 1), out var a) || !recorded.TryGetValue((client.Number, n), out var b))
                {
                    continue;
                }

                var sent = Stopwatch.GetElapsedTime(client.BeatStamps[n - 1], client.BeatStamps[n]).TotalMilliseconds;
                var error = Math.Abs((b - a) - sent);
                var at = Stopwatch.GetElapsedTime(start, client.BeatStamps[n - 1]).TotalSeconds;
                (loadedFrom >= 0 && at >= loadedFrom ? loaded : quiet).Add(error);
            }
        }

        return new Dictionary<string, JsonNode?>
        {
            ["beatSendP99Ms"] = Quantile(sending, 0.99),
            ["timingSamplesQuiet"] = quiet.Count,
            ["timingErrorQuietP50Ms"] = Quantile(quiet, 0.5),
            ["timingErrorQuietP99Ms"] = Quantile(quiet, 0.99),
            ["timingErrorQuietMaxMs"] = Quantile(quiet, 1),
            ["timingSamplesLoaded"] = loaded.Count,
            ["timingErrorLoadedP50Ms"] = Quantile(loaded, 0.5),
            ["timingErrorLoadedP99Ms"] = Quantile(loaded, 0.99),
            ["timingErrorLoadedMaxMs"] = Quantile(loaded, 1),
        };
    }

    private static double Quantile(List<double> values, double q)
    {
        if (values.Count == 0)
        {
            return -1;
        }

        values.Sort();
        return Math.Round(values[Math.Min(values.Count - 1, Math.Max(0, (int)Math.Ceiling(q * values.Count) - 1))], 3);
    }
}
