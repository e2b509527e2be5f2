using System.Net;
using System.Net.Sockets;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Channels;

/// <summary>
/// A bound UDP endpoint: one socket on the host's address and its own ephemeral port. A receive loop stamps and records
/// each datagram as it is read, opening a <see cref="UdpPeer"/> channel for a remote address and port it has no open
/// channel for, then hands the datagram to that peer's handler (one peer's datagrams one at a time, in order, without
/// holding up the loop). Closing it, or disposing the host, releases the port.
/// </summary>
public sealed class MockUdpSocket
{
    /// <summary>The largest payload one UDP datagram over IPv4 carries.</summary>
    public const int MaxDatagramBytes = 65507;

    private readonly Socket _socket;
    private readonly MockHost _host;
    private readonly Lock _gate = new();
    private readonly Dictionary<IPEndPoint, UdpPeer> _open = [];
    private readonly List<UdpPeer> _peers = [];
    private readonly List<Task> _handlers = [];
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _receiving = Task.CompletedTask;
    private DatagramFaults? _faults;
    private (UdpPeer Peer, byte[] Payload, bool Duplicate)? _heldBack;
    private int _closing;

    private MockUdpSocket(MockHost host, UdpEndpoint endpoint, Socket socket)
    {
        _host = host;
        _socket = socket;
        Endpoint = endpoint;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    public UdpEndpoint Endpoint { get; }

    public string Name => Endpoint.Name;

    /// <summary>The address and port the socket is bound to, e.g. <c>127.0.0.1:40123</c>.</summary>
    public IPEndPoint LocalEndPoint { get; }

    public int Port => LocalEndPoint.Port;

    /// <summary>
    /// The address a client is given, e.g. <c>udp://127.0.0.1:40123</c>; a socket bound to every address is announced on
    /// loopback, as the host's HTTP address is.
    /// </summary>
    public string Url => LocalEndPoint.Address switch
    {
        var any when any.Equals(IPAddress.Any) => $"udp://127.0.0.1:{Port}",
        var any when any.Equals(IPAddress.IPv6Any) => $"udp://[::1]:{Port}",
        _ => $"udp://{LocalEndPoint}",
    };

    /// <summary>False once <see cref="CloseAsync"/> (or the host's disposal) has begun.</summary>
    public bool IsOpen => Volatile.Read(ref _closing) == 0;

    /// <summary>Every peer seen so far, oldest first, including those that have ended.</summary>
    public IReadOnlyList<UdpPeer> Peers
    {
        get
        {
            lock (_gate)
            {
                return [.. _peers];
            }
        }
    }

    /// <summary>Stops receiving, ends every open peer (recorded as <see cref="CloseInitiator.Teardown"/>) and releases the port.</summary>
    public async Task CloseAsync()
    {
        if (Interlocked.Exchange(ref _closing, 1) == 0)
        {
            try
            {
                await StopAsync().ConfigureAwait(false);
            }
            finally
            {
                _host.Forget(this);
                _stopped.TrySetResult();
            }
        }

        await _stopped.Task.ConfigureAwait(false);
    }

    /// <summary>Binds <paramref name="endpoint"/> on <paramref name="address"/>, port 0, and starts receiving.</summary>
    internal static MockUdpSocket Open(MockHost host, UdpEndpoint endpoint, IPAddress address)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(address, 0));
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var bound = new MockUdpSocket(host, endpoint, socket);
        bound._receiving = Task.Run(bound.ReceiveAllAsync);
        return bound;
    }

    /// <summary>
    /// Faults applied to every datagram this endpoint sends from now on (loss, copies, delay, reordering), or null for none.
    /// Each change is recorded with its seed.
    /// </summary>
    public DatagramFaults? Faults
    {
        get => _faults;
        set
        {
            _faults = value;
            _host.Transcript.Append(new DatagramFaultsSet(Name, value?.Settings ?? new DatagramFaultSettings(0)));
        }
    }

    /// <summary>
    /// Records, then sends, one datagram to <paramref name="peer"/>; sends leave in the order they are recorded unless
    /// <see cref="Faults"/> delay or reorder them. True when the datagram was recorded (a lost one included).
    /// </summary>
    internal async Task<bool> SendAsync(UdpPeer peer, byte[] payload, string? origin)
    {
        if (payload.Length > MaxDatagramBytes)
        {
            throw new ArgumentException(
                $"A UDP datagram carries at most {MaxDatagramBytes} bytes; this one to channel {peer.Id} has {payload.Length}.", nameof(payload));
        }

        await _sendGate.WaitAsync().ConfigureAwait(false);
        try
        {
            var plan = Plan(peer);
            lock (_gate)
            {
                // Checked and recorded under the gate that ends peers, so no datagram is recorded after its channel's end.
                if (!peer.IsOpen || !IsOpen)
                {
                    return false;
                }

                _host.Transcript.Append(new DatagramRecorded(peer.Id, Direction.ServerToClient, payload) { Origin = origin, Fate = plan.Fate });
                if (plan.Duplicate)
                {
                    _host.Transcript.Append(new DatagramRecorded(peer.Id, Direction.ServerToClient, payload) { Origin = origin, Fate = DatagramFate.Duplicated });
                }
            }

            switch (plan.Fate)
            {
                case DatagramFate.Lost:
                    return true;
                case DatagramFate.Reordered:
                    // Held back: it leaves after the next datagram, or after its delay (at least 50 ms) when none follows.
                    _heldBack = (peer, payload, plan.Duplicate);
                    _ = SendHeldBackLaterAsync(payload, plan.Delay > TimeSpan.FromMilliseconds(50) ? plan.Delay : TimeSpan.FromMilliseconds(50));
                    return true;
                case DatagramFate.Delayed:
                    _ = SendLaterAsync(peer, payload, plan.Duplicate ? 2 : 1, plan.Delay);
                    await FlushHeldBackAsync().ConfigureAwait(false);
                    return true;
                default:
                    await SendToAsync(peer, payload, plan.Duplicate ? 2 : 1).ConfigureAwait(false);
                    await FlushHeldBackAsync().ConfigureAwait(false);
                    return true;
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The socket closed under the send, or the network refused it; UDP promises no delivery either way.
            return false;
        }
        finally
        {
            _sendGate.Release();
        }
    }

    /// <summary>
    /// What becomes of the next datagram to <paramref name="peer"/>: the host's chaos decides while it is on (and the chaos
    /// is recorded), else this endpoint's <see cref="Faults"/>, else it goes as it is. Called under the send gate.
    /// </summary>
    private DatagramPlan Plan(UdpPeer peer)
    {
        var delivered = new DatagramPlan(DatagramFate.Delivered, TimeSpan.Zero, false);
        if (_host.ChaosPlan is not { } chaos)
        {
            return _faults?.Next() ?? delivered;
        }

        if (chaos.Decide(peer.Id, peer.NextMessage(), udp: true) is not { } strike)
        {
            return delivered;
        }

        _host.Transcript.Append(new ChaosApplied(strike));
        return strike.Action switch
        {
            Chaos.ChaosAction.Drop => new DatagramPlan(DatagramFate.Lost, TimeSpan.Zero, false),
            Chaos.ChaosAction.Duplicate => delivered with { Duplicate = true },
            Chaos.ChaosAction.Reorder => new DatagramPlan(DatagramFate.Reordered, TimeSpan.Zero, false),
            Chaos.ChaosAction.Delay => new DatagramPlan(DatagramFate.Delayed, strike.Delay, false),
            _ => delivered,
        };
    }

    private async Task SendToAsync(UdpPeer peer, byte[] payload, int times)
    {
        for (var i = 0; i < times; i++)
        {
            await _socket.SendToAsync(payload, SocketFlags.None, peer.Remote).ConfigureAwait(false);
        }
    }

    private async Task SendLaterAsync(UdpPeer peer, byte[] payload, int times, TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _stopping.Token).ConfigureAwait(false);
            await SendToAsync(peer, payload, times).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Closed before the delay ran out, or the network refused it: a lost datagram, as UDP allows.
        }
    }

    /// <summary>Sends the held-back datagram, if any, after the one just sent. Called under the send gate.</summary>
    private async Task FlushHeldBackAsync()
    {
        if (_heldBack is { } held)
        {
            _heldBack = null;
            await SendToAsync(held.Peer, held.Payload, held.Duplicate ? 2 : 1).ConfigureAwait(false);
        }
    }

    private async Task SendHeldBackLaterAsync(byte[] payload, TimeSpan wait)
    {
        try
        {
            await Task.Delay(wait, _stopping.Token).ConfigureAwait(false);
            await _sendGate.WaitAsync(_stopping.Token).ConfigureAwait(false);
            try
            {
                if (_heldBack is { } held && ReferenceEquals(held.Payload, payload))
                {
                    await FlushHeldBackAsync().ConfigureAwait(false);
                }
            }
            finally
            {
                _sendGate.Release();
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Closed first: the datagram is lost.
        }
    }

    /// <summary>Ends <paramref name="peer"/> once, under the gate the receive loop records under.</summary>
    internal bool End(UdpPeer peer, CloseInitiator by)
    {
        lock (_gate)
        {
            if (!peer.MarkEnded(by))
            {
                return false;
            }

            _open.Remove(peer.Remote);
            return true;
        }
    }

    private async Task StopAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        foreach (var peer in Peers)
        {
            End(peer, CloseInitiator.Teardown);
        }

        await _receiving.ConfigureAwait(false);
        Task[] handlers;
        lock (_gate)
        {
            handlers = [.. _handlers];
        }

        try
        {
            // Handlers see their peer's Closed token fire; one that ignores it is not waited for forever.
            await Task.WhenAll(handlers).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _host.ReportFault(new TimeoutException($"A datagram handler of UDP endpoint '{Name}' was still running 5 s after its socket closed."));
        }
    }

    private async Task ReceiveAllAsync()
    {
        var buffer = GC.AllocateUninitializedArray<byte>(1 << 16);
        EndPoint any = new IPEndPoint(LocalEndPoint.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!_stopping.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (_stopping.IsCancellationRequested && ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
            {
                // Windows reports an ICMP port-unreachable for an earlier send as a failed receive; the socket is fine.
                continue;
            }
            catch (Exception ex)
            {
                _host.ReportFault(ex);
                return;
            }

            Record((IPEndPoint)received.RemoteEndPoint, buffer.AsSpan(0, received.ReceivedBytes).ToArray());
        }
    }

    /// <summary>
    /// The peer channel for <paramref name="remote"/>, opened (and recorded) now if no datagram has come from there yet:
    /// for sending to an address a protocol learnt some other way (a client that announced its UDP port over a WebSocket).
    /// Null once the socket has closed.
    /// </summary>
    public UdpPeer? PeerAt(IPEndPoint remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        UdpPeer? peer;
        bool opened;
        lock (_gate)
        {
            (peer, opened) = OpenPeer(remote);
        }

        if (opened)
        {
            Serve(peer!);
        }

        return peer;
    }

    private void Record(IPEndPoint remote, byte[] payload)
    {
        UdpPeer? peer;
        DatagramRecorded datagram;
        bool opened;
        lock (_gate)
        {
            (peer, opened) = OpenPeer(remote);
            if (peer is null)
            {
                // Read just as the socket closed: its peers are ended, and none opens now.
                return;
            }

            datagram = _host.Transcript.Append(new DatagramRecorded(peer.Id, Direction.ClientToServer, payload));
        }

        if (opened)
        {
            Serve(peer);
        }

        peer.Deliver(datagram);
    }

    /// <summary>The open peer for <paramref name="remote"/>, or a new one listed and recorded; null once closed. Under the gate.</summary>
    private (UdpPeer? Peer, bool Opened) OpenPeer(IPEndPoint remote)
    {
        if (!IsOpen)
        {
            return (null, false);
        }

        if (_open.TryGetValue(remote, out var peer))
        {
            return (peer, false);
        }

        peer = new UdpPeer(_host.NextChannelId(), this, remote, _host.Transcript);
        _open[remote] = peer;
        _peers.Add(peer);

        // Listed before it is announced: whoever wakes on the transcript entry must find the channel.
        _host.Track(peer);
        _host.Transcript.Append(new UdpPeerOpened(peer.Id, Name, remote.ToString()));
        return (peer, true);
    }

    private void Serve(UdpPeer peer)
    {
        DatagramHandler handler;
        try
        {
            handler = Endpoint.CreateHandler(peer);
        }
        catch (Exception ex)
        {
            _host.ReportFault(ex);
            return;
        }

        var task = Task.Run(() => HandleAllAsync(peer, handler));
        lock (_gate)
        {
            _handlers.Add(task);
        }
    }

    private async Task HandleAllAsync(UdpPeer peer, DatagramHandler handler)
    {
        await foreach (var datagram in peer.Inbox.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await handler.OnDatagramAsync(peer, datagram).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (peer.Closed.IsCancellationRequested)
            {
                // The peer ended while the handler waited; nothing went wrong.
            }
            catch (Exception ex)
            {
                // A fault of the mock: recorded (the run is an Error), and the peer's later datagrams are still served.
                _host.ReportFault(ex);
            }
        }
    }
}
