using Conformance.Harness.Monitors;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Protocols.PlugDj;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Protocols.PlugDj;

/// <summary>plug.dj (seed 001) as the engine sees it: the socket, the REST credentials a client is given, its monitors.</summary>
internal sealed partial class PlugDjModule : IProtocolModule
{
    public string Id => "plugdj";

    public IReadOnlyList<string> Endpoints { get; } = [PlugDjMock.SocketEndpoint];

    public IReadOnlyCollection<string> Templates => PlugDjMock.EventTemplates;

    public Type OptionsType => typeof(PlugDjOptions);

    public IReadOnlyList<IRuleMonitor> Monitors { get; } = [new PlugDjFrameMonitor()];

    public object CreateOptions() => new PlugDjOptions();

    public async Task<ProtocolMock> StartMockAsync(object options, MockHostOptions host, Transcript transcript) =>
        await PlugDjMock.StartAsync((PlugDjOptions)options, host, transcript).ConfigureAwait(false);

    /// <summary>seed §The h Message: the bare <c>h</c> keep-alive, sent on the server's own schedule.</summary>
    public bool IsHeartbeat(FrameRecorded frame) => frame.Direction == Direction.ServerToClient && frame.Text == "h";

    /// <summary>Clients stamp every frame with their clock in t (seed §Sending Messages); snapshots show it as UnixTime.</summary>
    public string Scrub(string snapshot) => ClientTime().Replace(snapshot, "\"t\":\"UnixTime\"");

    public IReadOnlyDictionary<string, string> ClientEnvironment(ProtocolMock mock)
    {
        var plug = (PlugDjMock)mock;
        var options = plug.Options;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // The same REST routes over TLS (plug.dj is https only; plugapi's room calls cannot use http), with the
            // mock's self-signed certificate as a PEM file, which Node reads from NODE_EXTRA_CA_CERTS at start-up.
            ["CONFORMANCE_HTTPS_URL"] = plug.HttpsUrl.ToString().TrimEnd('/'),
            ["CONFORMANCE_CA_FILE"] = LoopbackCertificate.PemPath,
            ["NODE_EXTRA_CA_CERTS"] = LoopbackCertificate.PemPath,
            ["CONFORMANCE_TOKEN"] = options.Token,
            ["CONFORMANCE_EMAIL"] = options.Email,
            ["CONFORMANCE_PASSWORD"] = options.Password,
            ["CONFORMANCE_ROOM"] = options.Room,
        };
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"""t"":\d{9,13}")]
    private static partial System.Text.RegularExpressions.Regex ClientTime();
}
