using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using Conformance.Mocks.Channels;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Protocols.Podcast;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Tests;

/// <summary>
/// The <c>client_id</c> and <c>client_secret</c> headers a request carries (discord-podcasts/documentation reference.md
/// §Authorization); a null value leaves that header out.
/// </summary>
internal sealed record PodcastCredentials(string? ClientId, string? ClientSecret)
{
    /// <summary>The credentials the mock expects.</summary>
    public static PodcastCredentials Of(PodcastMock mock) => new(mock.Options.ClientId, mock.Options.ClientSecret);

    public void ApplyTo(Action<string, string> set)
    {
        if (ClientId is not null)
        {
            set("client_id", ClientId);
        }

        if (ClientSecret is not null)
        {
            set("client_secret", ClientSecret);
        }
    }
}

/// <summary>One HTTP answer of the podcast mock as a client sees it: status, Content-Type and the raw body.</summary>
internal sealed record PodcastReply(HttpStatusCode Status, string? ContentType, string Raw)
{
    public JsonNode? Json => JsonNode.Parse(Raw);

    /// <summary>The status and its plain-text body, as backend-beta answers refusals.</summary>
    public void AssertText(HttpStatusCode status, string body)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Status, Is.EqualTo(status), () => Raw);
            Assert.That(ContentType, Is.EqualTo("text/plain; charset=utf-8"));
            Assert.That(Raw, Is.EqualTo(body));
        }
    }

    /// <summary>200 with a JSON body.</summary>
    public JsonNode AssertJson()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Status, Is.EqualTo(HttpStatusCode.OK), () => Raw);
            Assert.That(ContentType, Is.EqualTo("application/json"));
        }

        return Json!;
    }
}

/// <summary>Plain HTTP to the podcast mock: REST calls, and WebSocket upgrades whose refusal is read whole.</summary>
internal sealed class PodcastHttp(PodcastMock mock) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = mock.HttpUrl, Timeout = TestClient.DefaultTimeout };

    /// <summary>GET with the mock's credentials.</summary>
    public Task<PodcastReply> GetAsync(string pathAndQuery) => GetAsync(pathAndQuery, PodcastCredentials.Of(mock));

    public Task<PodcastReply> GetAsync(string pathAndQuery, PodcastCredentials credentials) =>
        SendAsync(NewRequest(pathAndQuery, credentials));

    /// <summary>GET /list with the mock's credentials: the ids of the podcasts it lists, in order.</summary>
    public async Task<long[]> ListedIdsAsync()
    {
        var list = (await GetAsync("/list")).AssertJson();
        return [.. list["podcasts"]!.AsArray().Select(p => p!["id"]!.GetValue<long>())];
    }

    /// <summary>A WebSocket upgrade request (RFC 6455 §4.1) that the mock is expected to refuse.</summary>
    public async Task<PodcastReply> UpgradeAsync(string pathAndQuery, PodcastCredentials credentials)
    {
        var request = NewRequest(pathAndQuery, credentials);
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new ProductHeaderValue("websocket"));
        request.Headers.TryAddWithoutValidation("Sec-WebSocket-Version", "13");
        request.Headers.TryAddWithoutValidation("Sec-WebSocket-Key", Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
        var reply = await SendAsync(request);
        Assert.That(reply.Status, Is.Not.EqualTo(HttpStatusCode.SwitchingProtocols), "this helper is for refused upgrades");
        return reply;
    }

    public void Dispose() => _http.Dispose();

    private static HttpRequestMessage NewRequest(string pathAndQuery, PodcastCredentials credentials)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(pathAndQuery, UriKind.Relative));
        credentials.ApplyTo((name, value) => request.Headers.TryAddWithoutValidation(name, value));
        return request;
    }

    private async Task<PodcastReply> SendAsync(HttpRequestMessage request)
    {
        using (request)
        using (var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            var raw = await response.Content.ReadAsStringAsync();
            return new PodcastReply(response.StatusCode, response.Content.Headers.ContentType?.ToString(), raw);
        }
    }
}

/// <summary>
/// A client under test of the podcast mock, host (<c>/ws</c>) or listener (<c>/listen?id=</c>): a real ClientWebSocket
/// with the credentials and a UdpClient on 127.0.0.1 whose port it announces in Connected.
/// </summary>
internal sealed class PodcastClient : IAsyncDisposable
{
    private readonly PodcastMock _mock;

