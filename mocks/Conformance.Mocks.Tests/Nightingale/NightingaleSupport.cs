using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Conformance.Mocks.Protocols.Nightingale;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Tests;

/// <summary>
/// One HTTP answer of the Nightingale mock as a client sees it on the wire: status, the Content-Type header (null when
/// the response has none), the other headers, and the raw body.
/// </summary>
internal sealed record NightingaleReply(HttpStatusCode Status, string? ContentType, IReadOnlyDictionary<string, string> Headers, string Raw)
{
    /// <summary>The Basic challenge of AlvaroMS25/nightingale src/api/layers/auth.rs.</summary>
    public const string Challenge = "Basic realm=\"Nightingale server\", charset=\"UTF-8\"";

    /// <summary>The body parsed as JSON; null when empty or not JSON.</summary>
    public JsonNode? Json
    {
        get
        {
            try
            {
                return Raw.Length == 0 ? null : JsonNode.Parse(Raw);
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    /// <summary>
    /// The server's IntoResponseError (src/api/error.rs): the status, <c>Content-Type: application/json</c> and the body
    /// <c>{ "message": "..." }</c> with its spaces, byte for byte.
    /// </summary>
    public void AssertError(HttpStatusCode status, string message)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Status, Is.EqualTo(status), () => Raw);
            Assert.That(ContentType, Is.EqualTo("application/json"));
            Assert.That(Raw, Is.EqualTo($$"""{ "message": "{{message}}" }"""));
        }
    }

    /// <summary>A response with the status alone: no body and no Content-Type (axum's <c>Body::empty()</c>, <c>()</c>).</summary>
    public void AssertEmpty(HttpStatusCode status)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Status, Is.EqualTo(status), () => Raw);
            Assert.That(Raw, Is.Empty);
            Assert.That(ContentType, Is.Null);
        }
    }

    /// <summary>The auth layer's answer: 401, no body, the Basic challenge (src/api/layers/auth.rs).</summary>
    public void AssertUnauthorized()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Status, Is.EqualTo(HttpStatusCode.Unauthorized), () => Raw);
            Assert.That(Raw, Is.Empty);
            Assert.That(ContentType, Is.Null);
            Assert.That(Headers.GetValueOrDefault("WWW-Authenticate"), Is.EqualTo(Challenge));
        }
    }

    /// <summary>An axum rejection: the status and its text/plain body.</summary>
    public void AssertText(HttpStatusCode status, string body)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Status, Is.EqualTo(status), () => Raw);
            Assert.That(ContentType, Is.EqualTo("text/plain; charset=utf-8"));
            Assert.That(Raw, Is.EqualTo(body));
        }
    }
}

/// <summary>
/// Plain HTTP to the Nightingale mock: REST calls under <c>/api/v1</c> and WebSocket upgrade requests whose refusal
/// (status, headers, body) is read whole. Each request carries exactly the Authorization it is given.
/// </summary>
internal sealed class NightingaleHttp(NightingaleMock mock) : IDisposable
{
    /// <summary>A guild id above 2^53: a double cannot hold it, so only exact digits pass.</summary>
    public const string Guild = "1152921504606846977";

    /// <summary>A voice channel id above 2^53.</summary>
    public const string Channel = "1152921504606846979";

    public const string Link = "https://www.youtube.com/watch?v=dQw4w9WgXcQ";

    private readonly HttpClient _http = new() { BaseAddress = mock.HttpUrl, Timeout = TestClient.DefaultTimeout };

    /// <summary>The path of a player route, e.g. <c>/api/v1/&lt;session&gt;/players/&lt;guild&gt;/info</c>.</summary>
    public static string Player(string session, string guild, string route) => $"/api/v1/{session}/players/{guild}/{route}";

    /// <summary>The connection info body of PATCH …/update (src/api/model/connection.rs DeserializableConnectionInfo).</summary>
    public static HttpContent ConnectionInfo(string channel = Channel, string voiceSession = "voice-session-1", string endpoint = "voice.example.test") =>
        JsonBody($$"""{"channel_id":"{{channel}}","endpoint":"{{endpoint}}","session_id":"{{voiceSession}}","token":"voice-token"}""");

    /// <summary>A play body with a link source (src/api/model/play.rs PlayOptions).</summary>
    public static HttpContent PlayLink(string link = Link, bool forcePlay = false) =>
        JsonBody(NightingaleSocket.Fill("""{"force_play":<force>,"source":{"type":"link","data":{"link":"<link>"}}}""", ("force", forcePlay ? "true" : "false"), ("link", link)));

