using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
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
                "run ci/container-engine.sh, or docker build -t conformance:local .", false);
        }

        var networks = await client.Networks.ListNetworksAsync(new NetworksListParameters(), cancellation);
        return (null, networks.Any(n => n.Name == "bridge"));
    }
}
