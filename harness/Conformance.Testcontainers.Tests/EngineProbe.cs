using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Docker.DotNet;
using Docker.DotNet.Models;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;

namespace Conformance.Testcontainers.Tests;

/// <summary>
/// Whether the engine Testcontainers found can run the container test here, asked before anything is created, so that
/// only a missing engine or image makes the test Inconclusive, and everything after it counts.
/// </summary>
internal static class EngineProbe
{
    /// <summary>The image under test: <c>CONFORMANCE_IMAGE</c>, default <c>conformance:local</c> (ci/container-engine.sh builds it).</summary>
    public static string Image =>
        Environment.GetEnvironmentVariable("CONFORMANCE_IMAGE") is { Length: > 0 } image ? image : "conformance:local";

    /// <summary>Null when the engine answers and holds <paramref name="image"/>; otherwise why not, for Assert.Inconclusive.</summary>
    /// <returns>The reason, if any, and whether the engine has a bridge network (else the test shares the host's).</returns>
    public static async Task<(string? WhyNot, bool HasBridge)> CheckAsync(string image, CancellationToken cancellation)
    {
        var endpoint = TestcontainersSettings.OS.DockerEndpointAuthConfig
            ?? throw new InvalidOperationException("Testcontainers found no engine; Build() reports why.");
        using var client = endpoint.GetDockerClientBuilder().Build();
        try
        {
            var version = await client.System.GetVersionAsync(cancellation);
            TestContext.Out.WriteLine($"engine: Docker {version.Version}, API {version.APIVersion}, at {endpoint.Endpoint}");
        }
        catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException or TimeoutException)
        {
            return ($"The Docker engine at {endpoint.Endpoint} did not answer Testcontainers' API version ({endpoint.Version}): {e.Message}", false);
        }

        try
        {
            await client.Images.InspectImageAsync(image, cancellation);
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return ($"Image {image} is not on the engine at {endpoint.Endpoint}; it is built locally, never pulled: " +
                $"run ci/container-engine.sh, or docker build -t {image} . where the Microsoft base images can be pulled", false);
        }

        var networks = await client.Networks.ListNetworksAsync(new NetworksListParameters(), cancellation);
        return (null, networks.Any(n => n.Name == "bridge"));
    }

    /// <summary>
    /// Why Testcontainers found no engine, with the one cause its message leaves out: an engine that answers, but with
    /// an API older than the one Testcontainers asks for (Debian bookworm's dockerd 20.10 speaks 1.41).
    /// </summary>
    public static async Task<string> ExplainAsync(DockerUnavailableException unavailable)
    {
        var sockets = new[] { Environment.GetEnvironmentVariable("DOCKER_HOST"), "unix:///var/run/docker.sock" }
            .Where(h => h is not null && h.StartsWith("unix://", StringComparison.Ordinal))
            .Select(h => h!["unix://".Length..])
            .Distinct(StringComparer.Ordinal)
            .Where(File.Exists);
        foreach (var socket in sockets)
        {
            if (await VersionAsync(socket) is { } version)
            {
                return $"The Docker engine at unix://{socket} answers API {version["ApiVersion"]} (Docker {version["Version"]}), " +
                    "older than the 1.44 Testcontainers asks for; DOCKER_API_VERSION=1.41 makes it try the older API, and " +
                    "ci/container-engine.sh runs dockerd 26 (API 1.45). Testcontainers said: " + unavailable.Message;
            }
        }

        return "No Docker engine: " + unavailable.Message;
    }

    /// <summary>The engine's unversioned <c>GET /version</c> over its socket, or null when nothing answers there.</summary>
    private static async Task<JsonNode?> VersionAsync(string socket)
    {
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellation) =>
            {
                var connection = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await connection.ConnectAsync(new UnixDomainSocketEndPoint(socket), cancellation);
                return new NetworkStream(connection, ownsSocket: true);
            },
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            return JsonNode.Parse(await http.GetStringAsync(new Uri("http://engine/version")));
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }
}
