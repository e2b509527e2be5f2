using System.ComponentModel;
using System.Text.Json.Nodes;

namespace Conformance.Mocks.Protocols.ListenMoe;

/// <summary>
/// Everything a scenario may vary about the LISTEN.moe gateway mock. Defaults follow seed 000
/// (LISTEN.moe gateway v2 specification).
/// </summary>
public sealed class ListenMoeOptions
{
    /// <summary>Advertised in op 0 <c>d.heartbeat</c>, in milliseconds on the wire. Default: 45 s (seed §Heartbeating).</summary>
    [Description("Advertised in op 0 d.heartbeat (milliseconds on the wire): the period of the client's op 9 (seed §Heartbeating).")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>op 0 <c>d.message</c>. Default: the seed's example text.</summary>
    [Description("op 0 d.message.")]
    public string WelcomeMessage { get; set; } = "Welcome to LISTEN.moe! Enjoy your stay!";

    /// <summary>Whether op 0 is sent on connect (seed §Heartbeating: the server speaks first). Default: true.</summary>
    [Description("Whether op 0 is sent on connect (seed §Heartbeating: the server speaks first).")]
    public bool SendWelcome { get; set; } = true;

    /// <summary>Wait before op 0; lets a scenario catch clients that speak before the welcome. Default: none.</summary>
    [Description("Wait before op 0, to catch clients that speak before the welcome.")]
    public TimeSpan WelcomeDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Whether op 9 is answered by op 10 (seed §Heartbeating). Default: true.</summary>
    [Description("Whether op 9 is answered by op 10 (seed §Heartbeating).")]
    public bool AckHeartbeats { get; set; } = true;

    /// <summary>Delay before each op 10. Default: none.</summary>
    [Description("Delay before each op 10.")]
    public TimeSpan AckDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Whether the current track (op 1 TRACK_UPDATE) follows the welcome. Default: true (not in LISTEN-moe/documentation docs/ws/spec.md: an inference, see specs/listenmoe/README.md §Observed behaviour).</summary>
    [Description("Whether the current track (op 1 TRACK_UPDATE) follows the welcome (not in LISTEN-moe/documentation docs/ws/spec.md: an inference, see specs/listenmoe/README.md §Observed behaviour).")]
    public bool SendTrackOnConnect { get; set; } = true;

    /// <summary>Whether op 2 is answered by op 1 TRACK_UPDATE_REQUEST (seed §Receiving data). Default: true.</summary>
    [Description("Whether op 2 is answered by op 1 TRACK_UPDATE_REQUEST (seed §Receiving data).")]
    public bool AnswerTrackRequests { get; set; } = true;

    /// <summary>When set, the song changes at this period and every connection gets TRACK_UPDATE. Default: never.</summary>
    [Description("When set, the song changes at this period and every connection gets TRACK_UPDATE; null: never.")]
    public TimeSpan? TrackChangeInterval { get; set; }

    /// <summary>Seed of the generated song catalogue; the same seed gives the same songs. Default: 2019.</summary>
    [Description("Seed of the generated song catalogue; the same seed gives the same songs.")]
    public int Seed { get; set; } = 2019;

    /// <summary>
    /// Songs to play instead of generated ones: a JSON array of song objects, sent exactly as given (so a scenario can
    /// leave fields out), in order, starting again from the first when they run out. Default: generated songs.
    /// </summary>
    [Description(
        "Songs to play instead of generated ones: a list of song objects sent exactly as given (so a scenario can " +
        "leave fields out), the first playing now, round again when they run out; null: generated songs.")]
    public JsonNode? Songs { get; set; }
}
