using System.Net.WebSockets;
using System.Text;
using Conformance.Mocks.Transcripts;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Conformance.Mocks.Hosting;

public sealed partial class MockHost
{
    private const string ControlPrefix = "/_conformance/";

    private async Task DispatchAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        try
        {
            if (path.StartsWith(ControlPrefix, StringComparison.Ordinal) && ControlApi is not null)
            {
                await ControlApi(context).ConfigureAwait(false);
                return;
            }

            if (await TryRefuseAsync(context, path).ConfigureAwait(false))
            {
                return;
            }

            var endpoint = _webSockets.FirstOrDefault(e => e.Pattern.Match(path) is not null);
            if (endpoint is not null && context.WebSockets.IsWebSocketRequest)
            {
                await ServeWebSocketAsync(context, endpoint).ConfigureAwait(false);
                return;
            }

            await ServeHttpAsync(context, path).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            ReportFault(ex);
            if (!context.Response.HasStarted)
            {
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            }
        }
    }

    private async Task ServeHttpAsync(HttpContext context, string path)
    {
        string? body = null;
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        }

        var request = new HttpRequestContext(context, body);
        var (route, reply) = await RouteAsync(request).ConfigureAwait(false);
        reply ??= new HttpReply(StatusCodes.Status404NotFound, $$"""{"error":"no mock route for {{request.Http.Request.Method}} {{path}}"}""");
        var faulted = reply.Fault != HttpFault.None;
        Transcript.Append(new HttpExchange(context.Request.Method, path, context.Request.QueryString.Value ?? "", body, faulted ? 0 : reply.Status, faulted ? null : reply.Body)
        {
            Route = reply.AnsweredBy ?? route?.Name,
            RequestHeaders = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            Fault = faulted ? reply.Fault : null,
        });
        if (faulted)
        {
            HttpFaults.Enact(context, reply.Fault);
            return;
        }

        context.Response.StatusCode = reply.Status;
        foreach (var (name, value) in reply.Headers)
        {
            context.Response.Headers.Append(name, value);
        }

        if (reply.Body is not null)
        {
            if (reply.ContentType.Length > 0)
            {
                context.Response.ContentType = reply.ContentType;
            }

            await context.Response.WriteAsync(reply.Body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>The first matching route that answers (one may pass a request on), or no route and no reply.</summary>
    private async Task<(HttpRoute? Route, HttpReply? Reply)> RouteAsync(HttpRequestContext request)
    {
        foreach (var route in Routes.ToArray())
        {
            if (route.Match(request) is not { } segments)
            {
                continue;
            }

            var reply = await route.Handle(request with { Segments = segments }).ConfigureAwait(false);
            if (!ReferenceEquals(reply, HttpReply.PassOn))
            {
                return (route, reply);
            }
        }

        return (null, null);
    }

    private async Task ServeWebSocketAsync(HttpContext context, WebSocketEndpoint endpoint)
    {
        var path = context.Request.Path.Value ?? "/";
        var headers = UpgradeHeaders(context);
        var refusal = _options.Scripted ? null : endpoint.Admit(context);
        if (refusal is not null)
        {
            Transcript.Append(new ConnectionRefused(endpoint.Name, path, refusal.Status, refusal.Reason)
            {
                Query = context.Request.QueryString.Value ?? "",
                Headers = headers,
            });
            context.Response.StatusCode = refusal.Status;
            foreach (var (name, value) in refusal.Headers)
            {
                context.Response.Headers.Append(name, value);
            }

            if (refusal.Body is not null)
            {
                if (refusal.ContentType.Length > 0)
                {
                    context.Response.ContentType = refusal.ContentType;
                }

                await context.Response.WriteAsync(refusal.Body, context.RequestAborted).ConfigureAwait(false);
            }

            return;
        }

        var (socket, stream) = await WebSocketUpgrade.AcceptAsync(context).ConfigureAwait(false);
        using var disposeSocket = socket;
        var request = new RequestLifetime(context);
        var tcp = context.Request.IsHttps ? null : context.Features.Get<IConnectionSocketFeature>()?.Socket;
        var connection = new MockConnection(
            NextChannelId(), endpoint.Name, path, context.Request.QueryString.Value ?? "", socket, Transcript, ReportFault, request.Abort, _options.SendTimeout,
            new ConnectionWire(stream, tcp, () => _wirePolicy, () => _chaos));
        stream.ControlFrameRead = connection.RecordControlFrame;
        try
        {
            // Listed before it is announced: whoever wakes on the transcript entry must find the connection.
            Track(connection);
            Transcript.Append(new ConnectionOpened(connection.Id, endpoint.Name, path, connection.Query, headers));
            await ServeConnectionAsync(endpoint, connection, socket, stream).ConfigureAwait(false);
        }
        finally
        {
            request.End();
        }
    }

    /// <summary>An upgrade request's headers as the transcript keeps them: names case-insensitive, no Sec-WebSocket-*.</summary>
    private static Dictionary<string, string> UpgradeHeaders(HttpContext context) => context.Request.Headers
        .Where(h => !h.Key.StartsWith("Sec-WebSocket-", StringComparison.OrdinalIgnoreCase))
        .ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);

    private async Task ServeConnectionAsync(WebSocketEndpoint endpoint, MockConnection connection, WebSocket socket, TextFramesAsBinaryStream stream)
    {
        var handler = _options.Scripted ? SilentHandler.Instance : endpoint.CreateHandler(connection);
        var reader = new FrameReader(socket, stream, connection, Transcript, _options.MaxMessageBytes);

        // The welcome runs beside the read loop, so a frame the client sends before it is read (and stamped)
        // when it arrives rather than after the welcome's delay.
        var opened = Guard(connection, () => handler.OnOpenedAsync(connection)).ContinueWith(
            _ => connection.MarkOpened(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        // Frames are read and stamped as they arrive and handled in order: at once when the handler is free (an ack that
        // goes straight out costs no thread hop), queued beside the reading when it waits, so a handler that waits on a
        // slow send (a dribbled reply) never delays the stamp of the client's next frame.
        var pending = new PendingFrames(_options.MaxPendingBytes, frame => Guard(connection, () => handler.OnFrameAsync(connection, frame)));
        await foreach (var frame in reader.ReadAllAsync().ConfigureAwait(false))
        {
            await pending.AddAsync(frame, connection.Closed).ConfigureAwait(false);
        }

        await pending.Drained().ConfigureAwait(false);
        await opened.ConfigureAwait(false);
        await reader.FinishAsync().ConfigureAwait(false);
        await Guard(connection, () => handler.OnClosedAsync(connection)).ConfigureAwait(false);
    }

    /// <summary>Runs a handler callback; an exception is a fault of the mock, which closes the connection with 1011.</summary>
    private async Task Guard(MockConnection connection, Func<Task> callback)
    {
        try
        {
            await callback().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (connection.Closed.IsCancellationRequested)
        {
            // The connection ended while the handler waited; nothing went wrong.
        }
        catch (Exception ex)
        {
            ReportFault(ex);
            await connection.CloseAsync(1011, "mock fault").ConfigureAwait(false);
        }
    }
}
