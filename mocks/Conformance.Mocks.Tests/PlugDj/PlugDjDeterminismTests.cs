using System.Net;
using System.Text.Json.Nodes;
using Conformance.Mocks.Protocols.PlugDj;

namespace Conformance.Mocks.Tests;

/// <summary>
/// Generated users, media and ids come from the seed, so a scenario sees the same frames run to run; ResetState puts
/// the generators and the REST state back as they were at start.
/// </summary>
[Category("plugdj")]
public sealed class PlugDjDeterminismTests
{
    [Test]
    public async Task Render_SameSeedInTwoMocks_GivesIdenticalEvents()
    {
        // Given
        await using var first = await PlugDjMock.StartAsync(o => o.Seed = 42);
        await using var second = await PlugDjMock.StartAsync(o => o.Seed = 42);

        // When every template is rendered twice over, in the same order, by both
        var a = RenderAll(first);
        var b = RenderAll(second);

        // Then
        Assert.That(b.Select(n => n.ToJsonString()), Is.EqualTo(a.Select(n => n.ToJsonString())));
    }

    [Test]
    public async Task Render_DifferentSeeds_GiveDifferentGeneratedData()
    {
        // Given
        await using var first = await PlugDjMock.StartAsync(o => o.Seed = 1);
        await using var second = await PlugDjMock.StartAsync(o => o.Seed = 2);

        // When
        var a = first.RenderTemplate("userJoin", null).ToJsonString();
        var b = second.RenderTemplate("userJoin", null).ToJsonString();

        // Then
        Assert.That(b, Is.Not.EqualTo(a));
    }

    [Test]
    public async Task Render_Repeatedly_GeneratesNewData()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();

        // When
        var first = mock.RenderTemplate("advance", null).ToJsonString();
        var second = mock.RenderTemplate("advance", null).ToJsonString();

        // Then
        Assert.That(second, Is.Not.EqualTo(first), "the generators move on with every render");
    }

    [Test]
    public async Task ResetState_AfterRenders_MakesTheGeneratorsStartOver()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();
        var before = RenderAll(mock);

        // When
        mock.ResetState();
        var after = RenderAll(mock);

        // Then
        Assert.That(after.Select(n => n.ToJsonString()), Is.EqualTo(before.Select(n => n.ToJsonString())));
    }

    [Test]
    public async Task ResetState_AfterRestCalls_GivesTheSameSessionsAndUserAgain()
    {
        // Given a REST flow before the reset
        await using var mock = await PlugDjMock.StartAsync();
        var (session, csrf, me, events) = await FlowAsync(mock);

        // When the same flow runs after the reset
        mock.ResetState();
        var (session2, csrf2, me2, events2) = await FlowAsync(mock);

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(session2, Is.EqualTo(session));
            Assert.That(csrf2, Is.EqualTo(csrf));
            Assert.That(me2, Is.EqualTo(me));
            Assert.That(me2, Does.Contain("\"id\":5398"));
            Assert.That(events2, Is.EqualTo(events));
        }
    }

    [Test]
    public async Task ResetState_ForgetsSessionsAndIssuedTokensButNotTheStaticToken()
    {
        // Given a logged-in client holding a socket token
        await using var mock = await PlugDjMock.StartAsync();
        using var http = new PlugDjHttp(mock);
        await http.LogInAsync(mock);
        var token = (await http.GetAsync("/_/auth/token")).Data[0]!.GetValue<string>();

        // When
        mock.ResetState();
        var me = await http.GetAsync("/_/users/me");
        var (stale, staleAck) = await PlugDjSocket.AuthenticateAsync(mock, token);
        await using var _ = stale;
        var (fresh, freshAck) = await PlugDjSocket.AuthenticateAsync(mock);
        await using var __ = fresh;

        // Then
        PlugDjRestFlowTests.AssertEnvelope(me, HttpStatusCode.Unauthorized, "notAuthorized");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(staleAck["p"]!.GetValue<string>(), Is.EqualTo("0"), "the issued token is forgotten");
            Assert.That(freshAck["p"]!.GetValue<string>(), Is.EqualTo("1"), "the static token always works");
        }
    }

    /// <summary>Every template, twice, in catalogue order.</summary>
    private static List<JsonNode> RenderAll(PlugDjMock mock) =>
        [.. PlugDjMock.EventTemplates.Concat(PlugDjMock.EventTemplates).Select(n => mock.RenderTemplate(n, null))];

    /// <summary>init, login, users/me, then a few events: what a run sees of the generated state.</summary>
    private static async Task<(string? Session, string Csrf, string Me, string Events)> FlowAsync(PlugDjMock mock)
    {
        using var http = new PlugDjHttp(mock);
        var csrf = await http.InitAsync();
        var session = http.Session;
        await http.PostAsync("/_/auth/login", PlugDjHttp.LoginBody(csrf, mock.Options.Email, mock.Options.Password));
        var me = (await http.GetAsync("/_/users/me")).Data[0]!.ToJsonString();
        var events = string.Join("\n", new[] { "advance", "chat", "userJoin" }.Select(n => mock.RenderTemplate(n, null).ToJsonString()));
        return (session, csrf, me, events);
    }
}
