using Conformance.Harness.Monitors;
using Conformance.Harness.Recording;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Protocols.ListenMoe;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Protocols.ListenMoe;

/// <summary>LISTEN.moe gateway v2 (seed 000) as the engine sees it, and the gateway v1 before it as a profile.</summary>
internal sealed class ListenMoeModule : IProtocolModule
{
    private const string Token = "CONFORMANCE_TOKEN";

    public string Id => "listenmoe";

    public ProtocolDescription Description { get; } = new(
        "LISTEN.moe gateway v2",
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ListenMoeMock.Endpoints.Gateway] = "/gateway_v2, the J-pop stream (/gateway on gateway v1)",
            [ListenMoeMock.Endpoints.Kpop] = "/kpop/gateway_v2, the K-pop stream (/kpop/gateway on gateway v1)",
        },
        "welcome (op 0), track_update (the next song, op 1 TRACK_UPDATE), current_track (op 1 TRACK_UPDATE for the song now " +
        "playing), track_update_request (op 1 TRACK_UPDATE_REQUEST, the answer to op 2), heartbeat_ack (op 10).",
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Token] = "gateway v1 only: the JWT the client may authenticate with (op 0 {auth: \"Bearer <token>\"}); gateway v2 has no auth",
        });

    public IReadOnlyList<string> Endpoints { get; } = [ListenMoeMock.Endpoints.Gateway, ListenMoeMock.Endpoints.Kpop];

    public IReadOnlyCollection<string> Templates { get; } =
    [
        ListenMoeMock.Templates.Welcome, ListenMoeMock.Templates.TrackUpdate, ListenMoeMock.Templates.CurrentTrack,
        ListenMoeMock.Templates.TrackUpdateRequest, ListenMoeMock.Templates.HeartbeatAck,
    ];

    public Type OptionsType => typeof(ListenMoeOptions);

    public IReadOnlyList<IRuleMonitor> Monitors { get; } =
    [
        // seed §Heartbeating: op 0 d.heartbeat is the period, in milliseconds, of the client's op 9.
        new HeartbeatMonitor("listenmoe.heartbeat.first-beat", "listenmoe.heartbeat.period", AdvertisedInterval, IsClientBeat),
        new ListenMoeFrameMonitor(),
    ];

    public object CreateOptions() => new ListenMoeOptions();

    public async Task<ProtocolMock> StartMockAsync(object options, MockHostOptions host, Transcript transcript) =>
        await ListenMoeMock.StartAsync((ListenMoeOptions)options, host, transcript).ConfigureAwait(false);

    public bool IsHeartbeat(FrameRecorded frame) =>
        frame.Direction == Direction.ClientToServer ? IsClientBeat(frame) : ListenMoeCodec.Op(frame.Text) == ListenMoeCodec.Ops.HeartbeatAck;

    public IReadOnlyDictionary<string, string> ClientEnvironment(ProtocolMock mock) =>
        new Dictionary<string, string>(StringComparer.Ordinal) { [Token] = ((ListenMoeMock)mock).Options.Token };

    public IReadOnlyList<string> ClientVariables { get; } = [Token];

    public RecordingRules Recording { get; } = new(
        "listenmoe.connect.endpoint",
        "listenmoe.connect.endpoint",
        frame => ListenMoeCodec.Op(frame.Text) switch
        {
            ListenMoeCodec.Ops.TrackRequest => "listenmoe.track.refresh",
            ListenMoeCodec.Ops.Auth => "listenmoe.v1.auth-first",
            _ => "listenmoe.frame.known-ops",
        });

    public IReadOnlyList<ProtocolProfile> Profiles { get; } =
    [
        new(
            "gateway-v2",
            "The gateway since 2019-08: /gateway_v2 and /kpop/gateway_v2; the server speaks first with op 0, and clients send only op 9 and op 2.",
            "LISTEN-moe/documentation docs/ws/spec.md (seed 000, unchanged since 0882a9c, 2019-08-12)",
            new Dictionary<string, string>()),
        new(
            "gateway-v1",
            "The gateway of 2018-03 to 2019-08: /gateway and /kpop/gateway; the client opens with op 0 {auth: \"Bearer <token>\" or \"\"}, " +
            "then the server welcomes it with op 0 (with d.user after a real token); a bad auth is closed with 4003, a second one with 4004.",
            "LISTEN-moe/documentation docs/ws/spec.md at 168f268 §Connecting, §Authenticating, §Heartbeating; close codes from " +
            "TheAkio/listenmoe.js src/v4/Constants.js",
            new Dictionary<string, string> { ["gateway"] = "v1" }),
    ];

    public IReadOnlyList<ClientFeature> Features { get; } =
    [
        // seed 000 §Sending OP Codes lists only op 9; op 2 appears in one sentence of §Receiving data. A client written
        // from the seed may never send it and waits for the next TRACK_UPDATE instead, which breaks no rule.
        new("track-request", "The client asks for the current track with op 2 rather than waiting for the next song change."),
    ];

    private static bool IsClientBeat(FrameRecorded frame) =>
        frame.Direction == Direction.ClientToServer && ListenMoeCodec.Op(frame.Text) == ListenMoeCodec.Ops.Heartbeat;

    private static TimeSpan? AdvertisedInterval(FrameRecorded frame) => ListenMoeCodec.Parse(frame.Text)?.HeartbeatInterval;
}
