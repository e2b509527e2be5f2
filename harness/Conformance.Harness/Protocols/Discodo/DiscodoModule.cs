using System.Globalization;
using System.Text.RegularExpressions;
using Conformance.Harness.Monitors;
using Conformance.Harness.Recording;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Protocols.Discodo;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Protocols.Discodo;

/// <summary>The Discodo node (seed 003 = kijk2869/discodo docs/node/connection.rst) as the engine sees it.</summary>
internal sealed partial class DiscodoModule : IProtocolModule
{
    internal const string Token = "CONFORMANCE_TOKEN";
    private const string UserId = "CONFORMANCE_USER_ID";
    private const string Shards = "CONFORMANCE_SHARDS";
    private const string Voice = "CONFORMANCE_VOICE";

    public string Id => "discodo";

    public ProtocolDescription Description { get; } = new(
        "Discodo node",
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [DiscodoMock.WebSocketEndpointName] = "/ws, the node's WebSocket (Authorization: <password>); the REST routes " +
                "(/status, /context, /queue, /options, /pause, /resume) are served alongside",
        },
        "hello (HELLO with the options' interval in seconds and version), forbidden (FORBIDDEN), heartbeat_ack (HEARTBEAT_ACK " +
        "with d null), identified (IDENTIFIED), resumed (RESUMED listing the connection's voice clients in the options' form), " +
        "status (STATUS with fixed figures).",
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Token] = "the node's password, sent as the upgrade's Authorization header",
            [UserId] = "the bot's user id, for IDENTIFY (a snowflake above 2^53 by default)",
            [Shards] = "how many shards the bot runs: 0 is unsharded (IDENTIFY shard_id null), n one connection per shard id",
            [Voice] = "voice channels the bot joins once identified, \"guild_id:channel_id\" pairs, comma-separated (empty: none)",
        });

    public IReadOnlyList<string> Endpoints { get; } = [DiscodoMock.WebSocketEndpointName];

    public IReadOnlyCollection<string> Templates { get; } =
    [
        DiscodoMock.Templates.Hello, DiscodoMock.Templates.Forbidden, DiscodoMock.Templates.HeartbeatAck,
        DiscodoMock.Templates.Identified, DiscodoMock.Templates.Resumed, DiscodoMock.Templates.Status,
    ];

    public Type OptionsType => typeof(DiscodoOptions);

    public IReadOnlyList<IRuleMonitor> Monitors { get; } =
    [
        // connection.rst §Heartbeating: HELLO d.heartbeat_interval is the period, in seconds, of the client's HEARTBEAT.
        new HeartbeatMonitor("discodo.heartbeat.first-beat", "discodo.heartbeat.period", AdvertisedInterval, IsClientBeat),
        new DiscodoFrameMonitor(),
    ];

    public object CreateOptions() => new DiscodoOptions();

    public async Task<ProtocolMock> StartMockAsync(object options, MockHostOptions host, Transcript transcript) =>
        await DiscodoMock.StartAsync((DiscodoOptions)options, host, transcript).ConfigureAwait(false);

    public bool IsHeartbeat(FrameRecorded frame) =>
        frame.Direction == Direction.ClientToServer ? IsClientBeat(frame) : DiscodoCodec.Op(frame.Text) == DiscodoCodec.Ops.HeartbeatAck;

    /// <summary>Clients put their clock in HEARTBEAT d (discodo/client/gateway.py: milliseconds); snapshots show it as UnixTimeMs.</summary>
    /// <remarks>Each distinct heartbeat is listed once before scrubbing, so the scrubbed copies are folded into one again.</remarks>
    public string Scrub(string snapshot) => RepeatedBeat().Replace(ClientClock().Replace(snapshot, "\"d\":\"UnixTimeMs\""), "$1");

    public IReadOnlyList<string> ClientVariables { get; } = [Token, UserId, Shards, Voice];

    public RecordingRules Recording { get; } = new(
        "discodo.connect.authorization",
        "discodo.connect.authorization",
        frame => DiscodoCodec.Parse(frame.Text)?.Op switch
        {
            "IDENTIFY" => "discodo.identify.required",
            "DISCORD_EVENT" => "discodo.voice.forward",
            _ => "discodo.tolerance.unknown",
        });

    public IReadOnlyList<ProtocolProfile> Profiles { get; } =
    [
        new(
            "documentation",
            "The node as its document describes it: RESUMED lists the surviving voice clients as [[guild_id, channel_id], ...].",
            "kijk2869/discodo docs/node/connection.rst §Resumed (seed 003)",
            new Dictionary<string, string>()),
        new(
            "node",
            "The node as its code runs: RESUMED maps each guild id to its voice client, {\"guild_id\": {\"id\": vc_id, \"channel\": channel_id}}.",
            "kijk2869/discodo discodo/server/websocket.py (resumed, at c1c4bdb)",
            new Dictionary<string, string> { ["resumedForm"] = "object" }),
    ];

    public IReadOnlyList<ClientFeature> Features { get; } = [];

    public IReadOnlyDictionary<string, string> ClientEnvironment(ProtocolMock mock)
    {
        var options = ((DiscodoMock)mock).Options;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Token] = options.Password,
            [UserId] = options.UserId,
            [Shards] = options.Shards.ToString(CultureInfo.InvariantCulture),
            [Voice] = options.VoiceChannels,
        };
    }

    private static bool IsClientBeat(FrameRecorded frame) =>
        frame.Direction == Direction.ClientToServer && DiscodoCodec.Op(frame.Text) == DiscodoCodec.Ops.Heartbeat;

    private static TimeSpan? AdvertisedInterval(FrameRecorded frame) =>
        frame.Direction == Direction.ServerToClient ? DiscodoCodec.Parse(frame.Text)?.HeartbeatInterval : null;

    [GeneratedRegex(@"""d"":\d{12,13}(?=[,}])")]
    private static partial Regex ClientClock();

    [GeneratedRegex(@"^(    .*  \(heartbeat, repeated\)\n)\1+", RegexOptions.Multiline)]
    private static partial Regex RepeatedBeat();
}
