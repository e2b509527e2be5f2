using System.Net;
using System.Text;
using System.Threading.Channels;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Channels;

/// <summary>
/// One remote address and port seen on a UDP endpoint: a channel that opens with its first datagram and lasts until
/// the mock drops it or its socket closes. UDP has no connection, so nothing reaches the client when it ends.
/// </summary>
public sealed class UdpPeer : IChannel
{
    private readonly CancellationTokenSource _closed = new();
    private readonly Channel<DatagramRecorded> _inbox =
        Channel.CreateUnbounded<DatagramRecorded>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    private readonly Transcript _transcript;
    private int _ended;
    private int _messages;

    internal UdpPeer(int id, MockUdpSocket socket, IPEndPoint remote, Transcript transcript)
    {
        Id = id;
        Socket = socket;
        Remote = remote;
        _transcript = transcript;
    }

    public int Id { get; }

    public string Endpoint => Socket.Name;

    public ChannelTransport Transport => ChannelTransport.Udp;

    /// <summary>The socket this peer sends to and is answered from.</summary>
    public MockUdpSocket Socket { get; }

    /// <summary>The client's address and port, where the mock's datagrams to this peer go.</summary>
    public IPEndPoint Remote { get; }

    public bool IsOpen => Volatile.Read(ref _ended) == 0;

    public CancellationToken Closed => _closed.Token;

    /// <summary>Datagrams recorded but not yet handed to the handler, in arrival order.</summary>
    internal ChannelReader<DatagramRecorded> Inbox => _inbox.Reader;

    /// <summary>Counts a datagram the mock sends to this peer: 1 for the first (chaos decides per datagram number).</summary>
    internal int NextMessage() => Interlocked.Increment(ref _messages);

    public Task<bool> SendTextAsync(string text, string? origin = null) => SendBinaryAsync(Encoding.UTF8.GetBytes(text), origin);

    public Task<bool> SendBinaryAsync(byte[] payload, string? origin = null) => Socket.SendAsync(this, payload, origin);

    public void Drop() => Socket.End(this, CloseInitiator.ServerDropped);

    internal void Deliver(DatagramRecorded datagram) => _inbox.Writer.TryWrite(datagram);

    /// <summary>Records the end once; datagrams not yet handled are left unhandled (they are recorded already).</summary>
    internal bool MarkEnded(CloseInitiator by)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return false;
        }

        _transcript.Append(new ConnectionClosed(Id, by, null, null));
        _inbox.Writer.TryComplete();
        _closed.Cancel();
        return true;
    }
}
