using System.Collections.Concurrent;
using System.Net;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Protocols.Discodo;

namespace Conformance.Mocks.Tests.Fuzz;

/// <summary>
/// A Discodo node (seed 003): the password (wrong now and then: FORBIDDEN, and the socket stays open), IDENTIFY, voice
/// events and guild operations on the ids the real frames share, so mutated frames reach the voice clients they create.
/// </summary>
internal sealed class DiscodoFuzzTarget : FuzzTarget
{
    public override string Protocol => "discodo";

    public override IReadOnlyList<string> RealFrames { get; } =
    [
        """{"op":"HEARTBEAT","d":1234567}""",
        """{"op":"HEARTBEAT","d":null}""",
        """{"op":"IDENTIFY","d":{"user_id":"1095998329104949370","shard_id":null}}""",
        """{"op":"IDENTIFY","d":{"user_id":1095998329104949370,"shard_id":0}}""",
        """{"op":"DISCORD_EVENT","d":{"t":"VOICE_STATE_UPDATE","d":{"guild_id":"1152921504606846977","channel_id":"1152921504606846979","user_id":"1095998329104949370","session_id":"voice-session"}}}""",
        """{"op":"DISCORD_EVENT","d":{"t":"VOICE_SERVER_UPDATE","d":{"guild_id":"1152921504606846977","token":"voice-token","endpoint":"voice.conformance.test:443"}}}""",
        """{"op":"getState","d":{"guild_id":"1152921504606846977"}}""",
        """{"op":"getQueue","d":{"guild_id":"1152921504606846977"}}""",
        """{"op":"requestSubtitle","d":{"guild_id":"1152921504606846977","lang":"en"}}""",
        """{"op":"VC_DESTROY","d":{"guild_id":"1152921504606846977"}}""",
        """{"op":"GET_STATUS","d":null}""",
        """{"op":"SOMETHING_NEW","d":{}}""",
    ];

    public override IReadOnlyList<string> Keys { get; } =
    [
        "op", "d", "t", "user_id", "shard_id", "guild_id", "channel_id", "session_id", "token", "endpoint", "HEARTBEAT", "IDENTIFY",
        "DISCORD_EVENT", "VOICE_STATE_UPDATE", "VOICE_SERVER_UPDATE", "getState", "getQueue", "VC_DESTROY", "1095998329104949370",
        "1152921504606846977",
    ];

    public override async Task<ProtocolMock> StartAsync(MockHostOptions host) => await DiscodoMock.StartAsync(host: host);

    public override FuzzEndpoint Endpoint(ProtocolMock mock, Random random, ConcurrentBag<string> learned)
    {
        var discodo = (DiscodoMock)mock;
        var password = random.Next(30) == 0 ? "not-the-password" : discodo.Options.Password;
        return new FuzzEndpoint(new Uri(discodo.Url), o => o.SetRequestHeader("Authorization", password));
    }

    public override async Task ProveServingAsync(ProtocolMock mock)
    {
        var discodo = (DiscodoMock)mock;
        await using var bot = await DiscodoBot.IdentifyAsync(discodo);
        using var http = new DiscodoHttp(discodo);
        var status = await http.SendAsync("GET /status", new Dictionary<string, string?> { ["Authorization"] = discodo.Options.Password });
        Assert.That(status.Http, Is.EqualTo(HttpStatusCode.OK), () => status.Raw);
        await ProveControlApiAnswersAsync(mock);
    }
}