    public static HttpContent JsonBody(string json) => new StringContent(json, Encoding.UTF8, "application/json");

    /// <summary>Sends <paramref name="method"/> <paramref name="path"/> with the mock's password.</summary>
    public Task<NightingaleReply> SendAsync(string method, string path, HttpContent? content = null) =>
        SendAsync(method, path, mock.Options.Password, content);

    /// <summary>Sends with <paramref name="password"/> as the raw Authorization header, or none when null.</summary>
    public async Task<NightingaleReply> SendAsync(string method, string path, string? password, HttpContent? content)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative)) { Content = content };
        if (password is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", password);
        }

        return await ReadAsync(await _http.SendAsync(request));
    }

    /// <summary>
    /// A WebSocket upgrade request (RFC 6455 §4.1 headers) for <paramref name="pathAndQuery"/>, for the refusals: a
    /// ClientWebSocket reports the status of a refused upgrade but never its body.
    /// </summary>
    public async Task<NightingaleReply> UpgradeAsync(string pathAndQuery, string? password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(pathAndQuery, UriKind.Relative));
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new ProductHeaderValue("websocket"));
        request.Headers.TryAddWithoutValidation("Sec-WebSocket-Version", "13");
        request.Headers.TryAddWithoutValidation("Sec-WebSocket-Key", Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
        if (password is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", password);
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.That(response.StatusCode, Is.Not.EqualTo(HttpStatusCode.SwitchingProtocols), "this helper is for refused upgrades");
        return await ReadAsync(response);
    }

    /// <summary>PATCH …/update with connection info: the player of <paramref name="guild"/> connects.</summary>
    public Task<NightingaleReply> ConnectVoiceAsync(string session, string guild = Guild, string channel = Channel) =>
        SendAsync("PATCH", Player(session, guild, "update"), ConnectionInfo(channel));

    /// <summary>POST …/play with a link source.</summary>
    public Task<NightingaleReply> PlayAsync(string session, string guild = Guild, string link = Link, bool forcePlay = false) =>
        SendAsync("POST", Player(session, guild, "play"), PlayLink(link, forcePlay));

    public void Dispose() => _http.Dispose();

    private static async Task<NightingaleReply> ReadAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var raw = await response.Content.ReadAsStringAsync();
            var headers = response.Headers.Concat(response.Content.Headers)
                .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
            return new NightingaleReply(response.StatusCode, headers.GetValueOrDefault("Content-Type"), headers, raw);
        }
    }
}

