using System.Net;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Conformance.Mocks.Protocols.PlugDj;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Tests;

/// <summary>
/// Opens a <see cref="TestClient"/> that carries an <c>Origin</c> header (seed 001 §Connecting, step 1), which
/// <see cref="TestClient.ConnectAsync"/> cannot set; the socket is handed to TestClient's own constructor so every
/// receive helper and its timeouts stay the same.
/// </summary>
internal static class PlugDjSocket
{
    /// <summary>The only origin the socket server accepts.</summary>
    public const string PlugOrigin = "https://plug.dj";

    public static async Task<TestClient> ConnectAsync(string url, string? origin = PlugOrigin)
    {
        var socket = new ClientWebSocket();
        try
        {
            if (origin is not null)
            {
                socket.Options.SetRequestHeader("Origin", origin);
            }

            using var timeout = Timeouts.Wait();
            await socket.ConnectAsync(new Uri(url), timeout.Token);
            return NewTestClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Connects with the right Origin, sends <c>auth</c> with <paramref name="token"/> and reads the ack.</summary>
    public static async Task<(TestClient Client, JsonObject Ack)> AuthenticateAsync(PlugDjMock mock, string? token = null)
    {
        var client = await ConnectAsync(mock.Url);
        try
        {
            await client.SendTextAsync(Auth(token ?? mock.Options.Token));
            var ack = await ReceiveSingleEventAsync(client);
            Assert.That(ack["a"]!.GetValue<string>(), Is.EqualTo("ack"), () => $"expected ack, got {ack.ToJsonString()}");
            return (client, ack);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Connects and authenticates with the static token; fails unless the ack says "1".</summary>
    public static async Task<TestClient> AuthenticatedAsync(PlugDjMock mock)
    {
        var (client, ack) = await AuthenticateAsync(mock);
        Assert.That(ack["p"]!.ToJsonString(), Is.EqualTo("\"1\""), "the static token is accepted");
        return client;
    }

    /// <summary>The client's auth message: <c>{"a":"auth","p":token,"t":seconds}</c>.</summary>
    public static string Auth(string token) => Message("auth", token);

    /// <summary>The client's chat message: <c>{"a":"chat","p":text,"t":seconds}</c>.</summary>
    public static string Chat(string text) => Message("chat", text);

    /// <summary>The next message, which must be an event array (not <c>h</c>).</summary>
    public static async Task<JsonArray> ReceiveEventsAsync(TestClient client, TimeSpan? timeout = null)
    {
        var text = await client.ReceiveTextAsync(timeout);
        if (JsonNode.Parse(text) is not JsonArray events)
        {
            Assert.Fail($"Expected a JSON array of events, got: {text}");
            throw new InvalidOperationException("unreachable");
        }

        return events;
    }

    /// <summary>The next message, which must be an array of exactly one event.</summary>
    public static async Task<JsonObject> ReceiveSingleEventAsync(TestClient client, TimeSpan? timeout = null)
    {
        var events = await ReceiveEventsAsync(client, timeout);
        Assert.That(events, Has.Count.EqualTo(1), () => $"expected one event, got {events.ToJsonString()}");
        return events[0]!.AsObject();
    }

    /// <summary>The frames of the transcript, in order.</summary>
    public static IReadOnlyList<FrameRecorded> Frames(PlugDjMock mock) => [.. mock.Transcript.Snapshot().OfType<FrameRecorded>()];

    /// <summary>The frame the client sent with exactly <paramref name="text"/>.</summary>
    public static FrameRecorded ClientFrame(PlugDjMock mock, string text) =>
        Frames(mock).Single(f => f.Direction == Direction.ClientToServer && f.Text == text);

    /// <summary>The kinds of the mock's decisions about <paramref name="frame"/>, in order; empty when it acted on it.</summary>
    public static FrameDecisionKind[] Decisions(FrameRecorded frame) => [.. frame.Decisions.Select(d => d.Kind)];

    private static string Message(string action, string parameter) =>
        new JsonObject { ["a"] = action, ["p"] = parameter, ["t"] = 1437829673 }.ToJsonString();

    [UnsafeAccessor(UnsafeAccessorKind.Constructor)]
    private static extern TestClient NewTestClient(ClientWebSocket socket);
}

/// <summary>
/// An HTTP client for the mock's REST routes under <c>/_/</c> that keeps the <c>session</c> cookie like a browser
/// (or plug-login) does.
/// </summary>
internal sealed class PlugDjHttp : IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _base;

    public PlugDjHttp(PlugDjMock mock, bool useCookies = true)
    {
        _base = mock.HttpUrl;
        var handler = new HttpClientHandler { UseCookies = useCookies, CookieContainer = Cookies };
        _http = new HttpClient(handler) { BaseAddress = mock.HttpUrl, Timeout = TestClient.DefaultTimeout };
    }

    public CookieContainer Cookies { get; } = new();

    /// <summary>The <c>session</c> cookie the client holds now, or null.</summary>
    public string? Session => Cookies.GetCookies(_base)["session"]?.Value;

    public Task<PlugDjReply> GetAsync(string path, string? cookie = null) => SendAsync(HttpMethod.Get, path, null, cookie);

    public Task<PlugDjReply> PostAsync(string path, string? json, string? cookie = null) => SendAsync(HttpMethod.Post, path, json, cookie);

    public Task<PlugDjReply> DeleteAsync(string path, string? cookie = null) => SendAsync(HttpMethod.Delete, path, null, cookie);

    /// <summary>GET /_/mobile/init: returns the CSRF token and leaves the guest session cookie in the jar.</summary>
    public async Task<string> InitAsync()
    {
        var init = await GetAsync("/_/mobile/init");
        Assert.That(init.Status, Is.EqualTo("ok"), () => init.Raw);
        return init.Data[0]!["c"]!.GetValue<string>();
    }

    /// <summary>init, then POST /_/auth/login with the mock's account: the jar then holds the logged-in session.</summary>
    public async Task LogInAsync(PlugDjMock mock)
    {
        var csrf = await InitAsync();
        var login = await PostAsync("/_/auth/login", LoginBody(csrf, mock.Options.Email, mock.Options.Password));
        Assert.That(login.Status, Is.EqualTo("ok"), () => login.Raw);
    }

    public static string LoginBody(string? csrf, string? email, string? password)
    {
        var body = new JsonObject();
        if (csrf is not null)
        {
            body["csrf"] = csrf;
        }

        if (email is not null)
        {
            body["email"] = email;
        }

        if (password is not null)
        {
            body["password"] = password;
        }

        return body.ToJsonString();
    }

    public void Dispose() => _http.Dispose();

    private async Task<PlugDjReply> SendAsync(HttpMethod method, string path, string? json, string? cookie)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (cookie is not null)
        {
            request.Headers.TryAddWithoutValidation("Cookie", cookie);
        }

        using var response = await _http.SendAsync(request);
        var raw = await response.Content.ReadAsStringAsync();
        var setCookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];
        JsonObject? body;
        try
        {
            body = JsonNode.Parse(raw) as JsonObject;
        }
        catch (JsonException)
        {
            body = null;
        }

        return new PlugDjReply(response.StatusCode, body ?? [], raw, setCookies);
    }
}

/// <summary>One REST answer: HTTP status, the parsed envelope, the raw body and the Set-Cookie headers.</summary>
internal sealed record PlugDjReply(HttpStatusCode Http, JsonObject Body, string Raw, IReadOnlyList<string> SetCookies)
{
    /// <summary>The envelope's <c>status</c>, e.g. <c>ok</c> or <c>notAuthorized</c>.</summary>
    public string? Status => Body["status"] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    public JsonArray Data => Body["data"] as JsonArray ?? [];

    /// <summary>The value of the <c>session</c> cookie this answer sets, or null.</summary>
    public string? NewSession =>
        SetCookies.Where(c => c.StartsWith("session=", StringComparison.Ordinal))
            .Select(c => c["session=".Length..].Split(';')[0])
            .FirstOrDefault();
}
