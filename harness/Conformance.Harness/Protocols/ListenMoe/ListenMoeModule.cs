using Conformance.Harness.Monitors;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Protocols.ListenMoe;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Protocols.ListenMoe;

/// <summary>LISTEN.moe gateway v2 (seed 000) as the engine sees it.</summary>
internal sealed class ListenMoeModule : IProtocolModule
{
    public string Id => "listenmoe";

    public ProtocolDescription Description { get; } = new(
        "LISTEN.moe gateway v2",
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ListenMoeMock.Endpoints.Gateway] = "/gateway_v2, the J-pop stream",
            [ListenMoeMock.Endpoints.Kpop] = "/kpop/gateway_v2, the K-pop stream",
        },
        "welcome (op 0), track_update (the next song, op 1 TRACK_UPDATE), current_track (op 1 TRACK_UPDATE for the song now " +
        "playing), track_update_request (op 1 TRACK_UPDATE_REQUEST, the answer to op 2), heartbeat_ack (op 10).",
        new Dictionary<string, string>(StringComparer.Ordinal));

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

    public IReadOnlyDictionary<string, string> ClientEnvironment(ProtocolMock mock) => new Dictionary<string, string>();

    public IReadOnlyList<string> ClientVariables { get; } = [];

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
