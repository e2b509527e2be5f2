using System.Net;
using System.Text.Json.Nodes;
using Conformance.Mocks.Protocols.Discodo;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Tests;

/// <summary>
/// The node's REST routes on the WebSocket's host and port (kijk2869/discodo discodo/server/restful.py, server.py): the
/// open <c>/status</c>, and voice-client routes behind restful.py's <c>authorized</c> and
/// <c>need_voiceclient</c>, which check <c>Authorization</c>, then the manager tagged <c>User-ID[-Shard-ID]</c>, then the
/// voice client of <c>Guild-ID</c>, then that its id is <c>VoiceClient-ID</c>; each abort() is Sanic's JSON error.
/// </summary>
[Category("discodo")]
public sealed class DiscodoRestTests
{
    private const string GuildId = "818127361712324608";

    /// <summary>Every voice-client route the mock serves.</summary>
    private static readonly string[] VoiceClientRoutes = ["GET /context", "GET /queue", "GET /options", "POST /pause", "POST /resume"];

    [TestCase(null)]
    [TestCase("some-wrong-password")]
    public async Task Status_WithoutOrWithAWrongPassword_Is200WithTheNodesFigures(string? password)
    {
        // Given a node; server.py's /status has no @authorized
        await using var mock = await DiscodoMock.StartAsync();
        using var http = new DiscodoHttp(mock);

        // When
        var status = await http.SendAsync("GET /status", new Dictionary<string, string?> { ["Authorization"] = password });

        // Then the getStatus dict (discodo/utils.py), with the mock's fixed figures
        using (Assert.EnterMultipleScope())
        {
            Assert.That(status.Http, Is.EqualTo(HttpStatusCode.OK), () => status.Raw);
            Assert.That(JsonNode.DeepEquals(status.Body, DiscodoMock.StatusFigures()), Is.True, () => status.Raw);
        }
    }

    [Test]
    public async Task Context_OfAVoiceClient_Is200WithTheContextItself()
    {
        // Given
        await using var mock = await DiscodoMock.StartAsync();
        var (bot, headers) = await VoiceClientAsync(mock);
        await using var _ = bot;
        using var http = new DiscodoHttp(mock);

        // When
        var context = await http.SendAsync("GET /context", headers);

        // Then restful.py getContext: JSONResponse(VoiceClient.Context), a new voice client's being {} (voice_client.py)
        using (Assert.EnterMultipleScope())
        {
            Assert.That(context.Http, Is.EqualTo(HttpStatusCode.OK), () => context.Raw);
            Assert.That(JsonNode.DeepEquals(context.Body, new JsonObject()), Is.True, () => context.Raw);
        }
    }

    [Test]
    public async Task Queue_OfAVoiceClient_Is200WithItsEntries()
    {
        // Given
        await using var mock = await DiscodoMock.StartAsync();
        var (bot, headers) = await VoiceClientAsync(mock);
        await using var _ = bot;
        using var http = new DiscodoHttp(mock);

        // When
        var queue = await http.SendAsync("GET /queue", headers);

        // Then restful.py queue: {"entries": VoiceClient.Queue}, empty for a new voice client
        using (Assert.EnterMultipleScope())
        {
            Assert.That(queue.Http, Is.EqualTo(HttpStatusCode.OK), () => queue.Raw);
            Assert.That(JsonNode.DeepEquals(queue.Body, new JsonObject { ["entries"] = new JsonArray() }), Is.True, () => queue.Raw);
        }
    }

    [Test]
    public async Task Options_OfAVoiceClient_Is200WithAutoplayVolumeCrossfadeAndFilter()
    {
        // Given
        await using var mock = await DiscodoMock.StartAsync();
        var (bot, headers) = await VoiceClientAsync(mock);
        await using var _ = bot;
        using var http = new DiscodoHttp(mock);

        // When
        var options = await http.SendAsync("GET /options", headers);

        // Then restful.py getOptions: exactly those four keys
        var expected = new JsonObject { ["autoplay"] = true, ["volume"] = 1.0, ["crossfade"] = 10.0, ["filter"] = new JsonObject() };
        using (Assert.EnterMultipleScope())
        {
            Assert.That(options.Http, Is.EqualTo(HttpStatusCode.OK), () => options.Raw);
            Assert.That(JsonNode.DeepEquals(options.Body, expected), Is.True, () => options.Raw);
        }
    }

