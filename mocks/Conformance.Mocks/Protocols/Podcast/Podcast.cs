using System.Net;
using System.Net.Sockets;
using Conformance.Mocks.Channels;
using Conformance.Mocks.Hosting;

namespace Conformance.Mocks.Protocols.Podcast;

/// <summary>A party's part in a podcast (resources/websocket.md: GET /ws hosts, /listen joins the audience).</summary>
public enum PodcastRole
{
    Host,
    Listener,
}

/// <summary>
/// One client of a podcast: its client id, role, WebSocket (none for a simulated party), the UDP address it announced in
/// Connected, and whether ClientJoin has confirmed it. Guarded by the mock's lock.
/// </summary>
internal sealed class PodcastParty(long clientId, PodcastRole role, MockConnection? connection)
{
    public long ClientId { get; } = clientId;

    public PodcastRole Role { get; } = role;

    public MockConnection? Connection { get; } = connection;

    public bool Simulated => Connection is null;

    /// <summary>Hello has gone out to this party: from then on it hears the podcast's events (a simulated party always does).</summary>
    public bool Greeted { get; set; }

    /// <summary>The address Connected announced; null until then.</summary>
    public IPEndPoint? Audio { get; set; }

    /// <summary>ClientJoin for this party has been sent: both links are confirmed and audio may flow.</summary>
    public bool Joined { get; set; }

    /// <summary>End has been sent to this party.</summary>
    public bool Ended { get; set; }

    /// <summary>A simulated listener's own UDP socket, which receives the relayed audio.</summary>
    public UdpClient? Socket { get; set; }
}

/// <summary>
/// A podcast (resources/podcast.md): its id, host, audience, the UDP socket its audio goes through and the secret it is
/// sealed with. Guarded by the mock's lock.
/// </summary>
internal sealed class Podcast(long id, byte[]? secret, MockUdpSocket socket, TimeSpan createdAt)
{
    public long Id { get; } = id;

    public byte[]? Secret { get; } = secret;

    public MockUdpSocket Socket { get; } = socket;

    public TimeSpan CreatedAt { get; } = createdAt;

    public PodcastParty? Host { get; set; }

    public List<PodcastParty> Audience { get; } = [];

    /// <summary>When the host was confirmed (REST active_since); null until then.</summary>
    public TimeSpan? ActiveSince { get; set; }

    public bool Ended { get; set; }

    public IEnumerable<PodcastParty> Parties => Host is null ? Audience : [Host, .. Audience];

    /// <summary>The name of its UDP endpoint, as scenarios refer to it.</summary>
    public static string EndpointName(long id) => $"{PodcastMock.UdpEndpointPrefix}{id}";
}
