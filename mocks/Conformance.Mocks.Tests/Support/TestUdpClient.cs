using System.Net;
using System.Net.Sockets;

namespace Conformance.Mocks.Tests;

/// <summary>
/// A real <see cref="UdpClient"/> on 127.0.0.1 with an ephemeral port, sending to a mock's UDP endpoint. Every receive
/// has a timeout, so a datagram that never comes fails the test instead of hanging it.
/// </summary>
internal sealed class TestUdpClient : IDisposable
{
    private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly IPEndPoint _server;

    public TestUdpClient(int port)
    {
        _server = new IPEndPoint(IPAddress.Loopback, port);
    }

    /// <summary>Where the mock sees this client's datagrams come from.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_udp.Client.LocalEndPoint!;

    public async Task SendAsync(params byte[] payload)
    {
        using var timeout = new CancellationTokenSource(TestClient.DefaultTimeout);
        await _udp.SendAsync(payload, _server, timeout.Token);
    }

    /// <summary>The next datagram's payload, or <see cref="TimeoutException"/>.</summary>
    public async Task<byte[]> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(TestClient.DefaultTimeout);
        try
        {
            var result = await _udp.ReceiveAsync(timeout.Token);
            return result.Buffer;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"No datagram arrived within {TestClient.DefaultTimeout.TotalMilliseconds} ms.");
        }
    }

    public void Dispose() => _udp.Dispose();
}
