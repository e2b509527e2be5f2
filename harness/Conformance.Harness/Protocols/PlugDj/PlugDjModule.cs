using Conformance.Harness.Monitors;
using Conformance.Harness.Recording;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Protocols.PlugDj;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Protocols.PlugDj;

/// <summary>plug.dj (seed 001) as the engine sees it: the socket, the REST credentials a client is given, its monitors.</summary>
internal sealed partial class PlugDjModule : IProtocolModule
{
    private const string Token = "CONFORMANCE_TOKEN";
    private const string Email = "CONFORMANCE_EMAIL";
    private const string Password = "CONFORMANCE_PASSWORD";
    private const string Room = "CONFORMANCE_ROOM";
    private const string HttpsUrl = "CONFORMANCE_HTTPS_URL";
    private const string CaFile = "CONFORMANCE_CA_FILE";
    private const string NodeCaCerts = "NODE_EXTRA_CA_CERTS";
    private const string RestLogin = "rest-login";
    private const string Chat = "chat";

    public string Id => "plugdj";

    public ProtocolDescription Description { get; } = new(
        "plug.dj socket API",
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [PlugDjMock.SocketEndpoint] = "/socket, the event socket (its upgrade's Origin is checked: mock options origin and " +
                "requireOrigin); the REST calls under /_/ are served alongside, over HTTP and HTTPS",
        },
        "A plug.dj event, rendered as a one-event array [{a, p, s}] with seeded data: s is the hosted room, or 'dashboard' for " +
        "account events (earn, levelUp, notify, plugMaintenanceAlert, plugMaintenance, plugMessage, killSession, ban).",
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [HttpsUrl] = "the base URL of the same REST routes over TLS",
            [CaFile] = "the PEM file of the mock's self-signed certificate",
            [NodeCaCerts] = "the same PEM file, where Node reads extra CA certificates from at start-up",
            [Token] = "a socket token the mock always accepts; a real client gets one from GET /_/auth/token",
            [Email] = "the account POST /_/auth/login accepts",
            [Password] = "its password",
            [Room] = "the slug of the room the mock hosts",
        });

    public IReadOnlyList<string> Endpoints { get; } = [PlugDjMock.SocketEndpoint];

    public IReadOnlyCollection<string> Templates => PlugDjMock.EventTemplates;

    public Type OptionsType => typeof(PlugDjOptions);

    public IReadOnlyList<IRuleMonitor> Monitors { get; } = [new PlugDjFrameMonitor()];

    public object CreateOptions() => new PlugDjOptions();

    public async Task<ProtocolMock> StartMockAsync(object options, MockHostOptions host, Transcript transcript) =>
        await PlugDjMock.StartAsync((PlugDjOptions)options, host, transcript).ConfigureAwait(false);

    /// <summary>seed §The h Message: the bare <c>h</c> keep-alive, sent on the server's own schedule.</summary>
    public bool IsHeartbeat(FrameRecorded frame) => frame.Direction == Direction.ServerToClient && PlugDjCodec.IsKeepAlive(frame.Text);

    /// <summary>Clients stamp every frame with their clock in t (seed §Sending Messages); snapshots show it as UnixTime.</summary>
    public string Scrub(string snapshot) => ClientTime().Replace(snapshot, "\"t\":\"UnixTime\"");

    public IReadOnlyList<string> ClientVariables { get; } = [HttpsUrl, CaFile, NodeCaCerts, Token, Email, Password, Room];

    public RecordingRules Recording { get; } = new(
        "plugdj.connect.origin",
        "plugdj.auth.token",
        frame => PlugDjCodec.ParseRequest(frame.Text)?.Action switch
        {
            "auth" => "plugdj.auth.prompt",
            "chat" => "plugdj.chat.no-newline",
            _ => "plugdj.frame.known-actions",
        });

    public IReadOnlyList<ProtocolProfile> Profiles { get; } =
    [
        new(
            "server",
            "The socket as the server spoke it and real clients rely on: ack with p as the string \"1\".",
            "plugCubed/plugAPI lib/client.js (case 'ack': p === '1') and SooYou/plugged plugged.js at 9176810 (data.p === \"1\"); " +
            "the rest from plugcommunity/documentation api/socket.md at 9db9130 (seed 001)",
            new Dictionary<string, string>()),
        new(
            "documentation",
            "The socket as the community documentation shows it: ack with p as the number 1.",
            "plugcommunity/documentation api/events/backend_events/ack.md §Packet Example and §Real life example (\"p\": 1)",
            new Dictionary<string, string> { ["numericAck"] = "true" }),
    ];

    public IReadOnlyList<ClientFeature> Features { get; } =
    [
        // seed 001 §Connecting step 2: a client gets its socket token from GET /_/auth/token after logging in; one
        // that authenticates with the token it is handed (CONFORMANCE_TOKEN) breaks no rule.
        new(RestLogin, "The client logs in over REST itself: /_/mobile/init, /_/auth/login, /_/auth/token."),
        // seed 001 §"chat": sending chat is something a client may do; one that never chats breaks no chat rule.
        new(Chat, "The client sends chat messages on its own."),
    ];

    public IReadOnlyDictionary<string, string> ClientEnvironment(ProtocolMock mock)
    {
        var plug = (PlugDjMock)mock;
        var options = plug.Options;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // The same REST routes over TLS (plug.dj is https only; plugapi's room calls cannot use http), with the
            // mock's self-signed certificate as a PEM file, which Node reads from NODE_EXTRA_CA_CERTS at start-up.
            [HttpsUrl] = plug.HttpsUrl.ToString().TrimEnd('/'),
            [CaFile] = LoopbackCertificate.PemPath,
            [NodeCaCerts] = LoopbackCertificate.PemPath,
            [Token] = options.Token,
            [Email] = options.Email,
            [Password] = options.Password,
            [Room] = options.Room,
        };
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"""t"":\d{9,13}")]
    private static partial System.Text.RegularExpressions.Regex ClientTime();
}
