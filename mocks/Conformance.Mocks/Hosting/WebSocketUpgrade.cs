using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Conformance.Mocks.Hosting;

/// <summary>
/// The server side of the WebSocket opening handshake (RFC 6455 §4.2), done by hand so the mock's socket can run over
/// <see cref="TextFramesAsBinaryStream"/>. No subprotocols or extensions are negotiated: none of the services use them.
/// </summary>
internal static class WebSocketUpgrade
{
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    public static async Task<(WebSocket Socket, TextFramesAsBinaryStream Stream)> AcceptAsync(HttpContext context)
    {
        var upgrade = context.Features.Get<IHttpUpgradeFeature>()
            ?? throw new InvalidOperationException("The request cannot be upgraded to a WebSocket.");
        var key = context.Request.Headers["Sec-WebSocket-Key"].ToString();
#pragma warning disable CA5350 // RFC 6455 §4.2.2 defines Sec-WebSocket-Accept as SHA-1; it is not used for security here.
        var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));
#pragma warning restore CA5350
        context.Response.Headers.Connection = "Upgrade";
        context.Response.Headers.Upgrade = "websocket";
        context.Response.Headers.SecWebSocketAccept = accept;
        var opaque = await upgrade.UpgradeAsync().ConfigureAwait(false);
        var stream = new TextFramesAsBinaryStream(opaque);
        var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        return (socket, stream);
    }
}
