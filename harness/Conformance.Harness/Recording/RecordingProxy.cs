using System.Net;
using System.Net.WebSockets;
using Conformance.Mocks.Transcripts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Conformance.Harness.Recording;

/// <summary>
/// A recording proxy between a client and a real server (<c>conformance record</c>): every WebSocket upgrade is opened
/// again to the upstream on the same path, query and headers, and its messages are passed on both ways; every other
/// request is forwarded over HTTP. Both are written to one <see cref="Transcript"/> on one clock, as a mock records
/// them: connections and frames from the client's side (client to server, server to client), HTTP exchanges with the
/// upstream's answer.
/// </summary>
public sealed class RecordingProxy : IAsyncDisposable
{
    // Headers that belong to one hop (RFC 9110 §7.6.1) or to the WebSocket handshake, which the proxy makes itself.
    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Upgrade", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding",
        "Content-Length", "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Extensions", "Sec-WebSocket-Accept",
    };

    private readonly WebApplication _app;
    private readonly Uri _upstream;
    private readonly UdpAnnouncements? _udp;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stopping = new();
    private int _nextConnection;

    private RecordingProxy(WebApplication app, Uri upstream, Transcript transcript, UdpAnnouncements? udp)
    {
        _app = app;
        _upstream = upstream;
        _udp = udp;
        Transcript = transcript;
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(30) };
    }

    public Transcript Transcript { get; }

    /// <summary>The proxy's base address, <c>http://127.0.0.1:port</c>.</summary>
    public Uri HttpUrl { get; private set; } = null!;

    /// <summary>
    /// Starts the proxy for <paramref name="upstream"/> (its scheme, host and port: <c>ws://</c> or <c>http://</c> and the
    /// <c>s</c> forms; a path in it is ignored) on 127.0.0.1:<paramref name="port"/> (0: an ephemeral port). With
    /// <paramref name="udp"/>, the UDP sockets the frames announce are relayed too (<see cref="UdpRelay"/>).
    /// </summary>
    public static async Task<RecordingProxy> StartAsync(
        Uri upstream, Transcript transcript, int port = 0, UdpAnnouncements? udp = null, CancellationToken cancellation = default)
    {
        if (upstream.Scheme is not ("ws" or "wss" or "http" or "https"))
        {
            throw new ArgumentException($"upstream '{upstream}' is not a ws://, wss://, http:// or https:// URL", nameof(upstream));
        }

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, port);
            k.AddServerHeader = false;
        });
        builder.Services.AddLogging(l => l.ClearProviders());
        var app = builder.Build();
        var proxy = new RecordingProxy(app, upstream, transcript, udp);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.Run(proxy.HandleAsync);
        await app.StartAsync(cancellation).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        proxy.HttpUrl = new Uri(address);
        return proxy;
    }

    /// <summary>The <c>ws://</c> URL of <paramref name="pathAndQuery"/> on the proxy.</summary>
    public string WebSocketUrl(string pathAndQuery) => $"ws://{HttpUrl.Authority}{pathAndQuery}";

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _http.Dispose();
        _stopping.Dispose();
    }

    private Task HandleAsync(HttpContext context) =>
        context.WebSockets.IsWebSocketRequest ? RelayWebSocketAsync(context) : ForwardHttpAsync(context);

    private Uri Upstream(HttpContext context, bool webSocket)
    {
        var secure = _upstream.Scheme is "wss" or "https";
        var scheme = webSocket ? secure ? "wss" : "ws" : secure ? "https" : "http";
        return new Uri($"{scheme}://{_upstream.Authority}{context.Request.Path}{context.Request.QueryString}");
    }

    private static Dictionary<string, string> RequestHeaders(HttpContext context) => context.Request.Headers
        .Where(h => !h.Key.StartsWith("Sec-WebSocket-", StringComparison.OrdinalIgnoreCase))
        .ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);

    private async Task RelayWebSocketAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var query = context.Request.QueryString.Value ?? "";
        var headers = RequestHeaders(context);
        var upstream = new ClientWebSocket();
        upstream.Options.KeepAliveInterval = TimeSpan.Zero;
        upstream.Options.CollectHttpResponseDetails = true;
        foreach (var (name, value) in headers.Where(h => !HopHeaders.Contains(h.Key)))
        {
            upstream.Options.SetRequestHeader(name, value);
        }

        foreach (var protocol in context.WebSockets.WebSocketRequestedProtocols)
        {
            upstream.Options.AddSubProtocol(protocol);
        }

        try
        {
            await upstream.ConnectAsync(Upstream(context, webSocket: true), _stopping.Token).ConfigureAwait(false);
        }
        catch (WebSocketException ex)
        {
            // The upstream refused the upgrade: the client gets its status (and nothing else the handshake carried).
            var status = (int)upstream.HttpStatusCode is > 0 and var refused ? refused : StatusCodes.Status502BadGateway;
            Transcript.Append(new ConnectionRefused("upstream", path, status, ex.Message) { Query = query, Headers = headers });
            context.Response.StatusCode = status;
            upstream.Dispose();
            return;
        }

        using var disposeUpstream = upstream;
        using var client = await context.WebSockets.AcceptWebSocketAsync(upstream.SubProtocol).ConfigureAwait(false);
        var id = Interlocked.Increment(ref _nextConnection);
        Transcript.Append(new ConnectionOpened(id, "upstream", path, query, headers));
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, context.RequestAborted);
        var relay = new Lazy<UdpRelay>(() => new UdpRelay(Transcript, Interlocked.Increment(ref _nextConnection)));
        var fromClient = PumpAsync(client, upstream, id, Direction.ClientToServer, relay, ended.Token);
        var fromServer = PumpAsync(upstream, client, id, Direction.ServerToClient, relay, ended.Token);
        var first = await Task.WhenAny(fromClient, fromServer).ConfigureAwait(false);
        var (by, code, reason) = await first.ConfigureAwait(false);
        await ended.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(fromClient, fromServer).ConfigureAwait(false);
        Transcript.Append(new ConnectionClosed(id, by, code, reason));
        if (relay.IsValueCreated)
        {
            await relay.Value.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A text frame as the client sees it (recorded) and as the other side gets it (forwarded): where it announces a UDP
    /// socket, the relay's takes its place toward the side it goes to.
    /// </summary>
    private (string Recorded, string Forwarded) Announce(string text, Direction direction, Lazy<UdpRelay> relay)
    {
        if (_udp?.Find(text) is not { } address)
        {
            return (text, text);
        }

        var socket = new IPEndPoint(
            IPAddress.TryParse(address.Ip, out var ip) && !ip.Equals(IPAddress.Any) ? ip : Dns.GetHostAddresses(_upstream.DnsSafeHost)[0], address.Port);
        if (direction == Direction.ServerToClient)
        {
            relay.Value.Server = socket;
            var seen = _udp.Replace(text, IPAddress.Loopback.ToString(), relay.Value.ClientSidePort);
            return (seen, seen);
        }

        relay.Value.Client = socket;
        return (text, _udp.Replace(text, IPAddress.Loopback.ToString(), relay.Value.ServerSidePort));
    }

    /// <summary>
    /// Passes messages from <paramref name="source"/> to <paramref name="target"/>, recording each whole one, until one side
    /// ends; then passes the close on. Returns who ended it and how, as the transcript says it.
    /// </summary>
    private async Task<(CloseInitiator By, int? Code, string? Reason)> PumpAsync(
        WebSocket source, WebSocket target, int connection, Direction direction, Lazy<UdpRelay> relay, CancellationToken cancellation)
    {
        var fromClient = direction == Direction.ClientToServer;
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await source.ReceiveAsync(buffer, cancellation).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    var code = (int?)source.CloseStatus;
                    var reason = source.CloseStatusDescription;
                    if (target.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    {
                        await target.CloseOutputAsync(source.CloseStatus ?? WebSocketCloseStatus.NormalClosure, reason, CancellationToken.None)
                            .WaitAsync(TimeSpan.FromSeconds(2), CancellationToken.None).ConfigureAwait(false);
                    }

                    return (fromClient ? CloseInitiator.Client : CloseInitiator.Server, code, reason);
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                var bytes = message.ToArray();
                message.SetLength(0);
                var text = result.MessageType == WebSocketMessageType.Text ? TryUtf8(bytes) : null;
                var (recorded, forwarded) = text is null ? (null, null) : Announce(text, direction, relay);
                Transcript.Append(new FrameRecorded(
                    connection, direction, result.MessageType == WebSocketMessageType.Text ? FrameKind.Text : FrameKind.Binary, recorded,
                    text is null ? bytes : null));
                var sent = forwarded is null || ReferenceEquals(forwarded, text) ? bytes : System.Text.Encoding.UTF8.GetBytes(forwarded);
                await target.SendAsync(sent, result.MessageType, endOfMessage: true, cancellation).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or TimeoutException)
        {
            // The other pump ended the connection, or this side went away without a close frame: the other side is cut too.
            if (target.State == WebSocketState.Open)
            {
                target.Abort();
            }

            // Cancelled while the proxy runs: the other side went first (or the client's request was aborted); else this side went.
            var lostClient = fromClient != cancellation.IsCancellationRequested;
            return (_stopping.IsCancellationRequested ? CloseInitiator.Teardown
                : lostClient ? CloseInitiator.ClientLost : CloseInitiator.ServerDropped, null, null);
        }
    }

    private async Task ForwardHttpAsync(HttpContext context)
    {
        var request = context.Request;
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
        var requestBody = body.Length == 0 ? null : TryUtf8(body.ToArray());
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), Upstream(context, webSocket: false));
        if (body.Length > 0)
        {
            message.Content = new ByteArrayContent(body.ToArray());
        }

        var headers = RequestHeaders(context);
        foreach (var (name, value) in headers.Where(h => !HopHeaders.Contains(h.Key)))
        {
            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(message, context.RequestAborted).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            Transcript.Append(new HttpExchange(request.Method, request.Path.Value ?? "/", request.QueryString.Value ?? "", requestBody, StatusCodes.Status502BadGateway, ex.Message)
            {
                RequestHeaders = headers,
            });
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            return;
        }

        using (response)
        {
            var answer = await response.Content.ReadAsByteArrayAsync(context.RequestAborted).ConfigureAwait(false);
            var responseHeaders = response.Headers.Concat(response.Content.Headers)
                .Where(h => !HopHeaders.Contains(h.Key))
                .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
            Transcript.Append(new HttpExchange(
                request.Method, request.Path.Value ?? "/", request.QueryString.Value ?? "", requestBody, (int)response.StatusCode,
                answer.Length == 0 ? null : TryUtf8(answer))
            {
                RequestHeaders = headers,
                ResponseHeaders = responseHeaders,
            });
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var (name, value) in response.Headers.Concat(response.Content.Headers).Where(h => !HopHeaders.Contains(h.Key)))
            {
                context.Response.Headers[name] = value.ToArray();
            }

            await context.Response.Body.WriteAsync(answer, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>The bytes as UTF-8 text, or null when they are not valid UTF-8.</summary>
    private static string? TryUtf8(byte[] bytes)
    {
        try
        {
            return new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (System.Text.DecoderFallbackException)
        {
            return null;
        }
    }
}
