using DotNet.Testcontainers.Containers;

namespace Conformance.Testcontainers;

/// <summary>
/// A running <c>conformance serve</c>: the mock's endpoints as URLs this machine can connect to. Built by
/// <see cref="ConformanceBuilder"/>; start it with <c>StartAsync</c> and dispose it to stop and remove it.
/// </summary>
public sealed class ConformanceContainer : DockerContainer
{
    private readonly ConformanceConfiguration _configuration;

    internal ConformanceContainer(ConformanceConfiguration configuration)
        : base(configuration)
    {
        _configuration = configuration;
    }

    /// <summary>The endpoint names serve announced (<c>gateway</c>, <c>kpop</c>, ...), in its order.</summary>
    /// <exception cref="InvalidOperationException">The container has not been started.</exception>
    public IReadOnlyCollection<string> EndpointNames => Announcement.Endpoints.Keys.ToList();

    /// <summary>
    /// Base URL of the mock's HTTP routes and its <c>/_conformance/</c> control API, e.g. <c>http://127.0.0.1:32768</c>
    /// (the <c>CONFORMANCE_HTTP_URL</c> a client would be given).
    /// </summary>
    /// <exception cref="InvalidOperationException">The container has not been started.</exception>
    public Uri HttpUrl => Map(Announcement.HttpUrl, "http");

    /// <summary>
    /// The URL of an endpoint as reached from this machine, e.g. <c>GetUrl("gateway")</c> gives
    /// <c>ws://127.0.0.1:32768/gateway_v2</c> for LISTEN.moe: the engine's host and the published port, or with
    /// <see cref="ConformanceBuilder.WithHostNetwork"/> the loopback address and port serve announced.
    /// </summary>
    /// <param name="endpoint">An endpoint name as serve prints it, e.g. <c>gateway</c>.</param>
    /// <exception cref="KeyNotFoundException">The mock has no such endpoint; the message lists the ones it has.</exception>
    /// <exception cref="InvalidOperationException">
    /// The container has not been started, or the endpoint is a UDP one on a container with published ports (its port
    /// is picked when the mock starts, after ports are published: use <see cref="ConformanceBuilder.WithHostNetwork"/>).
    /// </exception>
    public Uri GetUrl(string endpoint)
    {
        var announcement = Announcement;
        if (!announcement.Endpoints.TryGetValue(endpoint, out var url))
        {
            throw new KeyNotFoundException(
                $"The {_configuration.Protocol} mock has no endpoint '{endpoint}' (it has: {string.Join(", ", announcement.Endpoints.Keys)}).");
        }

        return Map(url, endpoint);
    }

    /// <summary>Set by <see cref="UntilServeIsReady"/> once serve has printed <c>ready</c>.</summary>
    internal ServeAnnouncement? Announced { get; set; }

    private ServeAnnouncement Announcement => Announced
        ?? throw new InvalidOperationException("The Conformance container has not been started (or serve has not printed 'ready' yet).");

    private Uri Map(Uri url, string endpoint)
    {
        if (_configuration.HostNetwork)
        {
            // serve bound 127.0.0.1 in the engine host's own network, so what it announced is already the address to use
            // (Hostname would not do: where /.dockerenv exists, Testcontainers answers the gateway of the container's
            // network, and the host network has none).
            return url;
        }

        if (url.Port != ConformanceBuilder.ServePort)
        {
            throw new InvalidOperationException(
                $"Endpoint '{endpoint}' ({url}) is not on the published port {ConformanceBuilder.ServePort}; " +
                "UDP endpoints pick their port when the mock starts, so they are reachable only with WithHostNetwork().");
        }

        return EndpointUrl.OnHost(url, Hostname, GetMappedPublicPort(ConformanceBuilder.ServePort));
    }
}
