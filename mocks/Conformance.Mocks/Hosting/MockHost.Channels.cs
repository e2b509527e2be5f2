using Conformance.Mocks.Channels;

namespace Conformance.Mocks.Hosting;

/// <summary>Channels of every transport, numbered from one sequence, and the UDP sockets they arrive on.</summary>
public sealed partial class MockHost
{
    private readonly List<MockEndpoint> _endpoints;
    private readonly List<IChannel> _channels = [];
    private readonly List<MockConnection> _connections = [];
    private readonly List<MockUdpSocket> _udpSockets = [];
    private int _nextChannel;

    /// <summary>
    /// The endpoints being served: those the host started with, in their order, then UDP endpoints opened since with
    /// <see cref="OpenUdp"/>. A UDP endpoint leaves the list when its socket closes.
    /// </summary>
    public IReadOnlyList<MockEndpoint> Endpoints
    {
        get
        {
            lock (_gate)
            {
                return [.. _endpoints];
            }
        }
    }

    /// <summary>The bound socket of each UDP endpoint being served, in the order they were opened.</summary>
    public IReadOnlyList<MockUdpSocket> UdpSockets
    {
        get
        {
            lock (_gate)
            {
                return [.. _udpSockets];
            }
        }
    }

    /// <summary>Every channel so far, WebSocket connections and UDP peers alike, in order of first appearance (by id).</summary>
    public IReadOnlyList<IChannel> Channels
    {
        get
        {
            lock (_gate)
            {
                return [.. _channels];
            }
        }
    }

    /// <summary>The channel with this id, whatever its transport, or null when there is none (yet).</summary>
    public IChannel? FindChannel(int id)
    {
        lock (_gate)
        {
            // Ids are handed out in order and channels are listed when they get one, so the list is sorted by id.
            var at = _channels.FindIndex(c => c.Id == id);
            return at < 0 ? null : _channels[at];
        }
    }

    /// <summary>
    /// Binds a UDP endpoint on the running host: a socket of its own on the host's address and an ephemeral port (its
    /// <see cref="MockUdpSocket.Port"/> and <see cref="MockUdpSocket.Url"/> are what a protocol announces to the client).
    /// It serves until <see cref="MockUdpSocket.CloseAsync"/> or the host's disposal. The name must not be in use.
    /// </summary>
    public MockUdpSocket OpenUdp(UdpEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        lock (_gate)
        {
            if (_endpoints.Any(e => string.Equals(e.Name, endpoint.Name, StringComparison.Ordinal)))
            {
                throw new ArgumentException($"The mock already has an endpoint named '{endpoint.Name}'.", nameof(endpoint));
            }

            var socket = Bind(endpoint);
            _endpoints.Add(endpoint);
            return socket;
        }
    }

    /// <summary>The next channel id: 1, 2, 3, ... for WebSocket connections and UDP peers alike.</summary>
    internal int NextChannelId() => Interlocked.Increment(ref _nextChannel);

    /// <summary>Lists a channel; called before its opening is recorded.</summary>
    internal void Track(IChannel channel)
    {
        lock (_gate)
        {
            _channels.Add(channel);
            if (channel is MockConnection connection)
            {
                _connections.Add(connection);
            }
        }
    }

    /// <summary>Called by a UDP socket once it has closed: its endpoint is no longer served.</summary>
    internal void Forget(MockUdpSocket socket)
    {
        lock (_gate)
        {
            _udpSockets.Remove(socket);
            _endpoints.RemoveAll(e => ReferenceEquals(e, socket.Endpoint));
        }
    }

    private static void CheckEndpoints(IReadOnlyList<MockEndpoint> endpoints)
    {
        foreach (var endpoint in endpoints)
        {
            if (endpoint is not (WebSocketEndpoint or UdpEndpoint))
            {
                throw new ArgumentException($"Endpoint '{endpoint.Name}' is a {endpoint.GetType().Name}; a host serves WebSocket and UDP endpoints.", nameof(endpoints));
            }
        }

        if (endpoints.GroupBy(e => e.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"Two endpoints are named '{twice.Key}'; endpoint names must be unique.", nameof(endpoints));
        }
    }

    private MockUdpSocket Bind(UdpEndpoint endpoint)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            var socket = MockUdpSocket.Open(this, endpoint, _options.Address);
            _udpSockets.Add(socket);
            return socket;
        }
    }
}
