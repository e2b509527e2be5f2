using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Conformance.Mocks.Protocols.Discodo;

/// <summary>How RESUMED lists the voice clients that survived the disconnect.</summary>
public enum DiscodoResumedForm
{
    /// <summary>
    /// The documented form: <c>{"voice_clients": [[guild_id, channel_id], ...]}</c> with numbers, channel null when
    /// unknown (kijk2869/discodo docs/node/connection.rst §Resumed).
    /// </summary>
    List,

    /// <summary>
    /// The node's code: <c>{"voice_clients": {"guild_id": {"id": vc_id, "channel": channel_id}}}</c>
    /// (kijk2869/discodo discodo/server/websocket.py, resumed).
    /// </summary>
    Object,
}

/// <summary>
/// Everything a scenario may vary about the Discodo node mock. Defaults follow seed 003 (kijk2869/discodo
/// docs/node/connection.rst) and, where it is silent, the node's code (discodo/config.py, discodo/server/websocket.py).
/// </summary>
public sealed class DiscodoOptions
{
    /// <summary>The password the upgrade's Authorization header must carry; CONFORMANCE_TOKEN. Default: hellodiscodo (discodo/config.py).</summary>
    [Description("The password the upgrade's Authorization header must carry (the client gets it as CONFORMANCE_TOKEN); " +
        "a wrong or missing one gets FORBIDDEN (kijk2869/discodo docs/node/connection.rst §Connecting; default from discodo/config.py).")]
    public string Password { get; set; } = "hellodiscodo";

    /// <summary>The bot's user id the client is given as CONFORMANCE_USER_ID. Default: a snowflake above 2^53.</summary>
    [Description("The bot user id the client is given as CONFORMANCE_USER_ID and sends in IDENTIFY (connection.rst §Identifying).")]
    public string UserId { get; set; } = "1095998329104949370";

    /// <summary>Shards the client is given as CONFORMANCE_SHARDS: 0 is an unsharded bot (shard_id null). Default: 0.</summary>
    [Description("How many shards the client runs, given as CONFORMANCE_SHARDS: 0 an unsharded bot (IDENTIFY shard_id null), " +
        "n one connection per shard id 0..n-1 (connection.rst §Identifying, §Resumed: user_id with shard_id).")]
    public int Shards { get; set; }

    /// <summary>
    /// Voice channels the bot joins once identified, given as CONFORMANCE_VOICE: "guild:channel" pairs, comma-separated.
    /// Default: none.
    /// </summary>
    [Description("Voice channels the bot joins once identified, given as CONFORMANCE_VOICE (\"guild_id:channel_id\" pairs, " +
        "comma-separated): the client forwards Discord's VOICE_STATE_UPDATE and VOICE_SERVER_UPDATE for each as DISCORD_EVENT " +
        "(kijk2869/discodo discodo/client/node.py) and the node creates a voice client.")]
    public string VoiceChannels { get; set; } = "";

    /// <summary>HELLO d.heartbeat_interval, in seconds on the wire. Default: 15 s (discodo/config.py WSINTERVAL).</summary>
    [Description("Advertised in HELLO d.heartbeat_interval, in seconds on the wire (connection.rst §Heartbeating); default from discodo/config.py.")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>HELLO d.version; null leaves it out (older nodes). Default: 3.0.7.</summary>
    [Description("HELLO d.version (kijk2869/discodo discodo/server/payloads.py); null leaves it out, as nodes before 2021-01 did.")]
    public string? Version { get; set; } = "3.0.7";

    /// <summary>Whether HELLO is sent on an authorized connection. Default: true (connection.rst §Connecting).</summary>
    [Description("Whether HELLO is sent on an authorized connection (connection.rst §Connecting).")]
    public bool SendHello { get; set; } = true;

    /// <summary>Whether HEARTBEAT is answered by HEARTBEAT_ACK. Default: true (connection.rst §Heartbeating).</summary>
    [Description("Whether HEARTBEAT is answered by HEARTBEAT_ACK echoing d (connection.rst §Heartbeating).")]
    public bool AckHeartbeats { get; set; } = true;

    /// <summary>FORBIDDEN d. Default: "Password mismatch." (discodo/server/websocket.py).</summary>
    [Description("FORBIDDEN d, the reason (discodo/server/websocket.py).")]
    public string ForbiddenMessage { get; set; } = "Password mismatch.";

    /// <summary>When set, the mock closes with this code after FORBIDDEN; the node itself leaves the socket open. Default: null.</summary>
    [Description("When set, the mock closes with this code after FORBIDDEN; null: the socket is left open and unread, as the node does (discodo/server/websocket.py).")]
    public int? ForbiddenCloseCode { get; set; }

    /// <summary>How long a manager waits for its user and shard to IDENTIFY again. Default: 300 s (discodo/config.py VCTIMEOUT).</summary>
    [Description("How long a disconnected manager and its voice clients wait for the same user_id and shard_id to IDENTIFY again " +
        "(connection.rst §Resumed, §Disconnecting: VC_TIMEOUT; default from discodo/config.py).")]
    public TimeSpan ResumeWindow { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>The shape of RESUMED. Default: the documented list form.</summary>
    [Description("The shape of RESUMED d.voice_clients: list, the documented [[guild_id, channel_id]] (connection.rst §Resumed), " +
        "or object, the node's {guild_id: {id, channel}} (discodo/server/websocket.py).")]
    [AllowedValues("list", "object")]
    public string ResumedForm { get; set; } = "list";

    internal DiscodoResumedForm Form => ResumedForm switch
    {
        "list" => DiscodoResumedForm.List,
        "object" => DiscodoResumedForm.Object,
        _ => throw new ArgumentException($"resumedForm '{ResumedForm}' is neither list nor object", nameof(ResumedForm)),
    };

    /// <summary>Whether the voice clients listed in RESUMED are destroyed (VC_DESTROYED) once it is sent, so the client rejoins. Default: true.</summary>
    [Description("Whether the voice clients listed in RESUMED are then destroyed (VC_DESTROYED each), so the client's rejoin creates " +
        "them afresh (connection.rst §Resumed: the client must reconnect to each voice channel).")]
    public bool DestroyAfterResume { get; set; } = true;

    /// <summary>A connection silent this long is cut without a close frame. Default: 60 s (discodo/config.py HANDSHAKE_TIMEOUT).</summary>
    [Description("A connection from which no frame arrives for this long is cut without a close frame (the node's read loop " +
        "times out: discodo/server/websocket.py, discodo/config.py).")]
    public TimeSpan SilenceLimit { get; set; } = TimeSpan.FromSeconds(60);
}
