using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Conformance.Mocks.Tests;

/// <summary>
/// A client that completes the WebSocket upgrade over a raw TCP socket and then never reads again, with a small receive
/// buffer, so the mock's sends fill the socket buffers and stop completing, as with a client whose event loop is stuck.
/// </summary>
internal sealed class StalledClient : IDisposable
{
    private readonly Socket _socket;

    private StalledClient(Socket socket)
    {
        _socket = socket;
    }

    public static async Task<StalledClient> ConnectAsync(string url)
    {
        var uri = new Uri(url);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        try
        {
            using var timeout = Timeouts.Wait();
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(uri.Host), uri.Port), timeout.Token);
            var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            var request = $"GET {uri.PathAndQuery} HTTP/1.1\r\nHost: {uri.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                          $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";
            await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, timeout.Token);

            // Read the answer's head a byte at a time, so not one byte of the first frames is taken off the socket.
            var head = new StringBuilder();
            var one = new byte[1];
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                if (await socket.ReceiveAsync(one, SocketFlags.None, timeout.Token) == 0)
                {
                    throw new IOException($"The server closed during the upgrade; got: {head}");
                }

                head.Append((char)one[0]);
            }

            Assert.That(head.ToString(), Does.StartWith("HTTP/1.1 101"), "the upgrade is accepted");
            return new StalledClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => _socket.Dispose();
}
