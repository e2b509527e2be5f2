using Conformance.Mocks.Hosting;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Channels;

/// <summary>
/// A UDP endpoint of a mock: a socket of its own on the host's address and an ephemeral port. Each remote address and
/// port that sends to it is a <see cref="UdpPeer"/> channel, and <see cref="CreateHandler"/> gives each its behaviour.
/// </summary>
public sealed record UdpEndpoint(string Name, Func<UdpPeer, DatagramHandler> CreateHandler) : MockEndpoint(Name);

/// <summary>
/// A protocol's default behaviour for one UDP peer. The host records every datagram before calling
/// <see cref="OnDatagramAsync"/>, and calls it for one peer's datagrams one at a time, in the order they arrived.
/// </summary>
public abstract class DatagramHandler
{
    /// <summary>Called for every datagram the peer sends, in order.</summary>
    public virtual Task OnDatagramAsync(UdpPeer peer, DatagramRecorded datagram) => Task.CompletedTask;
}
