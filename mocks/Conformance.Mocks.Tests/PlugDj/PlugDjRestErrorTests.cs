using System.Net;
using Conformance.Mocks.Protocols.PlugDj;

namespace Conformance.Mocks.Tests;

/// <summary>
/// digest §5: errors keep the envelope, with <c>status</c> naming the error and <c>data[0]</c> a message; plugAPI maps
/// HTTP 400/401/403 on login to missing credentials / bad credentials / bad CSRF.
/// </summary>
[Category("plugdj")]
public sealed class PlugDjRestErrorTests
{
    [Test]
    public async Task Login_WithAWrongPassword_Is401BadLogin()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();
        using var http = new PlugDjHttp(mock);
        var csrf = await http.InitAsync();
        var guest = http.Session;

        // When
        var login = await http.PostAsync("/_/auth/login", PlugDjHttp.LoginBody(csrf, mock.Options.Email, "some-wrong-password"));

        // Then
        PlugDjRestFlowTests.AssertEnvelope(login, HttpStatusCode.Unauthorized, "badLogin");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(login.NewSession, Is.Null, "no new session on a failed login");
            Assert.That(http.Session, Is.EqualTo(guest));
        }
    }

    [Test]
    public async Task Login_WithAWrongEmail_Is401BadLogin()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();
        using var http = new PlugDjHttp(mock);
        var csrf = await http.InitAsync();

        // When
        var login = await http.PostAsync("/_/auth/login", PlugDjHttp.LoginBody(csrf, "someone@else.test", mock.Options.Password));

        // Then
        PlugDjRestFlowTests.AssertEnvelope(login, HttpStatusCode.Unauthorized, "badLogin");
    }

    [Test]
    public async Task Login_WithAWrongCsrf_Is403CsrfTokenInvalid()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();
        using var http = new PlugDjHttp(mock);
        await http.InitAsync();

        // When
        var login = await http.PostAsync("/_/auth/login", PlugDjHttp.LoginBody("some-wrong-csrf", mock.Options.Email, mock.Options.Password));

        // Then
        PlugDjRestFlowTests.AssertEnvelope(login, HttpStatusCode.Forbidden, "csrfTokenInvalid");
        Assert.That(login.NewSession, Is.Null);
    }

    [Test]
    public async Task Login_WithTheCsrfOfAnotherSession_Is403CsrfTokenInvalid()
    {
        // Given two guests; the second uses the first one's CSRF token with its own cookie
        await using var mock = await PlugDjMock.StartAsync();
        using var first = new PlugDjHttp(mock);
        using var second = new PlugDjHttp(mock);
        var csrf = await first.InitAsync();
        await second.InitAsync();

        // When
        var login = await second.PostAsync("/_/auth/login", PlugDjHttp.LoginBody(csrf, mock.Options.Email, mock.Options.Password));

        // Then
        PlugDjRestFlowTests.AssertEnvelope(login, HttpStatusCode.Forbidden, "csrfTokenInvalid");
    }

    [Test]
    public async Task Login_WithoutASessionCookie_Is403CsrfTokenInvalid()
    {
        // Given a CSRF token, but a client that dropped the cookie
        await using var mock = await PlugDjMock.StartAsync();
        using var withCookie = new PlugDjHttp(mock);
        var csrf = await withCookie.InitAsync();
        using var http = new PlugDjHttp(mock);

        // When
        var login = await http.PostAsync("/_/auth/login", PlugDjHttp.LoginBody(csrf, mock.Options.Email, mock.Options.Password));

        // Then
        PlugDjRestFlowTests.AssertEnvelope(login, HttpStatusCode.Forbidden, "csrfTokenInvalid");
    }

    [TestCase("{}")]
    [TestCase("""{"csrf":"x","email":"bot@conformance.test"}""")]
    [TestCase("""{"csrf":"x","password":"hunter2"}""")]
    [TestCase("""{"csrf":"x","email":"bot@conformance.test","password":7}""")]
    [TestCase("not json")]
    [TestCase(null)]
    public async Task Login_WithMissingFields_Is400RequestError(string? body)
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();
        using var http = new PlugDjHttp(mock);
        await http.InitAsync();

        // When
        var login = await http.PostAsync("/_/auth/login", body);

        // Then
        PlugDjRestFlowTests.AssertEnvelope(login, HttpStatusCode.BadRequest, "requestError");
    }

    [Test]
    public async Task Token_WithoutACookie_Is401NotAuthorized()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();
        using var http = new PlugDjHttp(mock);

        // When
        var token = await http.GetAsync("/_/auth/token");

        // Then
        PlugDjRestFlowTests.AssertEnvelope(token, HttpStatusCode.Unauthorized, "notAuthorized");
    }

    [Test]
    public async Task Token_WithAnUnknownCookie_Is401NotAuthorized()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();
        using var http = new PlugDjHttp(mock, useCookies: false);

        // When
        var token = await http.GetAsync("/_/auth/token", "session=99|7df|conformance");

        // Then
        PlugDjRestFlowTests.AssertEnvelope(token, HttpStatusCode.Unauthorized, "notAuthorized");
    }

    [TestCase("GET", "/_/users/me")]
    [TestCase("GET", "/_/rooms/state")]
    [TestCase("POST", "/_/rooms/join")]
    [TestCase("DELETE", "/_/auth/session")]
    public async Task Route_WithoutACookie_Is401NotAuthorizedInTheEnvelope(string method, string path)
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();
        using var http = new PlugDjHttp(mock);

        // When
        var reply = method switch
        {
            "GET" => await http.GetAsync(path),
            "POST" => await http.PostAsync(path, """{"slug":"tastycat"}"""),
            _ => await http.DeleteAsync(path),
        };

        // Then
        PlugDjRestFlowTests.AssertEnvelope(reply, HttpStatusCode.Unauthorized, "notAuthorized");
    }
}
