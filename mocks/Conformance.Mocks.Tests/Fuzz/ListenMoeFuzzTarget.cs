using System.Collections.Concurrent;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Protocols.ListenMoe;

namespace Conformance.Mocks.Tests.Fuzz;

/// <summary>LISTEN.moe gateway v2 (seed 000): both gateways, with songs changing all the while so broadcasts race the fuzzing.</summary>
internal sealed class ListenMoeFuzzTarget : FuzzTarget
{
    public override string Protocol => "listenmoe";

    public override IReadOnlyList<string> RealFrames { get; } =
    [
        """{"op":9}""",
        """{"op":2}""",
        """{"op":9,"d":null}""",
        """{"op":0,"d":{"message":"Welcome to LISTEN.moe! Enjoy your stay!","heartbeat":45000}}""",
        """{"op":1,"d":{"song":{"id":1,"title":"x","artists":[{"id":2,"name":"y","nameRomaji":null}],"duration":200},"requester":null,"event":null,"startTime":"2019-01-01T00:00:00.000Z","lastPlayed":[],"listeners":5},"t":"TRACK_UPDATE"}""",
        """{"op":10}""",
    ];

    public override IReadOnlyList<string> Keys { get; } =
        ["op", "d", "t", "song", "requester", "event", "message", "heartbeat", "id", "title", "TRACK_UPDATE", "TRACK_UPDATE_REQUEST"];

    public override async Task<ProtocolMock> StartAsync(MockHostOptions host) =>
        await ListenMoeMock.StartAsync(o => o.TrackChangeInterval = TimeSpan.FromMilliseconds(100), host);

    public override FuzzEndpoint Endpoint(ProtocolMock mock, Random random, ConcurrentBag<string> learned)
    {
        var listenMoe = (ListenMoeMock)mock;
        return new FuzzEndpoint(new Uri(random.Next(2) == 0 ? listenMoe.Url : listenMoe.KpopUrl), _ => { });
    }

    public override async Task ProveServingAsync(ProtocolMock mock)
    {
        await using var client = await TestClient.ConnectAsync(((ListenMoeMock)mock).Url);
        var welcome = await client.ReceiveJsonAsync();
        Assert.That(Op.Of(welcome), Is.EqualTo(ListenMoeCodec.Ops.Welcome), () => welcome.ToJsonString());
        await ProveControlApiAnswersAsync(mock);
    }
}