    [TestCase("POST /pause")]
    [TestCase("POST /resume")]
    public async Task PauseOrResume_OfAVoiceClient_Is204WithNoBody(string route)
    {
        // Given
        await using var mock = await DiscodoMock.StartAsync();
        var (bot, headers) = await VoiceClientAsync(mock);
        await using var _ = bot;
        using var http = new DiscodoHttp(mock);

        // When
        var reply = await http.SendAsync(route, headers);

        // Then restful.py pause / resume: response.empty()
        using (Assert.EnterMultipleScope())
        {
            Assert.That(reply.Http, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(reply.Raw, Is.Empty);
        }
    }

    [TestCaseSource(nameof(VoiceClientRoutes))]
    public async Task Route_WithoutAuthorization_Is403PasswordMismatch(string route)
    {
        // Given
        await using var mock = await DiscodoMock.StartAsync();
        var (bot, headers) = await VoiceClientAsync(mock);
        await using var _ = bot;
        using var http = new DiscodoHttp(mock);
        headers["Authorization"] = null;

        // When
        var reply = await http.SendAsync(route, headers);

        // Then restful.py authorized: None != Config.PASSWORD
        reply.AssertSanicError(HttpStatusCode.Forbidden, "Password mismatch.");
    }

    [TestCaseSource(nameof(VoiceClientRoutes))]
    public async Task Route_WithAWrongAuthorization_Is403PasswordMismatch(string route)
    {
        // Given
        await using var mock = await DiscodoMock.StartAsync();
        var (bot, headers) = await VoiceClientAsync(mock);
        await using var _ = bot;
        using var http = new DiscodoHttp(mock);
        headers["Authorization"] = mock.Options.Password + "x";

        // When
        var reply = await http.SendAsync(route, headers);

        // Then
        reply.AssertSanicError(HttpStatusCode.Forbidden, "Password mismatch.");
    }

    [Test]
    public async Task Route_WithAWrongPasswordAndEveryOtherHeaderWrong_Is403PasswordMismatchFirst()
    {
        // Given no manager at all
        await using var mock = await DiscodoMock.StartAsync();
        using var http = new DiscodoHttp(mock);

        // When
        var reply = await http.SendAsync("GET /queue", new Dictionary<string, string?> { ["Authorization"] = "wrong", ["User-ID"] = "1" });

        // Then @authorized wraps need_voiceclient, so the password is checked first
        reply.AssertSanicError(HttpStatusCode.Forbidden, "Password mismatch.");
    }

    [Test]
    public async Task Route_BeforeAnyClientIdentified_Is404ClientManagerNotFound()
    {
        // Given a node nobody identified with
        await using var mock = await DiscodoMock.StartAsync();
        using var http = new DiscodoHttp(mock);

        // When
        var reply = await http.SendAsync("GET /queue", new Dictionary<string, string?>
        {
            ["Authorization"] = mock.Options.Password,
            ["User-ID"] = mock.Options.UserId,
            ["Guild-ID"] = GuildId,
            ["VoiceClient-ID"] = "x",
        });

        // Then
        reply.AssertSanicError(HttpStatusCode.NotFound, "ClientManager not found.");
    }

    [TestCaseSource(nameof(VoiceClientRoutes))]
    public async Task Route_WithoutUserId_Is404ClientManagerNotFound(string route)
    {
        // Given
        await using var mock = await DiscodoMock.StartAsync();
        var (bot, headers) = await VoiceClientAsync(mock);
        await using var _ = bot;
        using var http = new DiscodoHttp(mock);
        headers["User-ID"] = null;

        // When
        var reply = await http.SendAsync(route, headers);

        // Then restful.py need_voiceclient: the tag str(None) names no manager
        reply.AssertSanicError(HttpStatusCode.NotFound, "ClientManager not found.");
    }

    [TestCaseSource(nameof(VoiceClientRoutes))]
    public async Task Route_WithAnotherUserId_Is404ClientManagerNotFound(string route)
    {
        // Given
        await using var mock = await DiscodoMock.StartAsync();
        var (bot, headers) = await VoiceClientAsync(mock);
        await using var _ = bot;
        using var http = new DiscodoHttp(mock);
        headers["User-ID"] = "1095998329104949371";

        // When
        var reply = await http.SendAsync(route, headers);

        // Then
        reply.AssertSanicError(HttpStatusCode.NotFound, "ClientManager not found.");
    }

    [Test]
    public async Task Route_WithAShardIdAnUnshardedBotDidNotIdentifyWith_Is404ClientManagerNotFound()
    {
        // Given a bot identified with shard_id null: its manager's tag is the user id alone
        await using var mock = await DiscodoMock.StartAsync();
        var (bot, headers) = await VoiceClientAsync(mock);
        await using var _ = bot;
        using var http = new DiscodoHttp(mock);
        headers["Shard-ID"] = "0";

        // When
        var reply = await http.SendAsync("GET /queue", headers);

        // Then the tag "user_id-0" names no manager
        reply.AssertSanicError(HttpStatusCode.NotFound, "ClientManager not found.");
    }

    [Test]
    public async Task Route_OfAShardedBot_AnswersWithItsShardId_And404sWithoutIt()
    {
        // Given a bot identified as shard 1: its manager's tag is "user_id-1" (websocket.py initializeManager)
        await using var mock = await DiscodoMock.StartAsync();
        var (bot, headers) = await VoiceClientAsync(mock, shardId: 1);
        await using var _ = bot;
        using var http = new DiscodoHttp(mock);

        // When
        var withShard = await http.SendAsync("GET /queue", headers);
        headers["Shard-ID"] = null;
        var withoutShard = await http.SendAsync("GET /queue", headers);
        headers["Shard-ID"] = "0";
        var otherShard = await http.SendAsync("GET /queue", headers);

        // Then
        Assert.That(withShard.Http, Is.EqualTo(HttpStatusCode.OK), () => withShard.Raw);
        withoutShard.AssertSanicError(HttpStatusCode.NotFound, "ClientManager not found.");
        otherShard.AssertSanicError(HttpStatusCode.NotFound, "ClientManager not found.");
    }

    [TestCaseSource(nameof(VoiceClientRoutes))]
    public async Task Route_WithoutGuildId_Is404VoiceClientNotFound(string route)
    {
        // Given
        await using var mock = await DiscodoMock.StartAsync();
        var (bot, headers) = await VoiceClientAsync(mock);
        await using var _ = bot;
        using var http = new DiscodoHttp(mock);
        headers["Guild-ID"] = null;

        // When
        var reply = await http.SendAsync(route, headers);

        // Then restful.py need_voiceclient: getVC(str(None), safe=True) is None
        reply.AssertSanicError(HttpStatusCode.NotFound, "VoiceClient not found.");
    }

    [TestCaseSource(nameof(VoiceClientRoutes))]
    public async Task Route_WithAGuildThatHasNoVoiceClient_Is404VoiceClientNotFound(string route)
    {
        // Given
        await using var mock = await DiscodoMock.StartAsync();
        var (bot, headers) = await VoiceClientAsync(mock);
        await using var _ = bot;
        using var http = new DiscodoHttp(mock);
        headers["Guild-ID"] = "818127361712324609";

        // When
        var reply = await http.SendAsync(route, headers);

        // Then
        reply.AssertSanicError(HttpStatusCode.NotFound, "VoiceClient not found.");
    }

    [Test]
    public async Task Route_WithAnUnknownGuildAndAWrongVoiceClientId_Is404VoiceClientNotFoundFirst()
    {
        // Given
        await using var mock = await DiscodoMock.StartAsync();
        var (bot, headers) = await VoiceClientAsync(mock);
        await using var _ = bot;
        using var http = new DiscodoHttp(mock);
        headers["Guild-ID"] = "818127361712324609";
        headers["VoiceClient-ID"] = "not-the-id";

        // When
        var reply = await http.SendAsync("GET /queue", headers);

        // Then need_voiceclient checks "if not VoiceClient" before comparing the id
        reply.AssertSanicError(HttpStatusCode.NotFound, "VoiceClient not found.");
    }

    [TestCaseSource(nameof(VoiceClientRoutes))]
    public async Task Route_WithoutVoiceClientId_Is403VoiceClientIdMismtach(string route)
    {
        // Given
        await using var mock = await DiscodoMock.StartAsync();
        var (bot, headers) = await VoiceClientAsync(mock);
        await using var _ = bot;
        using var http = new DiscodoHttp(mock);
        headers["VoiceClient-ID"] = null;

        // When
        var reply = await http.SendAsync(route, headers);

        // Then restful.py need_voiceclient: None != VoiceClient.id, and the node's message is misspelt
        reply.AssertSanicError(HttpStatusCode.Forbidden, "VoiceClient ID mismtach.");
    }

    [TestCaseSource(nameof(VoiceClientRoutes))]
    public async Task Route_WithAnotherVoiceClientsId_Is403VoiceClientIdMismtach(string route)
    {
        // Given two voice clients; the headers name the first guild with the second one's id
        await using var mock = await DiscodoMock.StartAsync();
        var (bot, headers) = await VoiceClientAsync(mock);
        await using var _ = bot;
        headers["VoiceClient-ID"] = await bot.CreateVoiceClientAsync("818127361712324609");
        using var http = new DiscodoHttp(mock);

        // When
        var reply = await http.SendAsync(route, headers);

        // Then
        reply.AssertSanicError(HttpStatusCode.Forbidden, "VoiceClient ID mismtach.");
    }

    [Test]
    public async Task Route_WithLowerCaseHeaderNames_Answers()
    {
        // Given; Sanic's request.headers is case-insensitive
        await using var mock = await DiscodoMock.StartAsync();
        var (bot, headers) = await VoiceClientAsync(mock);
        await using var _ = bot;
        using var http = new DiscodoHttp(mock);
        var lower = headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value, StringComparer.Ordinal);

        // When
        var queue = await http.SendAsync("GET /queue", lower);

        // Then
        Assert.That(queue.Http, Is.EqualTo(HttpStatusCode.OK), () => queue.Raw);
    }

