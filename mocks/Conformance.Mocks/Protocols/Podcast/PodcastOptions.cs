using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Conformance.Mocks.Protocols.Podcast;

/// <summary>
/// Everything a scenario may vary about the discord-podcasts mock. Defaults follow the 2023 documents (seed 004 =
/// discord-podcasts/documentation resources/websocket.md; reference.md, resources/audio.md, resources/podcast.md) and,
/// where they are silent, the Rust prototype (discord-podcasts/backend-beta).
/// </summary>
public sealed class PodcastOptions
{
    [Description("The client id every request must carry in its client_id header (a number), given as CONFORMANCE_CLIENT_ID " +
        "(discord-podcasts/documentation reference.md §Authorization).")]
    public string ClientId { get; set; } = "1001";

    [Description("The secret every request must carry in its client_secret header, given as CONFORMANCE_CLIENT_SECRET; a wrong one " +
        "gets 401 \"Invalid client_secret formatting\" (discord-podcasts/backend-beta src/authentication.rs).")]
    public string ClientSecret { get; set; } = "conformance-secret";

    [Description("The id of the podcast a simulated host runs from the start, for a listener under test (/listen?id=), given as " +
        "CONFORMANCE_PODCAST_ID; podcasts a host under test creates get the next ids (resources/websocket.md §Hello: u32).")]
    [Range(1, uint.MaxValue)]
    public long PodcastId { get; set; } = 3_735_928_559;

    [Description("Whether Hello carries the 32-byte secret audio is sealed with (resources/websocket.md at c1db4e8); without it " +
        "audio travels plain, as before 2023-07.")]
    public bool SendSecret { get; set; } = true;

    [Description("Seed of each podcast's secret and of the simulated host's nonces, so every run seals the same bytes.")]
    public int Seed { get; set; } = 4;

    [Description("How long the server waits after the upgrade before it sends Hello (0: at once, as the servers do); a delay shows " +
        "whether a client waits for Hello.")]
    public TimeSpan HelloDelay { get; set; } = TimeSpan.Zero;

    [Description("How long the server takes to confirm a Connected with ClientJoin (0: at once); a delay shows whether a client " +
        "holds its audio until ClientJoin (resources/websocket.md §Lifecycle).")]
    public TimeSpan JoinDelay { get; set; } = TimeSpan.Zero;

    [Description("How many simulated listeners join a podcast a host under test creates, once the host's own ClientJoin is sent; " +
        "each receives the relayed audio on a UDP socket of its own.")]
    [Range(0, 100)]
    public int SimulatedListeners { get; set; } = 2;

    [Description("When set, each simulated listener leaves this long after it joined: Disconnected {client_id} goes to the host " +
        "(resources/websocket.md §Client Disconnect) and the relay stops sending to it. Default: they stay.")]
    public TimeSpan? SimulatedListenersLeaveAfter { get; set; }

    [Description("How many audio packets a host under test is asked to send once it has joined, given as CONFORMANCE_AUDIO_PACKETS.")]
    [Range(0, 100000)]
    public int ClientPackets { get; set; } = 5;

    [Description("How many sealed audio packets the simulated host streams to a listener under test once it has joined.")]
    [Range(0, 100000)]
    public int HostPackets { get; set; } = 5;

    [Description("The gap between the simulated host's audio packets (Opus frames are 20 ms).")]
    public TimeSpan HostInterval { get; set; } = TimeSpan.FromMilliseconds(20);

    [Description("When set, the simulated host leaves this long after its last packet: End goes to every listener " +
        "(resources/websocket.md §End). Default: it stays.")]
    public TimeSpan? HostLeavesAfter { get; set; }

    [Description("How long after End the server closes the audience's sockets itself; a client should close first.")]
    public TimeSpan EndGrace { get; set; } = TimeSpan.FromSeconds(1);

    [Description("How long a host has to send Connected before its podcast is dropped (discord-podcasts/backend-beta " +
        "src/podcast.rs: 60 s; the 2022 server: 10 s).")]
    public TimeSpan HostDeadline { get; set; } = TimeSpan.FromSeconds(60);

    [Description("The frame envelope: current ({t, data}, 2023 documents), rust-2022 ({event_type, data} from the server, " +
        "{message_type, data} from the client; backend-beta) or kotlin-2022 ({type, content}; backend 2022).")]
    [AllowedValues("current", "rust-2022", "kotlin-2022")]
    public string Envelope { get; set; } = "current";

    /// <summary>The envelope option read; an unknown name throws.</summary>
    public PodcastEnvelope Framing => Envelope.ToLowerInvariant() switch
    {
        "current" => PodcastEnvelope.Current,
        "rust-2022" => PodcastEnvelope.Rust2022,
        "kotlin-2022" => PodcastEnvelope.Kotlin2022,
        _ => throw new ArgumentException($"envelope '{Envelope}' is not one of: current, rust-2022, kotlin-2022"),
    };
}

/// <summary>
/// How events are wrapped, by generation: discord-podcasts/documentation (seed 004 and its history: 055457a, 70f16c4),
/// discord-podcasts/backend-beta (Rust, 2022-12) and discord-podcasts/backend (Kotlin, 2022).
/// </summary>
public enum PodcastEnvelope
{
    /// <summary><c>{"t": code, "data": {...}}</c>: the 2023 documents.</summary>
    Current,

    /// <summary><c>{"event_type": code, "data": {...}}</c> from the server, <c>{"message_type": 1, "data": {ip, port}}</c> from the client.</summary>
    Rust2022,

    /// <summary><c>{"type": code, "content": {...}}</c> both ways.</summary>
    Kotlin2022,
}
