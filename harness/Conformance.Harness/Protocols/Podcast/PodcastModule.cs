using System.Globalization;
using System.Text.RegularExpressions;
using Conformance.Harness.Monitors;
using Conformance.Harness.Recording;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Protocols.Podcast;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Protocols.Podcast;

/// <summary>
/// discord-podcasts (seed 004 = discord-podcasts/documentation resources/websocket.md; audio.md for the UDP packets) as
/// the engine sees it: two WebSocket endpoints, one per role, and a UDP endpoint per podcast opened at run time.
/// </summary>
internal sealed partial class PodcastModule : IProtocolModule
{
    internal const string ClientId = "CONFORMANCE_CLIENT_ID";
    internal const string ClientSecret = "CONFORMANCE_CLIENT_SECRET";
    private const string PodcastId = "CONFORMANCE_PODCAST_ID";
    private const string AudioPackets = "CONFORMANCE_AUDIO_PACKETS";

    /// <summary>The client features: the roles a client implements.</summary>
    internal const string Host = "host";

    internal const string Listener = "listener";

    public string Id => "podcast";

    public ProtocolDescription Description { get; } = new(
        "discord-podcasts",
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [PodcastMock.HostEndpointName] = "/ws, hosting a new podcast (client_id and client_secret headers); each podcast's UDP socket is " +
                "an endpoint of its own, podcast-<id>; GET /podcast?id= and GET /list are served alongside",
            [PodcastMock.ListenEndpointName] = "/listen?id=<podcast>, joining a podcast's audience (the simulated host's podcast, CONFORMANCE_PODCAST_ID)",
        },
        "hello (Hello for the connection's podcast), client_join (ClientJoin with the connection's client id), disconnected " +
        "(Disconnected with the connection's client id), end (End).",
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ClientId] = "the client id, sent as the client_id header of every request",
            [ClientSecret] = "the client secret, sent as the client_secret header of every request",
            [PodcastId] = "the podcast a listener joins (/listen?id=): the simulated host's",
            [AudioPackets] = "how many audio packets a host sends once it has joined",
        });

    public IReadOnlyList<string> Endpoints { get; } = [PodcastMock.HostEndpointName, PodcastMock.ListenEndpointName];

    public IReadOnlyCollection<string> Templates { get; } =
        [PodcastMock.Templates.Hello, PodcastMock.Templates.ClientJoin, PodcastMock.Templates.Disconnected, PodcastMock.Templates.End];

    public Type OptionsType => typeof(PodcastOptions);

    public IReadOnlyList<IRuleMonitor> Monitors { get; } = [new PodcastMonitor()];

    public object CreateOptions() => new PodcastOptions();

    public async Task<ProtocolMock> StartMockAsync(object options, MockHostOptions host, Transcript transcript) =>
        await PodcastMock.StartAsync((PodcastOptions)options, host, transcript).ConfigureAwait(false);

    public bool IsHeartbeat(FrameRecorded frame) => false;

    /// <summary>UDP ports in Hello and Connected change every run.</summary>
    public string Scrub(string snapshot) => Port().Replace(snapshot, "\"port\":\"{port}\"");

    /// <summary>
    /// Audio by its size: the clients' nonces are random, so the bytes differ every run; what the mock made of a packet
    /// (sealed and opens, relayed, dropped) follows as its note.
    /// </summary>
    public string? DescribeDatagram(DatagramRecorded datagram) => $"{datagram.Payload.Length} bytes";

    public IReadOnlyList<DatagramMatcher> DatagramMatchers { get; } =
    [
        new("sealed", "a 24-byte nonce, then xsalsa20-poly1305 ciphertext that opens with the podcast's secret (resources/audio.md)",
            (datagram, mock) => ((PodcastMock)mock).SecretOf(datagram.Channel) is { } secret && PodcastAudio.Open(datagram.Payload, secret) is not null),
    ];

    public DynamicEndpointNames? DynamicUdpEndpoints { get; } = new(PodcastMock.UdpEndpointPrefix);

    public IReadOnlyList<string> ClientVariables { get; } = [ClientId, ClientSecret, PodcastId, AudioPackets];

    // Hello announces the server's UDP socket, which a verbatim replay would point at the recorded server: the replay
    // lets the mock play the server, and expects the client's frames with their bound ports loosened.
    public RecordingRules Recording { get; } = new(
        "podcast.auth.credentials",
        "podcast.auth.credentials",
        frame => PodcastCodec.Parse(frame.Text)?.Code == PodcastCodec.Connected ? "podcast.connected.send" : "podcast.hello.first")
    {
        Scripted = false,
        VolatileKeys = new HashSet<string>(StringComparer.Ordinal) { "port" },
        // Hello (the server's socket) and Connected (the client's) carry data.ip and data.port (resources/websocket.md §Hello, §Connected).
        Udp = new UdpAnnouncements(
            text => PodcastCodec.Parse(text) is { Code: PodcastCodec.Hello or PodcastCodec.Connected } e ? PodcastCodec.Address(e.Data) : null,
            PodcastCodec.WithAddress),
    };

    public IReadOnlyList<ProtocolProfile> Profiles { get; } =
    [
        new(
            "docs-2023",
            "The 2023 documents: events as {\"t\": code, \"data\": {...}} both ways.",
            "discord-podcasts/documentation resources/websocket.md §Events (seed 004)",
            new Dictionary<string, string>()),
        new(
            "rust-2022",
            "The Rust prototype of 2022-12: the server's events as {\"event_type\": code, \"data\": {...}}, the client's as " +
            "{\"message_type\": 1, \"data\": {ip, port}}.",
            "discord-podcasts/backend-beta src/websocket/ws.rs, src/requests.rs",
            new Dictionary<string, string> { ["envelope"] = "rust-2022" }),
        new(
            "kotlin-2022",
            "The Kotlin backend of 2022: events as {\"type\": code, \"content\": {...}} both ways.",
            "discord-podcasts/backend at 420ad5b (Kotlin, 2022) and discord-podcasts/documentation at 055457a",
            new Dictionary<string, string> { ["envelope"] = "kotlin-2022" }),
    ];

    public IReadOnlyList<ClientFeature> Features { get; } =
    [
        // resources/websocket.md: GET /ws hosts a podcast, /listen joins one; a client may implement either role.
        new(Host, "The client can host a podcast: /ws, Connected, then sealed audio to the podcast's UDP socket."),
        new(Listener, "The client can listen to a podcast: /listen?id=, Connected, then audio from the podcast's UDP socket."),
    ];

    public IReadOnlyDictionary<string, string> ClientEnvironment(ProtocolMock mock)
    {
        var options = ((PodcastMock)mock).Options;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ClientId] = options.ClientId,
            [ClientSecret] = options.ClientSecret,
            [PodcastId] = options.PodcastId.ToString(CultureInfo.InvariantCulture),
            [AudioPackets] = options.ClientPackets.ToString(CultureInfo.InvariantCulture),
        };
    }

    [GeneratedRegex(@"""port"":\d+")]
    private static partial Regex Port();
}
