namespace Conformance.Testcontainers;

/// <summary>Rewrites a URL that serve announced inside the container to the host and port that reach it from outside.</summary>
internal static class EndpointUrl
{
    public static Uri OnHost(Uri announced, string host, int port) => new UriBuilder(announced) { Host = host, Port = port }.Uri;
}
