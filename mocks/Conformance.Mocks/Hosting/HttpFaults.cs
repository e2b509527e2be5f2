using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Conformance.Mocks.Hosting;

/// <summary>
/// Breaks an HTTP answer on purpose (<see cref="HttpFault"/>). The bytes go straight to the TCP socket, under Kestrel,
/// since a broken status line or chunk cannot be written through a response; the connection is then cut.
/// </summary>
internal static class HttpFaults
{
    // Neither HTTP nor a chunk size: what a client reads when RANDOM_DATA_THEN_CLOSE or a malformed chunk comes.
    private static readonly byte[] Garbage = Encoding.ASCII.GetBytes("\u0001\u0002lorem\u00ff\u00fe ipsum \u0007\u0000 not http\r\n");

    public static void Enact(HttpContext context, HttpFault fault)
    {
        var socket = context.Request.IsHttps ? null : context.Features.Get<IConnectionSocketFeature>()?.Socket;
        try
        {
            switch (fault)
            {
                case HttpFault.ConnectionResetByPeer when socket is not null:
                    // A zero linger time makes the close a reset rather than an orderly FIN.
                    socket.LingerState = new LingerOption(true, 0);
                    break;
                case HttpFault.MalformedResponseChunk when socket is not null:
                    socket.Send(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"));
                    socket.Send(Garbage);
                    break;
                case HttpFault.RandomDataThenClose when socket is not null:
                    socket.Send(Garbage);
                    break;
            }
        }
        catch (SocketException)
        {
            // The client left first; the cut below is all that is left to do.
        }
        catch (ObjectDisposedException)
        {
        }

        context.Abort();
    }
}
