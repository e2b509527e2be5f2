using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Protocols.PlugDj;
using static Conformance.Mocks.Tests.PlugDjRestFlowTests;

namespace Conformance.Mocks.Tests;

/// <summary>
/// What the published clients (plugapi 5.1.1, miniplug 2.0.3, plug-login 2.1.0) need beyond the seed: the login that
/// keeps the init session, rooms/history and chat/history, the join's requestError, the same routes over TLS, and an
/// auth refused on purpose (rejectAuths) that does not look like a bad token.
/// </summary>
[Category("plugdj")]
public sealed class PlugDjLibraryRoutesTests
{
    [Test]
    public async Task Login_ThenTheInitCookieAlone_ReachesUsersMeAndAUserToken()
    {
        // Given plugAPI's way: the init cookie is kept and the login answer's Set-Cookie is not looked at
        await using var mock = await PlugDjMock.StartAsync();
        using var http = new PlugDjHttp(mock, useCookies: false);
        var init = await http.GetAsync("/_/mobile/init");
        var cookie = $"session={init.NewSession}";
        await http.PostAsync("/_/auth/login", PlugDjHttp.LoginBody(init.Data[0]!["c"]!.GetValue<string>(), mock.Options.Email, mock.Options.Password), cookie);

        // When
        var me = await http.GetAsync("/_/users/me", cookie);
        var join = await http.PostAsync("/_/rooms/join", """{"slug":"tastycat"}""", cookie);

        // Then
        AssertEnvelope(me, HttpStatusCode.OK, "ok");
        AssertEnvelope(join, HttpStatusCode.OK, "ok");
        Assert.That(me.Data[0]!["id"]!.GetValue<int>(), Is.EqualTo(5398));
    }

    [Test]
    public async Task RoomsHistory_AfterLogin_IsAnEmptyList()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();
        using var http = new PlugDjHttp(mock);
        await http.LogInAsync(mock);
        await http.PostAsync("/_/rooms/join", """{"slug":"tastycat"}""");

        // When
        var history = await http.GetAsync("/_/rooms/history");

        // Then
        AssertEnvelope(history, HttpStatusCode.OK, "ok");
        Assert.That(history.Data, Is.Empty);
    }

    [Test]
    public async Task ChatHistory_InTheRoom_HoldsHistoryAndUsers()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();
        using var http = new PlugDjHttp(mock);
        await http.LogInAsync(mock);
        await http.PostAsync("/_/rooms/join", """{"slug":"tastycat"}""");

        // When
        var chat = await http.GetAsync("/_/chat/history");

        // Then
        AssertEnvelope(chat, HttpStatusCode.OK, "ok");
        var data = chat.Data.Single()!.AsObject();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(data["history"], Is.InstanceOf<JsonArray>());
            Assert.That(data["users"]!.AsArray().Select(u => u!["id"]!.GetValue<int>()), Does.Contain(5398));
        }
    }

    [Test]
    public async Task ChatHistory_BeforeJoin_IsNotAuthorized()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();
        using var http = new PlugDjHttp(mock);
        await http.LogInAsync(mock);

        // When
        var chat = await http.GetAsync("/_/chat/history");

        // Then
        AssertEnvelope(chat, HttpStatusCode.Unauthorized, "notAuthorized");
    }

    [Test]
    public async Task RoomsJoin_WithoutASlug_IsRequestErrorSlugIsRequired()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();
        using var http = new PlugDjHttp(mock);
        await http.LogInAsync(mock);

        // When
        var join = await http.PostAsync("/_/rooms/join", "{}");

        // Then
        AssertEnvelope(join, HttpStatusCode.BadRequest, "requestError");
        Assert.That(join.Data[0]!.GetValue<string>(), Is.EqualTo("slug is required"));
    }

    [Test]
    public async Task HttpsUrl_ServesTheSameRoutesWithTheLoopbackCertificate()
    {
        // Given a client that trusts only the mock's certificate
        await using var mock = await PlugDjMock.StartAsync();
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                certificate is not null && certificate.Thumbprint == LoopbackCertificate.Certificate.Thumbprint,
        };
        using var http = new HttpClient(handler) { Timeout = TestClient.DefaultTimeout };

        // When
        var init = await http.GetFromJsonAsync<JsonObject>(new Uri(mock.HttpsUrl, "/_/mobile/init"));

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(mock.HttpsUrl.Scheme, Is.EqualTo("https"));
            Assert.That(mock.HttpsUrl.Port, Is.Not.EqualTo(mock.HttpUrl.Port));
            Assert.That(init!["status"]!.GetValue<string>(), Is.EqualTo("ok"));
            Assert.That(File.ReadAllText(LoopbackCertificate.PemPath), Does.StartWith("-----BEGIN CERTIFICATE-----"));
            Assert.That(mock.Transcript.Snapshot().OfType<Transcripts.HttpExchange>().Single().Path, Is.EqualTo("/_/mobile/init"));
        }
    }

    [Test]
    public async Task RejectAuths_TheFirstValidAuthIsAckedZeroAndDecidedRefusedNotRejected_TheNextIsAccepted()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync(o => o.RejectAuths = 1);

        // When the client authenticates twice with the static token, on two connections
        var (first, firstAck) = await PlugDjSocket.AuthenticateAsync(mock);
        await using var _ = first;
        var (second, secondAck) = await PlugDjSocket.AuthenticateAsync(mock);
        await using var __ = second;

        // Then the first is refused on purpose, not rejected (the auth.token rule blames AuthRejected on the client)
        var auths = PlugDjSocket.Frames(mock).Where(f => f.Text == PlugDjSocket.Auth(mock.Options.Token)).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(firstAck.ToJsonString(), Is.EqualTo("""{"a":"ack","p":"0","s":"dashboard"}"""));
            Assert.That(secondAck.ToJsonString(), Is.EqualTo("""{"a":"ack","p":"1","s":"dashboard"}"""));
            Assert.That(PlugDjSocket.Decisions(auths[0]), Is.EqualTo(new[] { Transcripts.FrameDecisionKind.AuthRefusedByScenario }));
            Assert.That(auths[0].Note, Is.EqualTo("refused on purpose (rejectAuths): the token was valid"));
            Assert.That(PlugDjSocket.Decisions(auths[1]), Is.Empty);
        }
    }
}
