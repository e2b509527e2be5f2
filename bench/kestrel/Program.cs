// A bare Kestrel WebSocket server with the LISTEN.moe gateway's load-bearing behaviour and nothing else (no recording,
// no monitors): the welcome (op 0 with the heartbeat interval), an op 10 ack for every op 9, and POST /broadcast, which
// sends the request's {"text": "..."} to every connection. The baseline bench/frame-path.sh measures the mock against.
// Each connection has one bounded send queue and one writer, so a broadcast never waits on a slow reader.
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

var port = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 0;
// Hosted as the mock hosts itself (an empty builder with Kestrel's core, no file watching, no routing middleware), and
// run with the same workstation GC as the conformance CLI (BareKestrel.csproj), so the comparison is of the work done.
var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port));
builder.Services.AddLogging(l => l.ClearProviders());
var app = builder.Build();
app.UseWebSockets();

var connections = new ConcurrentDictionary<int, Channel<ReadOnlyMemory<byte>>>();
var nextId = 0;
var welcome = Encoding.UTF8.GetBytes("""{"op":0,"d":{"message":"Welcome to LISTEN.moe! Enjoy your stay!","user":null,"heartbeat":1000}}""");
var ack = Encoding.UTF8.GetBytes("""{"op":10}""");

app.Run(context => context.Request.Path == "/gateway_v2" ? GatewayAsync(context) : context.Request.Path == "/broadcast" ? BroadcastAsync(context) : NotFound(context));

await app.StartAsync();
Console.WriteLine($"gateway ws://127.0.0.1:{new Uri(app.Urls.First()).Port}/gateway_v2");
Console.WriteLine("ready");
await app.WaitForShutdownAsync();

static Task NotFound(HttpContext context)
{
    context.Response.StatusCode = 404;
    return Task.CompletedTask;
}

async Task GatewayAsync(HttpContext context)
{
    if (!context.WebSockets.IsWebSocketRequest)
    {
        context.Response.StatusCode = 400;
        return;
    }

    using var socket = await context.WebSockets.AcceptWebSocketAsync();
    var id = Interlocked.Increment(ref nextId);
    var queue = Channel.CreateBounded<ReadOnlyMemory<byte>>(new BoundedChannelOptions(1024) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    connections[id] = queue;
    queue.Writer.TryWrite(welcome);
    var writer = Task.Run(async () =>
    {
        try
        {
            await foreach (var frame in queue.Reader.ReadAllAsync())
            {
                await socket.SendAsync(frame, WebSocketMessageType.Text, true, CancellationToken.None);
            }
        }
        catch (WebSocketException)
        {
        }
    });
    var buffer = new byte[4096];
    try
    {
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                break;
            }

            if (result.EndOfMessage && buffer.AsSpan(0, result.Count).IndexOf("\"op\":9"u8) >= 0)
            {
                queue.Writer.TryWrite(ack);
            }
        }
    }
    catch (WebSocketException)
    {
    }
    finally
    {
        connections.TryRemove(id, out _);
        queue.Writer.TryComplete();
        await writer;
    }
}

// {"text": "...", "count": n}: the frame, encoded once, n times (default 1) into every connection's queue.
async Task BroadcastAsync(HttpContext context)
{
    using var body = await JsonDocument.ParseAsync(context.Request.Body);
    ReadOnlyMemory<byte> frame = Encoding.UTF8.GetBytes(body.RootElement.GetProperty("text").GetString()!);
    var count = body.RootElement.TryGetProperty("count", out var n) ? n.GetInt32() : 1;
    var sent = 0;
    foreach (var queue in connections.Values)
    {
        for (var i = 0; i < count; i++)
        {
            if (queue.Writer.TryWrite(frame))
            {
                sent++;
            }
        }
    }

    await context.Response.WriteAsync($$"""{"sent":{{sent}}}""");
}