    [Test]
    public async Task Route_AfterTheBotLeftWithinTheResumeWindow_StillAnswers()
    {
        // Given a bot that disconnected; its manager waits VC_TIMEOUT for a resume (websocket.py waitForBind)
        await using var mock = await DiscodoMock.StartAsync();
        var (bot, headers) = await VoiceClientAsync(mock);
        await bot.Client.CloseAsync();
        await bot.DisposeAsync();
        using var http = new DiscodoHttp(mock);

        // When
        var queue = await http.SendAsync("GET /queue", headers);

        // Then
        Assert.That(queue.Http, Is.EqualTo(HttpStatusCode.OK), () => queue.Raw);
    }

    [Test]
    public async Task Route_AfterTheResumeWindowPassed_Is404ClientManagerNotFound()
    {
        // Given a bot that disconnected, on a fake clock
        var clock = new WatchedClock();
        await using var mock = await DiscodoMock.StartAsync(transcript: new Transcript(clock));
        var (bot, headers) = await VoiceClientAsync(mock);
        await bot.Client.CloseAsync();
        await bot.DisposeAsync();
        using var http = new DiscodoHttp(mock);

        // When the window passes: websocket.py waitForBind deletes the manager from ClientManagers on VC_TIMEOUT. The
        // window counts from when the socket ended, whether or not the mock's handler has unbound the manager yet.
        using (var timeout = Timeouts.Wait())
        {
            while (mock.Connections[0].Ended is null)
            {
                await Task.Delay(1, timeout.Token);
            }
        }

        clock.Advance(mock.Options.ResumeWindow + TimeSpan.FromSeconds(1));
        var queue = await http.SendAsync("GET /queue", headers);

        // Then
        queue.AssertSanicError(HttpStatusCode.NotFound, "ClientManager not found.");
    }

