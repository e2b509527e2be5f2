using System.Collections.Concurrent;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Protocols.PlugDj;

namespace Conformance.Mocks.Tests.Fuzz;

/// <summary>plug.dj's socket (seed 001): Origin checked (wrong now and then on purpose), auth, chat under the rate limit.</summary>
internal sealed class PlugDjFuzzTarget : FuzzTarget
{
    public override string Protocol => "plugdj";

    public override IReadOnlyList<string> RealFrames { get; } =
    [
        """{"a":"auth","p":"conformance-static-token","t":1437829673}""",
        """{"a":"chat","p":"hello tastycat","t":1437829674}""",
        """{"a":"chat","p":"two\nlines","t":1437829675}""",
        """{"a":"chat","p":"<b>&'\"","t":1437829676}""",
        """{"a":"somethingNew","p":{"x":1},"t":1}""",
        """[{"a":"ack","p":"1","s":"dashboard"}]""",
        "h",
    ];

    public override IReadOnlyList<string> Keys { get; } = ["a", "p", "t", "s", "auth", "chat", "ack", "conformance-static-token", "dashboard"];

    public override async Task<ProtocolMock> StartAsync(MockHostOptions host) => await PlugDjMock.StartAsync(host: host);

    public override FuzzEndpoint Endpoint(ProtocolMock mock, Random random, ConcurrentBag<string> learned)
    {
        var plug = (PlugDjMock)mock;
        var origin = random.Next(50) == 0 ? "https://evil.example" : plug.Options.Origin;
        return new FuzzEndpoint(new Uri(plug.Url), o => o.SetRequestHeader("Origin", origin));
    }

    public override async Task ProveServingAsync(ProtocolMock mock)
    {
        var plug = (PlugDjMock)mock;
        await using var client = await PlugDjSocket.AuthenticatedAsync(plug);
        using var http = new PlugDjHttp(plug);
        Assert.That(await http.InitAsync(), Is.Not.Empty, "/_/mobile/init gives a CSRF token after the fuzzing");
        await ProveControlApiAnswersAsync(mock);
    }
}
