using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
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

    /// <summary>Which gateway the mock is. Default: v2 (seed 000).</summary>
    [Description("Which gateway the mock is: v2, the current one (seed 000: /gateway_v2 and /kpop/gateway_v2, the welcome at once), " +
        "or v1, the gateway of 2018-03 to 2019-08 (LISTEN-moe/documentation docs/ws/spec.md at 168f268: /gateway and /kpop/gateway, " +
        "the client's op 0 auth first, then the welcome).")]
    [AllowedValues("v2", "v1")]
    public string Gateway { get; set; } = "v2";

    /// <summary>The gateway option read; an unknown name throws.</summary>
    public ListenMoeGateway GatewayVersion => Gateway switch
    {
        "v2" => ListenMoeGateway.V2,
        "v1" => ListenMoeGateway.V1,
        _ => throw new ArgumentException($"gateway '{Gateway}' is neither v2 nor v1", nameof(Gateway)),
    };

    /// <summary>Gateway v1: the token a client may authenticate with, given as CONFORMANCE_TOKEN.</summary>
    [Description("Gateway v1 only: the JWT a client may authenticate with, op 0 {auth: \"Bearer <token>\"} (given as CONFORMANCE_TOKEN); " +
        "an empty auth is anonymous, any other is refused with close 4003 (docs/ws/spec.md at 168f268 §Authenticating; the close codes " +
        "of TheAkio/listenmoe.js src/v4/Constants.js).")]
    public string Token { get; set; } = "conformance-listenmoe-jwt";

    /// <summary>Gateway v1: the user the welcome names when the client authenticated with the token.</summary>
    [Description("Gateway v1 only: the username of the user the welcome names (d.user) after an auth with the token " +
        "(docs/ws/spec.md at 168f268 §Heartbeating).")]
    public string Username { get; set; } = "kana";
}

/// <summary>The generations of the LISTEN.moe gateway the mock can be.</summary>
public enum ListenMoeGateway
{
    /// <summary>gateway_v2, since 2019-08 (seed 000): the server speaks first.</summary>
    V2,

    /// <summary>The gateway of 2018-03 to 2019-08 (LISTEN-moe/documentation docs/ws/spec.md at 168f268): the client authenticates first.</summary>
    V1,
}
