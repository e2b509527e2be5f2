using Microsoft.AspNetCore.Http;

namespace Conformance.Mocks.Hosting;

/// <summary>Why an upgrade was refused: the HTTP status and a reason recorded in the transcript.</summary>
public sealed record Refusal(int Status, string Reason);

/// <summary>
/// An endpoint of a mock, by transport: <see cref="WebSocketEndpoint"/> or <see cref="Channels.UdpEndpoint"/>. HTTP routes
/// are <see cref="MockHost.Routes"/>. <see cref="Name"/> is how scenarios and URLs refer to it, unique within a host.
/// </summary>
public abstract record MockEndpoint(string Name);

/// <summary>
/// A WebSocket endpoint of a mock. <see cref="Admit"/> runs before the upgrade (Origin or credential checks)
/// and returns a refusal or null; <see cref="CreateHandler"/> gives each accepted connection its behaviour.
/// <see cref="Path"/> may have named segments (<c>/ws/resume/{session}</c>, see <see cref="PathPattern"/>).
/// </summary>
public sealed record WebSocketEndpoint(string Name, string Path, Func<MockConnection, ConnectionHandler> CreateHandler) : MockEndpoint(Name)
{
    /// <summary>The path as a pattern; a path without <c>{name}</c> segments matches only itself.</summary>
    public PathPattern Pattern { get; } = new(Path);

    public Func<HttpContext, Refusal?> Admit { get; init; } = static _ => null;
}

/// <summary>An answer to an HTTP request: status, JSON or text body, headers.</summary>
public sealed record HttpReply(int Status, string? Body = null, string ContentType = "application/json")
{
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}

/// <summary>
/// An HTTP route of a mock: method (<c>*</c> for any) and exact path (<c>*</c> for any), narrowed further by
/// <see cref="When"/> (query, header and body matchers of a scenario stub).
/// </summary>
public sealed record HttpRoute(string Method, string Path, Func<HttpRequestContext, Task<HttpReply>> Handle)
{
    public Func<HttpRequestContext, bool>? When { get; init; }

    /// <summary>A name for the transcript: which stub or route answered.</summary>
    public string? Name { get; init; }

    public bool Matches(HttpRequestContext request) =>
        (Method == "*" || string.Equals(Method, request.Http.Request.Method, StringComparison.OrdinalIgnoreCase)) &&
        (Path == "*" || string.Equals(Path, request.Http.Request.Path.Value, StringComparison.Ordinal)) &&
        (When is null || When(request));
}

/// <summary>What an HTTP handler sees of a request.</summary>
public sealed record HttpRequestContext(HttpContext Http, string? Body);
