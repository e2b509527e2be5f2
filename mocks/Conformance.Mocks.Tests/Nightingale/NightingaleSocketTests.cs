using System.Net;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Conformance.Mocks.Protocols.Nightingale;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Tests;

/// <summary>
/// Opening a Nightingale socket (AlvaroMS25/nightingale src/api/websocket.rs connect, src/api/layers/auth.rs): the
/// password on the upgrade, the <c>/ws</c> query as axum's Query extractor takes it, the first frame, and the seed-era
/// server's stricter query; and the dialect option.
/// </summary>
[Category("nightingale")]
public sealed class NightingaleSocketTests
{
    [TestCase(null)]
    [TestCase("not-the-password")]
    [TestCase("Basic bXlwYXNzd29yZA==")]
    public async Task Upgrade_WithoutOrWithAWrongAuthorization_Is401WithTheBasicChallengeAndNoBody(string? authorization)
    {
        // Given
        await using var mock = await NightingaleMock.StartAsync();
        using var http = new NightingaleHttp(mock);

        // When
        var reply = await http.UpgradeAsync($"/ws?user_id={mock.Options.UserId}", authorization);

        // Then auth.rs: the raw header must equal the password, else 401, Body::empty(), the challenge
        reply.AssertUnauthorized();
        var refused = mock.Transcript.Snapshot().OfType<ConnectionRefused>().Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.Status, Is.EqualTo(401));
            Assert.That(mock.Connections, Is.Empty);
        }
    }

    [Test]
    public async Task Upgrade_WithAWrongPassword_ClientWebSocketSees401AndTheChallenge()
    {
        // Given
        await using var mock = await NightingaleMock.StartAsync();
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Authorization", mock.Options.Password + "x");

        // When
        using var timeout = Timeouts.Wait();
        var connecting = socket.ConnectAsync(new Uri(mock.Url + "?user_id=" + mock.Options.UserId), timeout.Token);

        // Then
        Assert.ThrowsAsync<WebSocketException>(async () => await connecting);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(socket.HttpStatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(socket.HttpResponseHeaders?["WWW-Authenticate"], Is.EqualTo(new[] { NightingaleReply.Challenge }));
        }
    }

    [Test]
    public async Task Upgrade_ToResumeWithoutThePassword_Is401BeforeTheSessionIdIsRead()
    {
        // Given an id that is not a uuid, which would be a 400 with the password
        await using var mock = await NightingaleMock.StartAsync();
        using var http = new NightingaleHttp(mock);

        // When
        var reply = await http.UpgradeAsync("/ws/resume/not-a-uuid", null);

        // Then the auth layer wraps the whole router
        reply.AssertUnauthorized();
    }

    [Test]
    public async Task Connect_WithThePassword_FirstFrameIsReadyWithANewSessionAndNoPlayers()
    {
        // Given
        await using var mock = await NightingaleMock.StartAsync();

        // When
        await using var client = await NightingaleSocket.ConnectAsync(mock, $"/ws?user_id={mock.Options.UserId}");
        var first = await client.ReceiveTextAsync();

        // Then ready.rs: session and resumed, players skipped when None
        var ready = JsonNode.Parse(first)!;
        var session = ready["data"]?["session"]?.GetValue<string>();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Guid.TryParse(session, out _), Is.True, () => first);
            Assert.That(first, Is.EqualTo(NightingaleSocket.Fill("""{"op":"ready","data":{"session":"<session>","resumed":false}}""", ("session", session!))));
            Assert.That(mock.Transcript.Snapshot().OfType<ConnectionOpened>().Single().Headers["Authorization"], Is.EqualTo(mock.Options.Password));
        }
    }

    [TestCase("", "missing field `user_id`")]
    [TestCase("?shards=1", "missing field `user_id`")]
    [TestCase("?user_id=0", "invalid value: integer `0`, expected a nonzero u64")]
    [TestCase("?user_id=abc", "invalid digit found in string")]
    [TestCase("?user_id=-5", "invalid digit found in string")]
    public async Task Connect_WithABadUserId_Is400WithAxumsQueryRejection(string query, string problem)
    {
        // Given
        await using var mock = await NightingaleMock.StartAsync();
        using var http = new NightingaleHttp(mock);

        // When
        var reply = await http.UpgradeAsync("/ws" + query, mock.Options.Password);

        // Then ConnectQuery { user_id: NonZeroU64 }: axum's FailedToDeserializeQueryString, as plain text
        reply.AssertText(HttpStatusCode.BadRequest, "Failed to deserialize query string: " + problem);
        Assert.That(mock.Transcript.Snapshot().OfType<ConnectionRefused>().Single().Status, Is.EqualTo(400));
    }

    [Test]
    public async Task Connect_WithoutShards_IsAcceptedByTheCurrentServer()
    {
        // Given the current server, whose ConnectQuery has only user_id
        await using var mock = await NightingaleMock.StartAsync();

        // When
        await using var client = await NightingaleSocket.ConnectAsync(mock, $"/ws?user_id={mock.Options.UserId}");
        var ready = await client.ReceiveJsonAsync();

        // Then
        Assert.That(ready["op"]?.GetValue<string>(), Is.EqualTo("ready"));
    }

    [Test]
    public async Task Connect_WithoutShards_IsRefusedByTheSeedServer()
    {
        // Given the seed-era server (674652a): ConnectQuery { shards: u64, user_id: NonZeroU64 }
        await using var mock = await NightingaleMock.StartAsync(o => o.Dialect = "seed");
        using var http = new NightingaleHttp(mock);

        // When
        var reply = await http.UpgradeAsync($"/ws?user_id={mock.Options.UserId}", mock.Options.Password);

        // Then
        reply.AssertText(HttpStatusCode.BadRequest, "Failed to deserialize query string: missing field `shards`");
    }

    [Test]
    public async Task Connect_WithShardsOnTheSeedServer_IsReadyWithoutPlayers()
    {
        // Given
        await using var mock = await NightingaleMock.StartAsync(o => o.Dialect = "seed");

        // When
        await using var client = await NightingaleSocket.ConnectAsync(mock, NightingaleSocket.NewSessionPath(mock));
        var first = await client.ReceiveTextAsync();

        // Then the seed-era Ready { session, resumed }
        var session = JsonNode.Parse(first)!["data"]!["session"]!.GetValue<string>();
        Assert.That(first, Is.EqualTo(NightingaleSocket.Fill("""{"op":"ready","data":{"session":"<session>","resumed":false}}""", ("session", session!))));
    }

    [Test]
    public async Task Connect_WithoutAnyQueryOnTheSeedServer_ReportsShardsMissingFirst()
    {
        // Given the seed-era ConnectQuery, whose fields are declared shards then user_id; serde's derived visit_map
        // checks missing fields in declaration order once the map is read
        await using var mock = await NightingaleMock.StartAsync(o => o.Dialect = "seed");
        using var http = new NightingaleHttp(mock);

        // When
        var reply = await http.UpgradeAsync("/ws", mock.Options.Password);

        // Then
        reply.AssertText(HttpStatusCode.BadRequest, "Failed to deserialize query string: missing field `shards`");
    }

    [Test]
    public async Task Connect_WithAnEmptyUserId_Is400CannotParseIntegerFromEmptyString()
    {
        // Given
        await using var mock = await NightingaleMock.StartAsync();
        using var http = new NightingaleHttp(mock);

        // When
        var reply = await http.UpgradeAsync("/ws?user_id=", mock.Options.Password);

        // Then serde_urlencoded parses the value with str::parse::<u64>, whose ParseIntError (IntErrorKind::Empty) reads so
        reply.AssertText(HttpStatusCode.BadRequest, "Failed to deserialize query string: cannot parse integer from empty string");
    }

    [TestCase("legacy")]
    [TestCase("")]
    public void StartAsync_WithAnUnknownDialect_ThrowsArgumentExceptionNamingTheAllowedValues(string dialect)
    {
        // Given / When
        var thrown = Assert.ThrowsAsync<ArgumentException>(async () =>
        {
            await using var mock = await NightingaleMock.StartAsync(o => o.Dialect = dialect);
        });

        // Then
        Assert.That(thrown!.Message, Does.Contain($"'{dialect}'").And.Contain("current, seed"));
    }
}
