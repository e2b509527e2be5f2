using System.Globalization;
using Conformance.Harness.Monitors;
using Conformance.Harness.Recording;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Protocols.Nightingale;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Protocols.Nightingale;

/// <summary>
/// Nightingale (seed 002 = AlvaroMS25/nightingale IMPLEMENTATION.md; the current server's src/api) as the engine sees it.
/// The server has no application heartbeat (WebSocket pings only), so no heartbeat monitor.
/// </summary>
internal sealed class NightingaleModule : IProtocolModule
{
    internal const string Token = "CONFORMANCE_TOKEN";
    private const string UserId = "CONFORMANCE_USER_ID";
    private const string Shards = "CONFORMANCE_SHARDS";
    private const string Voice = "CONFORMANCE_VOICE";
    private const string Play = "CONFORMANCE_PLAY";

    public string Id => "nightingale";

    public ProtocolDescription Description { get; } = new(
        "Nightingale",
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [NightingaleMock.WebSocketEndpointName] = "/ws?user_id=<id>&shards=<n>, a new session (Authorization: <password>); the REST routes " +
                "under /api/v1 are served alongside",
            [NightingaleMock.ResumeEndpointName] = "/ws/resume/{session}, resuming a session inside the window (the seed dialect: /ws/resume?session=)",
        },
        "ready (ready for the connection's session), connect_gateway and disconnect_gateway (update_state for the connection's first " +
        "player or the first voice channel), track_start, track_end and track_errored (event with the player's track or the next made-up one).",
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Token] = "the server's password, sent as the raw Authorization header of every request",
            [UserId] = "the bot's user id, for the /ws user_id query (a snowflake above 2^53 by default)",
            [Shards] = "the bot's shard count, for the /ws shards query",
            [Voice] = "voice channels the bot joins once ready, \"guild_id:channel_id\" pairs, comma-separated (empty: none)",
            [Play] = "a link the bot plays once in each guild it joined (empty: none)",
        });

    public IReadOnlyList<string> Endpoints { get; } = [NightingaleMock.WebSocketEndpointName, NightingaleMock.ResumeEndpointName];

    public IReadOnlyCollection<string> Templates { get; } =
    [
        NightingaleMock.Templates.Ready, NightingaleMock.Templates.ConnectGateway, NightingaleMock.Templates.DisconnectGateway,
        NightingaleMock.Templates.TrackStart, NightingaleMock.Templates.TrackEnd, NightingaleMock.Templates.TrackErrored,
    ];

    public Type OptionsType => typeof(NightingaleOptions);

    public IReadOnlyList<IRuleMonitor> Monitors { get; } = [new NightingaleMonitor()];

    public object CreateOptions() => new NightingaleOptions();

    public async Task<ProtocolMock> StartMockAsync(object options, MockHostOptions host, Transcript transcript) =>
        await NightingaleMock.StartAsync((NightingaleOptions)options, host, transcript).ConfigureAwait(false);

    public bool IsHeartbeat(FrameRecorded frame) => false;

    public string Scrub(string snapshot) => snapshot;

    public IReadOnlyList<string> ClientVariables { get; } = [Token, UserId, Shards, Voice, Play];

    public RecordingRules Recording { get; } = new("nightingale.auth.password", "nightingale.rest.after-ready", _ => "nightingale.tolerance.unknown");

    public IReadOnlyList<ProtocolProfile> Profiles { get; } =
    [
        new(
            "current",
            "Every server since 2024-03: /ws?user_id=, resume at /ws/resume/<session>, guild_id / channel_id / session_id fields, durations in ms.",
            "AlvaroMS25/nightingale src/api (HEAD 701a6b3)",
            new Dictionary<string, string>()),
        new(
            "seed-2024-01",
            "The server seed 002 was written against: shards required beside user_id, resume at /ws/resume?session=<session>, " +
            "guild / channel / session fields in update_state, an event's guild as guild, Track durations as {secs, nanos}. The socket only.",
            "AlvaroMS25/nightingale at 674652a (2024-01-31): src/api/websocket.rs, src/api/model/*.rs",
            new Dictionary<string, string> { ["dialect"] = "seed" }),
    ];

    public IReadOnlyList<ClientFeature> Features { get; } = [];

    public IReadOnlyDictionary<string, string> ClientEnvironment(ProtocolMock mock)
    {
        var options = ((NightingaleMock)mock).Options;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Token] = options.Password,
            [UserId] = options.UserId,
            [Shards] = options.Shards.ToString(CultureInfo.InvariantCulture),
            [Voice] = options.VoiceChannels,
            [Play] = options.PlayLink,
        };
    }
}
