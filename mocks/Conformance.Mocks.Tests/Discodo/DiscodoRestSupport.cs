using System.Net;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Conformance.Mocks.Protocols.Discodo;

namespace Conformance.Mocks.Tests;

/// <summary>
/// A bot on the node's WebSocket, as far as the REST routes need one: connected with the password, identified, with
/// voice clients created by forwarding Discord's VOICE_SERVER_UPDATE (kijk2869/discodo discodo/client/node.py).
/// </summary>
internal sealed class DiscodoBot : IAsyncDisposable
{
    private DiscodoBot(TestClient client, string userId, string? shardId)
    {
        Client = client;
        UserId = userId;
        ShardId = shardId;
    }

    public TestClient Client { get; }

    public string UserId { get; }

    /// <summary>The shard id the bot identified with; null for an unsharded bot.</summary>
    public string? ShardId { get; }

    /// <summary>Connects with the node's password, reads HELLO, sends IDENTIFY and reads IDENTIFIED.</summary>
    public static async Task<DiscodoBot> IdentifyAsync(DiscodoMock mock, int? shardId = null)
    {
        var socket = new ClientWebSocket();
        TestClient client;
        try
        {
            socket.Options.SetRequestHeader("Authorization", mock.Options.Password);
            using var timeout = Timeouts.Wait();
            await socket.ConnectAsync(new Uri(mock.Url), timeout.Token);
            client = NewTestClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        try
        {
            Assert.That((await client.ReceiveJsonAsync())["op"]!.GetValue<string>(), Is.EqualTo(DiscodoCodec.Ops.Hello));
            var identify = new JsonObject
            {
                ["op"] = DiscodoCodec.Ops.Identify,
                ["d"] = new JsonObject { ["user_id"] = mock.Options.UserId, ["shard_id"] = shardId },
            };
            await client.SendTextAsync(identify.ToJsonString());
            Assert.That((await client.ReceiveJsonAsync())["op"]!.GetValue<string>(), Is.EqualTo(DiscodoCodec.Ops.Identified));
            return new DiscodoBot(client, mock.Options.UserId, shardId?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Forwards VOICE_SERVER_UPDATE for <paramref name="guildId"/> and returns the id VC_CREATED gives the voice client.</summary>
    public async Task<string> CreateVoiceClientAsync(string guildId)
    {
        var forward = new JsonObject
        {
            ["op"] = DiscodoCodec.Ops.DiscordEvent,
            ["d"] = new JsonObject
            {
                ["t"] = "VOICE_SERVER_UPDATE",
                ["d"] = new JsonObject { ["guild_id"] = guildId, ["token"] = "voice-token", ["endpoint"] = "voice.conformance.test:443" },
            },
        };
        await Client.SendTextAsync(forward.ToJsonString());
        var created = await Client.ReceiveJsonAsync();
        Assert.That(created["op"]!.GetValue<string>(), Is.EqualTo(DiscodoCodec.Ops.VcCreated), () => created.ToJsonString());
        return created["d"]!["id"]!.GetValue<string>();
    }

    public ValueTask DisposeAsync() => Client.DisposeAsync();

    [UnsafeAccessor(UnsafeAccessorKind.Constructor)]
    private static extern TestClient NewTestClient(ClientWebSocket socket);
}

/// <summary>An HTTP client for the node's REST routes that sends exactly the headers it is given.</summary>
internal sealed class DiscodoHttp(DiscodoMock mock) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = mock.HttpUrl, Timeout = TestClient.DefaultTimeout };

    /// <summary>The headers restful.py's need_voiceclient reads, right for <paramref name="bot"/>'s voice client in <paramref name="guildId"/>.</summary>
    public static Dictionary<string, string?> VoiceClientHeaders(DiscodoMock mock, DiscodoBot bot, string guildId, string voiceClientId) => new(StringComparer.Ordinal)
    {
        ["Authorization"] = mock.Options.Password,
        ["User-ID"] = bot.UserId,
        ["Shard-ID"] = bot.ShardId,
        ["Guild-ID"] = guildId,
        ["VoiceClient-ID"] = voiceClientId,
    };

    /// <summary>Sends <paramref name="route"/> ("GET /queue") with the headers whose value is not null.</summary>
    public async Task<DiscodoReply> SendAsync(string route, IReadOnlyDictionary<string, string?>? headers = null)
    {
        var (method, path) = (route.Split(' ')[0], route.Split(' ')[1]);
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        foreach (var (name, value) in headers ?? new Dictionary<string, string?>())
        {
            if (value is not null)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (method == "POST")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(request);
        var raw = await response.Content.ReadAsStringAsync();
        JsonNode? body;
        try
        {
            body = raw.Length == 0 ? null : JsonNode.Parse(raw);
        }
        catch (JsonException)
        {
            body = null;
        }

        return new DiscodoReply(response.StatusCode, body, raw);
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>One REST answer: HTTP status, the parsed body (null when empty or not JSON) and the raw body.</summary>
internal sealed record DiscodoReply(HttpStatusCode Http, JsonNode? Body, string Raw)
{
    /// <summary>
    /// Asserts Sanic's JSON error body (FALLBACK_ERROR_FORMAT "json", discodo/server/server.py) for an abort() in
    /// discodo/server/restful.py: <c>{"description": title, "status": code, "message": text}</c>.
    /// </summary>
    public void AssertSanicError(HttpStatusCode status, string message)
    {
        var description = status == HttpStatusCode.Forbidden ? "Forbidden" : "Not Found";
        var expected = new JsonObject { ["description"] = description, ["status"] = (int)status, ["message"] = message };
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Http, Is.EqualTo(status), () => Raw);
            Assert.That(JsonNode.DeepEquals(Body, expected), Is.True, () => $"expected {expected.ToJsonString()}, got {Raw}");
        }
    }
}
