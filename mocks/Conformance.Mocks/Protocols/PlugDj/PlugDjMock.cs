using System.Text.Json.Nodes;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Protocols.PlugDj;

/// <summary>
/// A plug.dj mock (seed 001): the socket at <c>/socket</c>, which refuses upgrades without <c>Origin: https://plug.dj</c>,
/// and the REST login flow under <c>/_/</c> on the same host.
/// <code>await using var mock = await PlugDjMock.StartAsync(o => o.AuthDeadline = TimeSpan.FromSeconds(1));</code>
/// </summary>
public sealed class PlugDjMock : ProtocolMock
{
    private readonly PlugDjOptions _options;
    private readonly PlugDjWorld _world;
    private readonly PlugDjEvents _events;

    private PlugDjMock(PlugDjOptions options)
    {
        _options = options;
        _world = new PlugDjWorld(options);
        _events = new PlugDjEvents(options, _world);
    }

    public override string Protocol => "plugdj";

    /// <summary>URL of the socket, <c>ws://127.0.0.1:port/socket</c>.</summary>
    public string Url => Urls[SocketEndpoint];

    /// <summary>
    /// Base HTTPS address of the same routes, <c>https://127.0.0.1:port</c>, with <see cref="LoopbackCertificate"/>:
    /// plug.dj is https only, and plugapi sends its room calls through an https agent that cannot reach http.
    /// </summary>
    public Uri HttpsUrl => Host.HttpsUrl ?? throw new InvalidOperationException("The plug.dj mock listens with TLS too; HttpsUrl is missing.");

    public PlugDjOptions Options => _options;

    public override IReadOnlyCollection<string> TemplateNames => EventTemplates;

    /// <summary>The event templates scenarios can send: one event each, for the hosted room or the dashboard.</summary>
    public static IReadOnlyList<string> EventTemplates => PlugDjEvents.Names;

    /// <summary>The endpoint name scenarios use.</summary>
    public const string SocketEndpoint = "socket";

    public static async Task<PlugDjMock> StartAsync(Action<PlugDjOptions>? configure = null, MockHostOptions? host = null, Transcript? transcript = null)
    {
        var options = new PlugDjOptions();
        configure?.Invoke(options);
        return await StartAsync(options, host, transcript).ConfigureAwait(false);
    }

    public static async Task<PlugDjMock> StartAsync(PlugDjOptions options, MockHostOptions? host = null, Transcript? transcript = null)
    {
        var mock = new PlugDjMock(options);
        var socket = new WebSocketEndpoint(SocketEndpoint, "/socket", _ => new PlugDjConnectionHandler(mock, options, mock._world, mock.Transcript))
        {
            // seed §Connecting step 1: "the socket server only accepts connections that originate from https://plug.dj".
            Admit = context => !options.RequireOrigin || context.Request.Headers.Origin.ToString() == options.Origin
                ? null
                : new Refusal(403, context.Request.Headers.Origin.Count == 0 ? "no Origin header" : $"Origin '{context.Request.Headers.Origin}' is not {options.Origin}"),
        };
        var listen = host?.Copy() ?? new MockHostOptions();
        listen.TlsCertificate ??= LoopbackCertificate.Certificate;
        await mock.StartHostAsync(listen, [socket], transcript).ConfigureAwait(false);
        foreach (var route in new PlugDjRest(options, mock._world).Routes())
        {
            mock.Host.Routes.Add(route);
        }

        return mock;
    }

    public override JsonNode RenderTemplate(string name, MockConnection? connection) => _events.Render(name);

    public override void ResetState() => _world.Reset();
}