    [Test]
    public async Task Rest_EveryExchange_LandsInTheTranscript()
    {
        // Given
        await using var mock = await DiscodoMock.StartAsync();
        var (bot, headers) = await VoiceClientAsync(mock);
        await using var _ = bot;
        using var http = new DiscodoHttp(mock);

        // When an answer, an empty answer and an error
        var queue = await http.SendAsync("GET /queue", headers);
        await http.SendAsync("POST /pause", headers);
        headers["VoiceClient-ID"] = "not-the-id";
        var mismatch = await http.SendAsync("GET /options", headers);

        // Then each is an HttpExchange, with the route that answered, the request's headers and the answer
        var exchanges = mock.Transcript.Snapshot().OfType<HttpExchange>().ToList();
        Assert.That(exchanges, Has.Count.EqualTo(3));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exchanges.Select(e => $"{e.Method} {e.Path} {e.Status} {e.Route}"), Is.EqualTo(new[]
            {
                "GET /queue 200 queue", "POST /pause 204 pause", "GET /options 403 options",
            }));
            Assert.That(exchanges[0].ResponseBody, Is.EqualTo(queue.Raw));
            Assert.That(exchanges[1].ResponseBody, Is.Null);
            Assert.That(exchanges[2].ResponseBody, Is.EqualTo(mismatch.Raw));
            Assert.That(exchanges[0].RequestHeaders["user-id"], Is.EqualTo(mock.Options.UserId));
            Assert.That(exchanges[2].RequestHeaders["VoiceClient-ID"], Is.EqualTo("not-the-id"));
        }
    }

    /// <summary>An identified bot with a voice client in <see cref="GuildId"/>, and the headers that reach it.</summary>
    private static async Task<(DiscodoBot Bot, Dictionary<string, string?> Headers)> VoiceClientAsync(DiscodoMock mock, int? shardId = null)
    {
        var bot = await DiscodoBot.IdentifyAsync(mock, shardId);
        try
        {
            var id = await bot.CreateVoiceClientAsync(GuildId);
            return (bot, DiscodoHttp.VoiceClientHeaders(mock, bot, GuildId, id));
        }
        catch
        {
            await bot.DisposeAsync();
            throw;
        }
    }
}
