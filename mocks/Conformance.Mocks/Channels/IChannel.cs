namespace Conformance.Mocks.Channels;

/// <summary>What carries a channel.</summary>
public enum ChannelTransport
{
    /// <summary>A WebSocket connection (<see cref="Hosting.MockConnection"/>).</summary>
    WebSocket,

    /// <summary>A remote address and port seen on a UDP endpoint (<see cref="UdpPeer"/>).</summary>
    Udp,
}

/// <summary>
/// One conversation with the client under test, whatever carries it: a WebSocket connection or a UDP peer. Ids come
/// from one sequence per host, shared by every transport (1, 2, 3 in order of first appearance), so a scenario can
/// name either kind of channel by its id. Every send is recorded in the host's one transcript.
/// </summary>
public interface IChannel
{
    /// <summary>1 for the first channel of a host, 2 for the next, whatever their transports.</summary>
    int Id { get; }

    /// <summary>The name of the endpoint the channel arrived on.</summary>
    string Endpoint { get; }

    ChannelTransport Transport { get; }

    /// <summary>False once the channel has ended, however it ended.</summary>
    bool IsOpen { get; }

    /// <summary>Fires when the channel ends.</summary>
    CancellationToken Closed { get; }

    /// <summary>Sends a text message (over UDP: one datagram of its UTF-8 bytes). False when the channel had ended.</summary>
    Task<bool> SendTextAsync(string text, string? origin = null);

    /// <summary>Sends a binary message (over UDP: one datagram). False when the channel had ended.</summary>
    Task<bool> SendBinaryAsync(byte[] payload, string? origin = null);

    /// <summary>
    /// Ends the channel abruptly: a WebSocket connection loses its TCP connection without a close frame; a UDP peer is
    /// forgotten, so its next datagram opens a new channel, as a server that lost its state would see it.
    /// </summary>
    void Drop();
}