/// <summary>
/// A client's sockets on the Nightingale mock (AlvaroMS25/nightingale src/api/websocket.rs): a real ClientWebSocket with
/// the password, a new session at <c>/ws?user_id=</c>, resumes at the dialect's resume endpoint.
/// </summary>
internal static partial class NightingaleSocket
{
    /// <summary>Opens a socket to <paramref name="pathAndQuery"/> with the mock's password.</summary>
    public static async Task<TestClient> ConnectAsync(NightingaleMock mock, string pathAndQuery)
    {
        var socket = new ClientWebSocket();
        try
        {
            socket.Options.SetRequestHeader("Authorization", mock.Options.Password);
            using var timeout = Timeouts.Wait();
            await socket.ConnectAsync(new Uri(mock.Host.WebSocketUrl(pathAndQuery)), timeout.Token);
            return NewTestClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The query of a new session: the user id, and the shard count the seed-era server required.</summary>
    public static string NewSessionPath(NightingaleMock mock) =>
        $"/ws?user_id={mock.Options.UserId}&shards={mock.Options.Shards.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Where a session is resumed: <c>/ws/resume/&lt;uuid&gt;</c>, or <c>/ws/resume?session=&lt;uuid&gt;</c> on the seed-era server.</summary>
    public static string ResumePath(NightingaleMock mock, string session) =>
        mock.Options.SpokenDialect == NightingaleDialect.Seed ? $"/ws/resume?session={session}" : $"/ws/resume/{session}";

    /// <summary>Opens a new session, reads its ready, and returns the socket and the session id.</summary>
    public static async Task<(TestClient Client, string Session)> OpenSessionAsync(NightingaleMock mock)
    {
        var client = await ConnectAsync(mock, NewSessionPath(mock));
        try
        {
            var ready = await client.ReceiveJsonAsync();
            Assert.That(ready["op"]?.GetValue<string>(), Is.EqualTo("ready"), () => ready.ToJsonString());
            return (client, ready["data"]!["session"]!.GetValue<string>());
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Resumes <paramref name="session"/> at the dialect's resume endpoint.</summary>
    public static Task<TestClient> ResumeAsync(NightingaleMock mock, string session) => ConnectAsync(mock, ResumePath(mock, session));

    /// <summary>
    /// Waits until the socket that has <paramref name="session"/> has ended, as the transcript records it; from then on
    /// a resume finds the session free (the mock detaches an ended socket when a resume comes, if its handler has not yet).
    /// </summary>
    public static async Task WaitDetachedAsync(NightingaleMock mock, string session)
    {
        int? connection;
        lock (mock.Gate)
        {
            connection = mock.Live(session)?.Connection?.Id;
        }

        if (connection is not { } id)
        {
            return;
        }

        using var timeout = Timeouts.Wait();
        _ = await mock.Transcript.WaitForAsync<ConnectionClosed>(0, c => c.Connection == id, timeout.Token)
            ?? throw new TimeoutException($"Session {session}'s socket was still open after {TestClient.DefaultTimeout}.");
    }

    /// <summary>Waits for the transcript's <paramref name="count"/>-th entry of type <typeparamref name="T"/> that matches.</summary>
    public static async Task<T> WaitForAsync<T>(NightingaleMock mock, Func<T, bool> match, int count = 1)
        where T : TranscriptEntry
    {
        using var timeout = Timeouts.Wait();
        var from = 0;
        T? found = null;
        for (var i = 0; i < count; i++)
        {
            found = await mock.Transcript.WaitForAsync(from, match, timeout.Token);
            if (found is null)
            {
                throw new TimeoutException($"The transcript had no {count} matching {typeof(T).Name} entries within {TestClient.DefaultTimeout}.");
            }

            from = found.Index + 1;
        }

        return found!;
    }

    /// <summary>The frames the mock sent so far on <paramref name="connection"/>, as text, in order.</summary>
    public static IReadOnlyList<string> SentFrames(NightingaleMock mock, int connection) =>
        [.. mock.Transcript.Snapshot().OfType<FrameRecorded>()
            .Where(f => f.Connection == connection && f.Direction == Direction.ServerToClient)
            .Select(f => f.Display)];

    /// <summary>
    /// Fills the <c>&lt;name&gt;</c> placeholders of a JSON template in one pass, so an expected frame reads as the
    /// server's JSON without brace escaping; a value is inserted as is (raw JSON, digits of an id).
    /// </summary>
    public static string Fill(string template, params (string Name, string Value)[] values)
    {
        var byName = values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        return Placeholder().Replace(template.Trim(), m => byName[m.Groups[1].Value]);
    }

    /// <summary>Asserts <paramref name="actual"/> is the JSON <paramref name="expected"/>, structurally.</summary>
    public static void AssertJson(JsonNode? actual, string expected) =>
        Assert.That(JsonNode.DeepEquals(actual, JsonNode.Parse(expected)), Is.True, () => $"expected {expected}, got {actual?.ToJsonString()}");

    [GeneratedRegex("<([a-z]+)>")]
    private static partial Regex Placeholder();

    [UnsafeAccessor(UnsafeAccessorKind.Constructor)]
    private static extern TestClient NewTestClient(ClientWebSocket socket);
}

/// <summary>
/// A mock with one session whose player for <see cref="NightingaleHttp.Guild"/> is connected: what most REST tests start
/// from. <c>await using var rig = await PlayerRig.StartAsync(); var (mock, http, client, session) = rig;</c>
/// </summary>
internal sealed record PlayerRig(NightingaleMock Mock, NightingaleHttp Http, TestClient Client, string Session) : IAsyncDisposable
{
    public static async Task<PlayerRig> StartAsync(Action<NightingaleOptions>? configure = null)
    {
        var mock = await NightingaleMock.StartAsync(configure);
        var http = new NightingaleHttp(mock);
        var (client, session) = await NightingaleSocket.OpenSessionAsync(mock);
        await http.ConnectVoiceAsync(session);
        return new PlayerRig(mock, http, client, session);
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        Http.Dispose();
        await Mock.DisposeAsync();
    }
}

