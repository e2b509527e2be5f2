using System.Collections.Concurrent;
using System.Net;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Json;
using Conformance.Mocks.Protocols.Nightingale;

namespace Conformance.Mocks.Tests.Fuzz;

/// <summary>
/// Nightingale (seed 002): new sessions at <c>/ws</c>, now and then a resume of a session an earlier connection was given
/// (refused while it is still attached), now and then a wrong password. The server reads and ignores client frames, so
/// its own frames are the seeds of the mutations.
/// </summary>
internal sealed class NightingaleFuzzTarget : FuzzTarget
{
    public override string Protocol => "nightingale";

    public override IReadOnlyList<string> RealFrames { get; } =
    [
        """{"op":"ready","data":{"session":"7f5a2b64-9d1e-4c3b-8a7f-2e6d5c4b3a21","resumed":false}}""",
        """{"op":"update_state","data":{"type":"connect_gateway","data":{"guild_id":1152921504606846977,"channel_id":1152921504606846979}}}""",
        """{"op":"event","data":{"guild_id":1152921504606846977,"event":{"type":"track_errored","data":{"error":"decoder failed","track":{"track":null,"artist":null,"album":null,"channel":null,"duration":null,"source_url":null,"title":null,"thumbnail":null}}}}}""",
        """{"op":"forward","data":{"shard":0,"payload":{"op":4,"d":null}}}""",
        """{"op":"something_new","data":{}}""",
    ];

    public override IReadOnlyList<string> Keys { get; } =
        ["op", "data", "session", "resumed", "players", "guild_id", "channel_id", "type", "event", "track", "ready", "update_state"];

    public override async Task<ProtocolMock> StartAsync(MockHostOptions host) => await NightingaleMock.StartAsync(host: host);

    public override FuzzEndpoint Endpoint(ProtocolMock mock, Random random, ConcurrentBag<string> learned)
    {
        var nightingale = (NightingaleMock)mock;
        var password = random.Next(50) == 0 ? "not-the-password" : nightingale.Options.Password;
        var sessions = learned.ToArray();
        var path = random.Next(8) == 0 && sessions.Length > 0
            ? NightingaleSocket.ResumePath(nightingale, sessions[random.Next(sessions.Length)])
            : NightingaleSocket.NewSessionPath(nightingale);
        return new FuzzEndpoint(new Uri(nightingale.Host.WebSocketUrl(path)), o => o.SetRequestHeader("Authorization", password))
        {
            FirstText = text =>
            {
                if (JsonText.TryParse(text) is { } ready && ready["data"]?["session"] is { } session)
                {
                    learned.Add(session.GetValue<string>());
                }
            },
        };
    }

    public override async Task ProveServingAsync(ProtocolMock mock)
    {
        var nightingale = (NightingaleMock)mock;
        var (client, _) = await NightingaleSocket.OpenSessionAsync(nightingale);
        await client.DisposeAsync();
        using var http = new NightingaleHttp(nightingale);
        var info = await http.SendAsync("GET", "/api/v1/info");
        Assert.That(info.Status, Is.EqualTo(HttpStatusCode.OK), () => info.Raw);
        await ProveControlApiAnswersAsync(mock);
    }
}
