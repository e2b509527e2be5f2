using System.Net;
using System.Net.Sockets;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Recording;

/// <summary>
/// The recording proxy's UDP leg for one WebSocket connection whose frames announce UDP sockets: one socket faces the
/// client (announced to it in place of the server's), one faces the server (announced to it in place of the client's),
/// and every datagram is passed on and recorded on one channel, numbered with the connections.
/// </summary>
internal sealed class UdpRelay : IAsyncDisposable
{
    private readonly UdpClient _clientSide = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly UdpClient _serverSide = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource _stopping = new();
    private readonly Transcript _transcript;
    private readonly int _channel;
    private readonly Task _fromClient;
    private readonly Task _fromServer;
    private IPEndPoint? _lastClient;

    public UdpRelay(Transcript transcript, int channel)
    {
        _transcript = transcript;
        _channel = channel;
        _fromClient = FromClientAsync();
        _fromServer = FromServerAsync();
    }

    /// <summary>The port announced to the client in place of the server's socket.</summary>
    public int ClientSidePort => ((IPEndPoint)_clientSide.Client.LocalEndPoint!).Port;

    /// <summary>The port announced to the server in place of the client's socket.</summary>
    public int ServerSidePort => ((IPEndPoint)_serverSide.Client.LocalEndPoint!).Port;

    /// <summary>The server's socket, once a frame of the server's announced it.</summary>
    public IPEndPoint? Server { get; set; }

    /// <summary>The client's socket, once a frame of the client's announced it; until then its datagrams' source.</summary>
    public IPEndPoint? Client { get; set; }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _clientSide.Dispose();
        _serverSide.Dispose();
        await Task.WhenAll(_fromClient, _fromServer).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task FromClientAsync()
    {
        await foreach (var (payload, source) in ReceiveAsync(_clientSide).ConfigureAwait(false))
        {
            if (!source.Equals(_lastClient))
            {
                _lastClient = source;
                _transcript.Append(new UdpPeerOpened(_channel, "udp", source.ToString()));
            }

            _transcript.Append(new DatagramRecorded(_channel, Direction.ClientToServer, payload));
            if (Server is { } server)
            {
                await SendAsync(_serverSide, payload, server).ConfigureAwait(false);
            }
        }
    }

    private async Task FromServerAsync()
    {
        await foreach (var (payload, _) in ReceiveAsync(_serverSide).ConfigureAwait(false))
        {
            _transcript.Append(new DatagramRecorded(_channel, Direction.ServerToClient, payload));
            if ((Client ?? _lastClient) is { } client)
            {
                await SendAsync(_clientSide, payload, client).ConfigureAwait(false);
            }
        }
    }

    private async IAsyncEnumerable<(byte[] Payload, IPEndPoint Source)> ReceiveAsync(UdpClient socket)
    {
        while (!_stopping.IsCancellationRequested)
        {
            UdpReceiveResult received;
            try
            {
                received = await socket.ReceiveAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                yield break;
            }
            catch (SocketException)
            {
                // An ICMP "port unreachable" from an earlier send, reported on this receive: the next datagram may still come.
                continue;
            }

            yield return (received.Buffer, received.RemoteEndPoint);
        }
    }

    private async Task SendAsync(UdpClient socket, byte[] payload, IPEndPoint target)
    {
        try
        {
            await socket.SendAsync(payload, target, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopping, or the other side is gone: UDP loses it, as the network would.
        }
    }
}
