using System.Net;
using System.Text.Json;
using Conformance.Mocks.Protocols.PlugDj;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Tests;

/// <summary>
/// The REST calls clients make around the socket (digest §5): <c>/_/mobile/init</c> for the CSRF token and session
/// cookie, login, the socket token (seed 001 §Connecting, step 2), room join and state, the user, logout.
/// </summary>
[Category("plugdj")]
public sealed class PlugDjRestFlowTests
{
    [Test]
    public async Task MobileInit_ReturnsTheEnvelopeWithCsrfAndServerTimeAndASessionCookieWithRawPipes()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();
        using var http = new PlugDjHttp(mock);
        var before = DateTime.UtcNow.AddSeconds(-1);

        // When
        var init = await http.GetAsync("/_/mobile/init");

        // Then
        var after = DateTime.UtcNow.AddSeconds(1);
        AssertEnvelope(init, HttpStatusCode.OK, "ok");
        var data = init.Data.Single()!.AsObject();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(data.Select(kv => kv.Key), Is.EquivalentTo(new[] { "c", "t" }));
            Assert.That(data["c"]!.GetValue<string>(), Is.Not.Empty);
            // plugAPI 5.1.1 reads t with substr as "YYYY-MM-DD HH:MM:SS.ffffff" (lib/client.js DateUtilities).
            Assert.That(data["t"]!.GetValueKind(), Is.EqualTo(JsonValueKind.String));
            Assert.That(data["t"]!.GetValue<string>(), Does.Match(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$"));
            var serverTime = DateTime.ParseExact(data["t"]!.GetValue<string>(), "yyyy-MM-dd HH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture);
            Assert.That(serverTime, Is.InRange(before, after), "t is the server's time now, in UTC");
            Assert.That(init.NewSession, Does.Contain("|"), "the cookie value holds raw '|'");
            Assert.That(init.NewSession, Does.Not.Contain("%7C").IgnoreCase, "and is not URL-encoded");
            Assert.That(http.Session, Is.EqualTo(init.NewSession), "a cookie jar keeps it as sent");
        }
    }

    [Test]
    public async Task MobileInit_Twice_GivesDifferentSessionsAndCsrfTokens()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();
        using var http = new PlugDjHttp(mock, useCookies: false);

        // When
        var first = await http.GetAsync("/_/mobile/init");
        var second = await http.GetAsync("/_/mobile/init");

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(second.NewSession, Is.Not.EqualTo(first.NewSession));
            Assert.That(second.Data[0]!["c"]!.GetValue<string>(), Is.Not.EqualTo(first.Data[0]!["c"]!.GetValue<string>()));
        }
    }

    [Test]
    public async Task Login_WithTheInitCookieAndCsrf_LogsThatSessionInAndSetsTheSameCookieAgain()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();
        using var http = new PlugDjHttp(mock);
        var csrf = await http.InitAsync();
        var guest = http.Session;

        // When
        var login = await http.PostAsync("/_/auth/login", PlugDjHttp.LoginBody(csrf, mock.Options.Email, mock.Options.Password));

        // Then
        AssertEnvelope(login, HttpStatusCode.OK, "ok");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(login.Data, Is.Empty);
            Assert.That(login.NewSession, Is.EqualTo(guest), "plugAPI and plug-login go on with the init cookie after login");
            Assert.That(http.Session, Is.EqualTo(login.NewSession));
        }
    }

    [Test]
    public async Task Login_WithAManualRawCookieHeader_IsOk()
    {
        // Given a client that copies the cookie by hand, as plug-login does, without URL-encoding it
        await using var mock = await PlugDjMock.StartAsync();
        using var http = new PlugDjHttp(mock, useCookies: false);
        var init = await http.GetAsync("/_/mobile/init");
        var csrf = init.Data[0]!["c"]!.GetValue<string>();

        // When
        var login = await http.PostAsync(
            "/_/auth/login", PlugDjHttp.LoginBody(csrf, mock.Options.Email, mock.Options.Password), $"session={init.NewSession}");
        var me = await http.GetAsync("/_/users/me", $"session={login.NewSession}");

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(login.Status, Is.EqualTo("ok"), login.Raw);
            Assert.That(me.Status, Is.EqualTo("ok"), me.Raw);
        }
    }

    [Test]
    public async Task Token_AfterLogin_IsAStringTheSocketAccepts()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();
        using var http = new PlugDjHttp(mock);
        await http.LogInAsync(mock);

        // When
        var reply = await http.GetAsync("/_/auth/token");
        var token = reply.Data.Single()!.GetValue<string>();
        var (client, ack) = await PlugDjSocket.AuthenticateAsync(mock, token);
        await using var _ = client;

        // Then
        AssertEnvelope(reply, HttpStatusCode.OK, "ok");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(token, Is.Not.Empty.And.Not.EqualTo(mock.Options.Token));
            Assert.That(ack.ToJsonString(), Is.EqualTo("""{"a":"ack","p":"1","s":"dashboard"}"""));
            Assert.That(PlugDjSocket.Decisions(PlugDjSocket.ClientFrame(mock, PlugDjSocket.Auth(token))), Is.Empty);
        }
    }

    [Test]
    public async Task Token_ForAGuestSession_IsAlsoAcceptedByTheSocket()
    {
        // Given a guest: init only (digest §5, guest flow)
        await using var mock = await PlugDjMock.StartAsync();
        using var http = new PlugDjHttp(mock);
        await http.InitAsync();

        // When
        var token = (await http.GetAsync("/_/auth/token")).Data.Single()!.GetValue<string>();
        var (client, ack) = await PlugDjSocket.AuthenticateAsync(mock, token);
        await using var _ = client;

        // Then
        Assert.That(ack["p"]!.GetValue<string>(), Is.EqualTo("1"));
    }

    [Test]
    public async Task Token_Twice_GivesTwoTokensBothAccepted()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();
        using var http = new PlugDjHttp(mock);
        await http.LogInAsync(mock);

        // When
        var first = (await http.GetAsync("/_/auth/token")).Data[0]!.GetValue<string>();
        var second = (await http.GetAsync("/_/auth/token")).Data[0]!.GetValue<string>();
        var (a, ackA) = await PlugDjSocket.AuthenticateAsync(mock, first);
        await using var _ = a;
        var (b, ackB) = await PlugDjSocket.AuthenticateAsync(mock, second);
        await using var __ = b;

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(second, Is.Not.EqualTo(first));
            Assert.That(ackA["p"]!.GetValue<string>(), Is.EqualTo("1"));
            Assert.That(ackB["p"]!.GetValue<string>(), Is.EqualTo("1"));
        }
    }

    [Test]
    public async Task RoomsJoin_TheHostedRoom_IsOk()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();
        using var http = new PlugDjHttp(mock);
        await http.LogInAsync(mock);

        // When
        var join = await http.PostAsync("/_/rooms/join", """{"slug":"tastycat"}""");

        // Then
        AssertEnvelope(join, HttpStatusCode.OK, "ok");
        Assert.That(join.Data, Is.Empty);
    }

    [Test]
    public async Task RoomsJoin_AnotherSlug_Is404NotFound()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();
        using var http = new PlugDjHttp(mock);
        await http.LogInAsync(mock);

        // When
        var join = await http.PostAsync("/_/rooms/join", """{"slug":"some-other-room"}""");

        // Then
        AssertEnvelope(join, HttpStatusCode.NotFound, "notFound");
        Assert.That(join.Data[0]!.GetValue<string>(), Does.Contain("some-other-room"));
    }

    [Test]
    public async Task RoomsJoin_AsAGuest_IsNotAuthorized()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();
        using var http = new PlugDjHttp(mock);
        await http.InitAsync();

        // When
        var join = await http.PostAsync("/_/rooms/join", """{"slug":"tastycat"}""");

        // Then
        AssertEnvelope(join, HttpStatusCode.Unauthorized, "notAuthorized");
    }

    [Test]
    public async Task RoomsState_AfterJoin_ReturnsTheRoomStateObject()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();
        using var http = new PlugDjHttp(mock);
        await http.LogInAsync(mock);
        await http.PostAsync("/_/rooms/join", """{"slug":"tastycat"}""");

        // When
        var state = await http.GetAsync("/_/rooms/state");

        // Then
        AssertEnvelope(state, HttpStatusCode.OK, "ok");
        var room = state.Data.Single()!.AsObject();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(room.Select(kv => kv.Key), Is.SupersetOf(new[] { "booth", "fx", "grabs", "meta", "mutes", "playback", "role", "users", "votes" }));
            Assert.That(room["meta"]!["slug"]!.GetValue<string>(), Is.EqualTo("tastycat"));
            Assert.That(room["users"]!.AsArray().Select(u => u!["id"]!.GetValue<int>()), Does.Contain(5398));
        }
    }

    [Test]
    public async Task RoomsState_BeforeJoin_IsRequestErrorNotInARoom()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();
        using var http = new PlugDjHttp(mock);
        await http.LogInAsync(mock);

        // When
        var state = await http.GetAsync("/_/rooms/state");

        // Then
        AssertEnvelope(state, HttpStatusCode.BadRequest, "requestError");
        Assert.That(state.Data[0]!.GetValue<string>(), Is.EqualTo("not in a room."));
    }

    [Test]
    public async Task UsersMe_AfterLogin_ReturnsTheUserWithId5398()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();
        using var http = new PlugDjHttp(mock);
        await http.LogInAsync(mock);

        // When
        var me = await http.GetAsync("/_/users/me");

        // Then
        AssertEnvelope(me, HttpStatusCode.OK, "ok");
        var user = me.Data.Single()!.AsObject();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(user["id"]!.GetValue<int>(), Is.EqualTo(5398));
            Assert.That(user["username"]!.GetValue<string>(), Is.Not.Empty);
            Assert.That(user.Select(kv => kv.Key), Is.SupersetOf(new[] { "id", "username", "avatarID", "language", "guest", "level", "role", "gRole", "joined", "badge", "slug", "sub" }));
        }
    }

    [TestCase("/_/users/me")]
    [TestCase("/_/rooms/history")]
    public async Task LoggedInRoute_AsAGuest_IsNotAuthorized(string path)
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();
        using var http = new PlugDjHttp(mock);
        await http.InitAsync();

        // When
        var reply = await http.GetAsync(path);

        // Then
        AssertEnvelope(reply, HttpStatusCode.Unauthorized, "notAuthorized");
    }

    [Test]
    public async Task DeleteSession_ThenEveryCallWithThatCookie_IsNotAuthorized()
    {
        // Given a logged-in client in the room
        await using var mock = await PlugDjMock.StartAsync();
        using var http = new PlugDjHttp(mock);
        await http.LogInAsync(mock);
        await http.PostAsync("/_/rooms/join", """{"slug":"tastycat"}""");

        // When
        var logout = await http.DeleteAsync("/_/auth/session");
        var me = await http.GetAsync("/_/users/me");
        var state = await http.GetAsync("/_/rooms/state");
        var token = await http.GetAsync("/_/auth/token");
        var join = await http.PostAsync("/_/rooms/join", """{"slug":"tastycat"}""");
        var again = await http.DeleteAsync("/_/auth/session");

        // Then
        AssertEnvelope(logout, HttpStatusCode.OK, "ok");
        foreach (var reply in new[] { me, state, token, join, again })
        {
            AssertEnvelope(reply, HttpStatusCode.Unauthorized, "notAuthorized");
        }
    }

    [Test]
    public async Task FullFlow_EndToEnd_RecordsEveryExchangeWithItsRouteName()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();
        using var http = new PlugDjHttp(mock);

        // When a client goes through the whole flow, then asks for a path the mock does not serve
        var init = await http.GetAsync("/_/mobile/init");
        var login = await http.PostAsync("/_/auth/login", PlugDjHttp.LoginBody(init.Data[0]!["c"]!.GetValue<string>(), mock.Options.Email, mock.Options.Password));
        var token = await http.GetAsync("/_/auth/token");
        var (client, ack) = await PlugDjSocket.AuthenticateAsync(mock, token.Data[0]!.GetValue<string>());
        await using var _ = client;
        var join = await http.PostAsync("/_/rooms/join", """{"slug":"tastycat"}""");
        var state = await http.GetAsync("/_/rooms/state");
        var me = await http.GetAsync("/_/users/me");
        var logout = await http.DeleteAsync("/_/auth/session");
        var unknown = await http.GetAsync("/_/rooms/friends-of-friends");

        // Then
        var exchanges = mock.Transcript.Snapshot().OfType<HttpExchange>().ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(new[] { init, login, token, join, state, me, logout }.Select(r => r.Status), Has.All.EqualTo("ok"));
            Assert.That(ack["p"]!.GetValue<string>(), Is.EqualTo("1"), "the socket accepts the REST token");
            Assert.That(unknown.Http, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(exchanges.Select(e => (e.Method, e.Path, e.Status, e.Route)), Is.EqualTo(new (string, string, int, string?)[]
            {
                ("GET", "/_/mobile/init", 200, "mobile/init"),
                ("POST", "/_/auth/login", 200, "auth/login"),
                ("GET", "/_/auth/token", 200, "auth/token"),
                ("POST", "/_/rooms/join", 200, "rooms/join"),
                ("GET", "/_/rooms/state", 200, "rooms/state"),
                ("GET", "/_/users/me", 200, "users/me"),
                ("DELETE", "/_/auth/session", 200, "auth/session"),
                ("GET", "/_/rooms/friends-of-friends", 404, null),
            }));
            Assert.That(exchanges[1].RequestBody, Does.Contain(mock.Options.Email));
            Assert.That(exchanges[0].ResponseBody, Is.EqualTo(init.Raw));
        }
    }

    [Test]
    public async Task Errors_AreRecordedWithTheirRouteName()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();
        using var http = new PlugDjHttp(mock);

        // When
        await http.GetAsync("/_/auth/token");
        await http.PostAsync("/_/auth/login", "{}");

        // Then
        var exchanges = mock.Transcript.Snapshot().OfType<HttpExchange>().ToList();
        Assert.That(exchanges.Select(e => (e.Route, e.Status)), Is.EqualTo(new (string?, int)[] { ("auth/token", 401), ("auth/login", 400) }));
    }

    /// <summary>digest §5: <c>{"data":[...],"meta":{},"status":...,"time":number}</c>, for answers and errors alike.</summary>
    internal static void AssertEnvelope(PlugDjReply reply, HttpStatusCode http, string status)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(reply.Http, Is.EqualTo(http), reply.Raw);
            Assert.That(reply.Body.Select(kv => kv.Key), Is.EquivalentTo(new[] { "data", "meta", "status", "time" }), reply.Raw);
            Assert.That(reply.Body["data"], Is.InstanceOf<System.Text.Json.Nodes.JsonArray>(), reply.Raw);
            Assert.That(reply.Body["meta"]?.ToJsonString(), Is.EqualTo("{}"), reply.Raw);
            Assert.That(reply.Status, Is.EqualTo(status), reply.Raw);
            Assert.That(reply.Body["time"]?.GetValueKind(), Is.EqualTo(JsonValueKind.Number), reply.Raw);
        }

        if (status != "ok")
        {
            Assert.That(reply.Data, Has.Count.EqualTo(1), reply.Raw);
            Assert.That(reply.Data[0]!.GetValueKind(), Is.EqualTo(JsonValueKind.String), () => $"data[0] is the message: {reply.Raw}");
            Assert.That(reply.Data[0]!.GetValue<string>(), Is.Not.Empty);
        }
    }
}
