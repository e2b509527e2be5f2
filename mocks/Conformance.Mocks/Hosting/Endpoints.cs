using Microsoft.AspNetCore.Http;

namespace Conformance.Mocks.Hosting;

/// <summary>
/// Why an upgrade was refused: the HTTP status and a reason recorded in the transcript, and what the response carries
/// (a body such as a server's error JSON, headers such as a <c>WWW-Authenticate</c> challenge).
/// </summary>
public sealed record Refusal(int Status, string Reason)
{
    public string? Body { get; init; }

    /// <summary>The body's Content-Type; empty sends none (as some servers do).</summary>
    public string ContentType { get; init; } = "application/json";

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}

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

/// <summary>An answer to an HTTP request: status, JSON or text body, headers; or a <see cref="Fault"/> instead of an answer.</summary>
public sealed record HttpReply(int Status, string? Body = null, string ContentType = "application/json")
{
    /// <summary>
    /// A route's way of saying "not mine" after looking at a request: the next matching route is tried. A stub layer
    /// placed first (a scenario's HTTP stubs) answers this when none of its stubs matched.
    /// </summary>
    public static HttpReply PassOn { get; } = new(0);

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Who answered, for the transcript, when it is more than the route (which stub of a stub layer).</summary>
    public string? AnsweredBy { get; init; }

    /// <summary>A broken answer: the connection is cut in this way instead of answering (default: none).</summary>
    public HttpFault Fault { get; init; }
}

/// <summary>
/// Ways an HTTP answer can break, as WireMock names them (wiremock.org/docs/simulating-faults). Each cuts the connection;
/// over TLS, where raw bytes cannot be written, each is a plain cut.
/// </summary>
public enum HttpFault
{
    /// <summary>Answer normally.</summary>
    None,

    /// <summary>Close the connection without sending a byte.</summary>
    EmptyResponse,

    /// <summary>Reset the connection (TCP RST) without sending a byte.</summary>
    ConnectionResetByPeer,

    /// <summary>Send a 200 status line and a chunked body whose first chunk is malformed, then close.</summary>
    MalformedResponseChunk,

    /// <summary>Send bytes that are not HTTP, then close.</summary>
    RandomDataThenClose,
}

/// <summary>
/// An HTTP route of a mock: method (<c>*</c> for any) and path (<c>*</c> for any; <c>{name}</c> segments as in
/// <see cref="PathPattern"/>, handed to the handler as <see cref="HttpRequestContext.Segments"/>), narrowed further by
/// <see cref="When"/> (query, header and body matchers of a scenario stub).
/// </summary>
public sealed record HttpRoute(string Method, string Path, Func<HttpRequestContext, Task<HttpReply>> Handle)
{
    private readonly PathPattern? _pattern = Path == "*" ? null : new PathPattern(Path);

    public Func<HttpRequestContext, bool>? When { get; init; }

    /// <summary>A name for the transcript: which stub or route answered.</summary>
    public string? Name { get; init; }

    /// <summary>The path's segment values when the request matches this route, else null.</summary>
    public IReadOnlyDictionary<string, string>? Match(HttpRequestContext request)
    {
        if (Method != "*" && !string.Equals(Method, request.Http.Request.Method, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var segments = _pattern is null ? HttpRequestContext.NoSegments : _pattern.Match(request.Http.Request.Path.Value ?? "/");
        return segments is not null && (When is null || When(request)) ? segments : null;
    }

    public bool Matches(HttpRequestContext request) => Match(request) is not null;
}

/// <summary>What an HTTP handler sees of a request: the request, its body, and the values of its route's <c>{name}</c> segments.</summary>
public sealed record HttpRequestContext(HttpContext Http, string? Body)
{
    internal static readonly IReadOnlyDictionary<string, string> NoSegments = new Dictionary<string, string>(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Segments { get; init; } = NoSegments;
}