    private PodcastClient(PodcastMock mock, TestClient socket)
    {
        _mock = mock;
        Socket = socket;
    }

    public TestClient Socket { get; }

    public UdpClient Udp { get; } = new(new IPEndPoint(IPAddress.Loopback, 0));

    /// <summary>Where the mock sees this client's datagrams come from.</summary>
    public IPEndPoint UdpEndPoint => (IPEndPoint)Udp.Client.LocalEndPoint!;

    /// <summary>The data of the Hello this client read; null before <see cref="ReadHelloAsync"/>.</summary>
    public JsonObject? Hello { get; private set; }

    public long PodcastId => Hello!["podcast_id"]!.GetValue<long>();

    public int AudioPort => Hello!["port"]!.GetValue<int>();

    /// <summary>Hello's secret as bytes, or null when it has none.</summary>
    public byte[]? Secret => Hello!["secret"] is JsonArray values ? [.. values.Select(v => (byte)v!.GetValue<int>())] : null;

    /// <summary>The mock's side of this client's WebSocket: the newest connection once Hello has been read.</summary>
    public MockConnection? Connection { get; private set; }

    /// <summary>Opens a host's socket on <c>/ws</c>.</summary>
    public static Task<PodcastClient> HostAsync(PodcastMock mock) => OpenAsync(mock, "/ws");

    /// <summary>Opens a listener's socket on <c>/listen?id=</c> (the simulated podcast unless told).</summary>
    public static Task<PodcastClient> ListenAsync(PodcastMock mock, long? podcast = null) =>
        OpenAsync(mock, "/listen?id=" + (podcast ?? mock.Options.PodcastId).ToString(CultureInfo.InvariantCulture));

