using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using Conformance.Mocks.Hosting;

namespace Conformance.Mocks.Tests.Fuzz;

/// <summary>Where one fuzz connection goes and how it shakes hands.</summary>
internal sealed record FuzzEndpoint(Uri Url, Action<ClientWebSocketOptions> Configure)
{
    /// <summary>Changes a message before it is sent (e.g. keeps an address a mock would send UDP to on loopback).</summary>
    public Func<FuzzFrame, FuzzFrame> Filter { get; init; } = frame => frame;

    /// <summary>Sees the first text message the mock sends on the connection (e.g. to learn a session id).</summary>
    public Action<string>? FirstText { get; init; }
}

/// <summary>
/// One protocol mock as the fuzzer sees it: how to start it, where its clients connect and with what credentials (now
/// and then wrong on purpose), the real frames its clients send, and how to show it still serves after the fuzzing.
/// </summary>
internal abstract class FuzzTarget
{
    public abstract string Protocol { get; }

    /// <summary>Frames of the protocol (from its scenarios and tests), sent as they are and as seeds of mutations.</summary>
    public abstract IReadOnlyList<string> RealFrames { get; }

    /// <summary>Field names and words of the protocol, so random JSON reaches its handlers.</summary>
    public abstract IReadOnlyList<string> Keys { get; }

    public abstract Task<ProtocolMock> StartAsync(MockHostOptions host);

    /// <summary>
    /// The endpoint of a new connection, drawn from <paramref name="random"/>; <paramref name="learned"/> holds what
    /// earlier connections' <see cref="FuzzEndpoint.FirstText"/> kept.
    /// </summary>
    public abstract FuzzEndpoint Endpoint(ProtocolMock mock, Random random, ConcurrentBag<string> learned);

    /// <summary>A conforming client gets the protocol's opening on a fresh connection, and its HTTP routes answer.</summary>
    public abstract Task ProveServingAsync(ProtocolMock mock);

    public override string ToString() => Protocol;

    /// <summary>The control API answers on every mock (<c>GET /_conformance/connections</c>).</summary>
    protected static async Task ProveControlApiAnswersAsync(ProtocolMock mock)
    {
        using var http = new HttpClient { BaseAddress = mock.HttpUrl, Timeout = TestClient.DefaultTimeout };
        using var response = await http.GetAsync(new Uri("/_conformance/connections", UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the control API answers after the fuzzing");
    }
}
