using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Json;
using Conformance.Mocks.Protocols.Podcast;

namespace Conformance.Mocks.Tests.Fuzz;

/// <summary>
/// discord-podcasts (seed 004): hosts at <c>/ws</c> (each creates a podcast with a UDP socket of its own) and listeners
/// of the simulated podcast at <c>/listen?id=</c>, with client_id and client_secret (wrong now and then on purpose).
/// </summary>
internal sealed class PodcastFuzzTarget : FuzzTarget
{
    public override string Protocol => "podcast";

    public override IReadOnlyList<string> RealFrames { get; } =
    [
        """{"t":2,"data":{"ip":"127.0.0.1","port":40000}}""",
        """{"message_type":1,"data":{"ip":"127.0.0.1","port":40001}}""",
        """{"type":2,"content":{"ip":"127.0.0.1","port":40002}}""",
        """{"t":1,"data":{"podcast_id":3735928559,"ip":"127.0.0.1","port":40003,"secret":[1,2,3]}}""",
        """{"t":4,"data":{"client_id":1}}""",
        """{"t":9,"data":{}}""",
    ];

    public override IReadOnlyList<string> Keys { get; } =
        ["t", "data", "ip", "port", "message_type", "type", "content", "event_type", "client_id", "podcast_id", "secret", "127.0.0.1"];

    public override async Task<ProtocolMock> StartAsync(MockHostOptions host) => await PodcastMock.StartAsync(host: host);

    public override FuzzEndpoint Endpoint(ProtocolMock mock, Random random, ConcurrentBag<string> learned)
    {
        var podcast = (PodcastMock)mock;
        var secret = random.Next(50) == 0 ? "not-the-secret" : podcast.Options.ClientSecret;
        var listen = random.Next(4) == 0;
        var path = listen ? "/listen?id=" + podcast.Options.PodcastId.ToString(CultureInfo.InvariantCulture) : "/ws";
        return new FuzzEndpoint(new Uri(podcast.Host.WebSocketUrl(path)), o =>
        {
            o.SetRequestHeader("client_id", podcast.Options.ClientId);
            o.SetRequestHeader("client_secret", secret);
        })
        {
            Filter = listen ? OnLoopback : frame => frame,
        };
    }

    public override async Task ProveServingAsync(ProtocolMock mock)
    {
        var podcast = (PodcastMock)mock;
        await using var host = await PodcastClient.HostAsync(podcast);
        await host.ReadHelloAsync();
        using var http = new PodcastHttp(podcast);
        Assert.That(await http.ListedIdsAsync(), Does.Contain(podcast.Options.PodcastId), "GET /list answers after the fuzzing");
        await ProveControlApiAnswersAsync(mock);
    }

    /// <summary>
    /// A listener's Connected makes the mock stream audio to the address it names; an address off this machine becomes
    /// 127.0.0.1 so the fuzzing never sends a datagram anywhere else.
    /// </summary>
    private static FuzzFrame OnLoopback(FuzzFrame frame)
    {
        if (frame.Type != WebSocketMessageType.Text || PodcastCodec.Parse(Utf8(frame.Payload)) is not { } parsed ||
            PodcastCodec.Address(parsed.Data) is not var (ip, _) || (IPAddress.TryParse(ip, out var address) && IPAddress.IsLoopback(address)))
        {
            return frame;
        }

        parsed.Data["ip"] = "127.0.0.1";
        var envelope = JsonText.TryParse(Utf8(frame.Payload))!.AsObject();
        var key = envelope.ContainsKey("data") ? "data" : "content";
        envelope[key] = parsed.Data.DeepClone();
        return frame with { Payload = Encoding.UTF8.GetBytes(JsonText.Write(envelope)) };
    }

    private static string? Utf8(byte[] payload)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(payload);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