    private static async Task<PodcastClient> OpenAsync(PodcastMock mock, string pathAndQuery)
    {
        var socket = new ClientWebSocket();
        try
        {
            PodcastCredentials.Of(mock).ApplyTo(socket.Options.SetRequestHeader);
            using var timeout = Timeouts.Wait();
            await socket.ConnectAsync(new Uri(mock.Host.WebSocketUrl(pathAndQuery)), timeout.Token);
            return new PodcastClient(mock, NewTestClient(socket));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A client frame in the mock's envelope: <c>{t, data}</c>, <c>{message_type, data}</c> or <c>{type, content}</c>.</summary>
    private static string ClientFrame(PodcastEnvelope envelope, int code, JsonObject data) => (envelope switch
    {
        PodcastEnvelope.Rust2022 => new JsonObject { ["message_type"] = code, ["data"] = data },
        PodcastEnvelope.Kotlin2022 => new JsonObject { ["type"] = code, ["content"] = data },
        _ => new JsonObject { ["t"] = code, ["data"] = data },
    }).ToJsonString();

    /// <summary>Reads the first frame, which must be Hello, and keeps its data.</summary>
    public async Task<string> ReadHelloAsync()
    {
        var text = await Socket.ReceiveTextAsync();
        var hello = PodcastCodec.Parse(text);
        Assert.That(hello?.Code, Is.EqualTo(PodcastCodec.Hello), () => $"expected Hello first, got {text}");
        Hello = hello!.Data;
        Connection = _mock.LatestConnection;
        return text;
    }

    /// <summary>Sends Connected with the UDP client's address, in the mock's envelope.</summary>
    public Task SendConnectedAsync() => Socket.SendTextAsync(ClientFrame(_mock.Options.Framing, PodcastCodec.Connected,
        new JsonObject { ["ip"] = UdpEndPoint.Address.ToString(), ["port"] = UdpEndPoint.Port }));

    /// <summary>Reads <paramref name="count"/> frames, as text, in order.</summary>
    public async Task<string[]> ReadFramesAsync(int count)
    {
        var frames = new string[count];
        for (var i = 0; i < count; i++)
        {
            frames[i] = await Socket.ReceiveTextAsync();
        }

        return frames;
    }

    /// <summary>Hello, then Connected and the ClientJoin frames that confirm it (the host's own and one per simulated listener).</summary>
    public async Task<string[]> JoinAsync()
    {
        await ReadHelloAsync();
        await SendConnectedAsync();
        var joins = Connection is { Endpoint: PodcastMock.HostEndpointName } ? 1 + _mock.Options.SimulatedListeners : 1;
        return await ReadFramesAsync(joins);
    }

    /// <summary>Sends <paramref name="packet"/> from the client's UDP socket to Hello's port.</summary>
    public Task SendAudioAsync(byte[] packet) => SendAudioAsync(Udp, packet);

    /// <summary>Sends <paramref name="packet"/> from <paramref name="udp"/> to Hello's port.</summary>
    public async Task SendAudioAsync(UdpClient udp, byte[] packet)
    {
        using var timeout = Timeouts.Wait();
        await udp.SendAsync(packet, new IPEndPoint(IPAddress.Loopback, AudioPort), timeout.Token);
    }

    /// <summary>The next datagram on the client's UDP socket, or <see cref="TimeoutException"/>.</summary>
    public async Task<byte[]> ReceiveAudioAsync()
    {
        using var timeout = Timeouts.Wait();
        try
        {
            return (await Udp.ReceiveAsync(timeout.Token)).Buffer;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"No datagram arrived within {TestClient.DefaultTimeout}.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Udp.Dispose();
        await Socket.DisposeAsync();
    }

    [UnsafeAccessor(UnsafeAccessorKind.Constructor)]
    private static extern TestClient NewTestClient(ClientWebSocket socket);
}

/// <summary>
/// A started mock with one client under test that has read Hello and, unless told otherwise, sent Connected and read the
/// ClientJoin frames that confirm it: what most flow tests start from.
/// <c>await using var rig = await PodcastRig.HostAsync(); var (mock, client) = rig;</c>
/// </summary>
internal sealed record PodcastRig(PodcastMock Mock, PodcastClient Client) : IAsyncDisposable
{
    /// <summary>The frames that confirmed the client (its own ClientJoin first); empty when it did not join.</summary>
    public string[] Joins { get; init; } = [];

    public static Task<PodcastRig> HostAsync(Action<PodcastOptions>? configure = null, bool join = true) =>
        StartAsync(configure, PodcastClient.HostAsync, join);

    public static Task<PodcastRig> ListenerAsync(Action<PodcastOptions>? configure = null, bool join = true) =>
        StartAsync(configure, mock => PodcastClient.ListenAsync(mock), join);

    private static async Task<PodcastRig> StartAsync(Action<PodcastOptions>? configure, Func<PodcastMock, Task<PodcastClient>> open, bool join)
    {
        var mock = await PodcastMock.StartAsync(configure);
        try
        {
            var client = await open(mock);
            if (!join)
            {
                await client.ReadHelloAsync();
                return new PodcastRig(mock, client);
            }

            return new PodcastRig(mock, client) { Joins = await client.JoinAsync() };
        }
        catch
        {
            await mock.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Mock.DisposeAsync();
    }
}

/// <summary>Frames, packets and transcript waits of the podcast tests.</summary>
internal static class Podcasts
{
    /// <summary>The decisions after which the relay is done with a datagram: dropped, or passed on.</summary>
    private static readonly DatagramDecisionKind[] Final =
    [
        DatagramDecisionKind.UnknownSource, DatagramDecisionKind.TooEarly, DatagramDecisionKind.NotRelayed,
        DatagramDecisionKind.AfterEnd, DatagramDecisionKind.Relayed,
    ];

    /// <summary>A frame in the current envelope, as the mock writes it: <c>{"t":code,"data":data}</c>.</summary>
    public static string Frame(int code, string data) => $$"""{"t":{{code}},"data":{{data}}}""";

    public static string ClientJoin(long client) => Frame(PodcastCodec.ClientJoin, $$"""{"client_id":{{client}}}""");

    public static string Disconnected(long client) => Frame(PodcastCodec.Disconnected, $$"""{"client_id":{{client}}}""");

    public static string End => Frame(PodcastCodec.End, "{}");

    /// <summary>The Hello the mock should send for <paramref name="podcast"/>, port and secret as given.</summary>
    public static string Hello(long podcast, int port, byte[]? secret) =>
        Frame(PodcastCodec.Hello, $$"""{"podcast_id":{{podcast}},"ip":"127.0.0.1","port":{{port}}""" +
            (secret is null ? "}" : $$""","secret":[{{string.Join(",", secret)}}]}"""));

    /// <summary>The secret the mock gave <paramref name="podcast"/> (null without one).</summary>
    public static byte[]? SecretOf(PodcastMock mock, long podcast) => mock.Find(podcast)!.Secret;

    /// <summary>The UDP addresses of the simulated listeners of <paramref name="podcast"/>.</summary>
    public static IPEndPoint[] SimulatedListeners(PodcastMock mock, long podcast) =>
        [.. mock.Find(podcast)!.Audience.Where(p => p.Simulated).Select(p => p.Audio!)];

    /// <summary><paramref name="text"/> sealed with libsodium's secretbox under <paramref name="secret"/>, a fresh nonce in front.</summary>
    public static byte[] Sealed(string text, byte[] secret) => PodcastAudio.Seal(Encoding.ASCII.GetBytes(text), Nonce(), secret);

    public static byte[] Nonce()
    {
        var nonce = new byte[PodcastCodec.NonceBytes];
        Random.Shared.NextBytes(nonce);
        return nonce;
    }

    /// <summary>A packet of <paramref name="length"/> bytes that is not sealed audio.</summary>
    public static byte[] Plain(int length) => [.. Enumerable.Range(0, length).Select(i => (byte)('a' + (i % 26)))];

    /// <summary>Waits for the transcript's <paramref name="count"/>-th entry of type <typeparamref name="T"/> that matches.</summary>
    public static async Task<T> WaitForAsync<T>(PodcastMock mock, Func<T, bool> match, int count = 1)
        where T : TranscriptEntry
    {
        using var timeout = Timeouts.Wait();
        var from = 0;
        T? found = null;
        for (var i = 0; i < count; i++)
        {
            found = await mock.Transcript.WaitForAsync(from, match, timeout.Token)
                ?? throw new TimeoutException($"The transcript had no {count} matching {typeof(T).Name} entries within {TestClient.DefaultTimeout}.");
            from = found.Index + 1;
        }

        return found!;
    }

    /// <summary>Waits until <paramref name="condition"/> holds, for state the transcript does not record.</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        using var timeout = Timeouts.Wait();
        while (!condition())
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(5), timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Not {what} within {TestClient.DefaultTimeout}.");
            }
        }
    }

    /// <summary>The UDP peer channel of <paramref name="remote"/> on the podcast's endpoint, once the mock has opened it.</summary>
    public static async Task<UdpPeerOpened> PeerAsync(PodcastMock mock, long podcast, IPEndPoint remote) =>
        await WaitForAsync<UdpPeerOpened>(mock, p => p.Endpoint == Podcast.EndpointName(podcast) && p.Remote == remote.ToString());

    /// <summary>
    /// Sends <paramref name="packet"/> from <paramref name="udp"/> (the client's own socket unless told) and returns the
    /// mock's decisions on it once the relay is done with it.
    /// </summary>
    public static async Task<DatagramDecisionKind[]> SendAndDecideAsync(PodcastMock mock, PodcastClient client, byte[] packet, UdpClient? udp = null)
    {
        udp ??= client.Udp;
        await client.SendAudioAsync(udp, packet);
        var peer = await PeerAsync(mock, client.PodcastId, (IPEndPoint)udp.Client.LocalEndPoint!);
        var datagram = await WaitForAsync<DatagramRecorded>(mock,
            d => d.Channel == peer.Channel && d.Direction == Direction.ClientToServer && d.Payload.AsSpan().SequenceEqual(packet));
        await EventuallyAsync(() => datagram.Decisions.Count > 0 && Final.Contains(datagram.Decisions[^1].Kind), "decided");
        return [.. datagram.Decisions.Select(d => d.Kind)];
    }

    /// <summary>The datagrams carrying <paramref name="payload"/> the mock sent, <paramref name="count"/> of them, with where each went.</summary>
    public static async Task<IPEndPoint[]> RelayedAsync(PodcastMock mock, byte[] payload, int count)
    {
        var last = await WaitForAsync<DatagramRecorded>(mock, d => d.Direction == Direction.ServerToClient && d.Payload.AsSpan().SequenceEqual(payload), count);
        return [.. mock.Transcript.Snapshot().OfType<DatagramRecorded>()
            .Where(d => d.Index <= last.Index && d.Direction == Direction.ServerToClient && d.Payload.AsSpan().SequenceEqual(payload))
            .Select(d => ((UdpPeer)mock.Host.FindChannel(d.Channel)!).Remote)];
    }
}
