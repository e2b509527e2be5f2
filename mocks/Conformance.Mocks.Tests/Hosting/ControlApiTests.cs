using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Conformance.Mocks.Protocols.ListenMoe;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Tests;

/// <summary>The reserved <c>/_conformance/</c> HTTP API that scripts use to drive a standalone mock.</summary>
[Category("hosting")]
public sealed class ControlApiTests
{
    [Test]
    public async Task GetTranscript_AfterAConversation_ReturnsTheFramesAsAJsonArray()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync();
        await using var client = await HeartbeatTests.ConnectedPastTrackAsync(mock);
        await client.SendTextAsync("""{"op":9}""");
        await client.ReceiveJsonAsync();
        using var http = Http(mock);

        // When
        var entries = await http.GetFromJsonAsync<JsonArray>("/_conformance/transcript");

        // Then
        var frames = entries!.Select(e => e!.AsObject()).Where(e => e["kind"]!.GetValue<string>() == nameof(FrameRecorded)).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(entries![0]!["kind"]!.GetValue<string>(), Is.EqualTo(nameof(ConnectionOpened)));
            Assert.That(frames.Select(f => f["direction"]!.GetValue<string>()), Is.EqualTo(new[] { "server", "server", "client", "server" }));
            Assert.That(frames[2]["text"]!.GetValue<string>(), Is.EqualTo("""{"op":9}"""));
            Assert.That(frames[3]["text"]!.GetValue<string>(), Is.EqualTo("""{"op":10}"""));
        }
    }

    [Test]
    public async Task PostSend_WithTemplate_ReachesTheConnectedClient()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync();
        await using var client = await HeartbeatTests.ConnectedPastTrackAsync(mock);
        using var http = Http(mock);

        // When
        using var response = await PostAsync(http, "/_conformance/send", """{"template":"track_update"}""");
        var pushed = await client.ReceiveJsonAsync();

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("""{"sent":1}"""));
            Assert.That(Op.TypeOf(pushed), Is.EqualTo("TRACK_UPDATE"));
        }
    }

    [Test]
    public async Task PostSend_WithTemplateAndPatch_SendsThePatchedFrame()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync();
        await using var client = await HeartbeatTests.ConnectedPastTrackAsync(mock);
        using var http = Http(mock);

        // When
        using var response = await PostAsync(http, "/_conformance/send",
            """{"template":"current_track","with":{"d":{"event":{"name":"some-event-name","image":"some-image.jpg"}}}}""");
        var pushed = await client.ReceiveJsonAsync();

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(pushed["d"]!["event"]!["name"]!.GetValue<string>(), Is.EqualTo("some-event-name"));
            Assert.That(pushed["d"]!["requester"], Is.Null);
        }
    }

    [Test]
    public async Task PostSend_WithText_ReachesTheConnectedClientVerbatim()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync();
        await using var client = await HeartbeatTests.ConnectedPastTrackAsync(mock);
        using var http = Http(mock);

        // When
        using var response = await PostAsync(http, "/_conformance/send", """{"text":"hello"}""");
        var pushed = await client.ReceiveTextAsync();

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("""{"sent":1}"""));
            Assert.That(pushed, Is.EqualTo("hello"));
        }
    }

    [Test]
    public async Task PostSend_ToOneEndpoint_ReachesOnlyItsConnections()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync();
        await using var jpop = await HeartbeatTests.ConnectedPastTrackAsync(mock);
        await using var kpop = await HeartbeatTests.ConnectedPastTrackAsync(mock, mock.KpopUrl);
        using var http = Http(mock);

        // When: a text to the K-pop gateway, then a heartbeat on the J-pop one as a sentinel
        using var response = await PostAsync(http, "/_conformance/send", """{"endpoint":"kpop","text":"kpop only"}""");
        await jpop.SendTextAsync("""{"op":9}""");

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("""{"sent":1}"""));
            Assert.That(await kpop.ReceiveTextAsync(), Is.EqualTo("kpop only"));
            Assert.That(Op.Of(await jpop.ReceiveJsonAsync()), Is.EqualTo(10), "the J-pop client got nothing before its ack");
        }
    }

    [Test]
    public async Task PostSend_UnknownTemplate_Answers400NamingIt()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync();
        await using var client = await HeartbeatTests.ConnectedPastTrackAsync(mock);
        using var http = Http(mock);

        // When
        using var response = await PostAsync(http, "/_conformance/send", """{"template":"queue_update"}""");

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("queue_update"));
        }
    }

    [Test]
    public async Task PostSend_UnknownTemplateWithNoClientConnected_StillAnswers400()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync();
        using var http = Http(mock);

        // When
        using var response = await PostAsync(http, "/_conformance/send", """{"template":"queue_update"}""");

        // Then: a misspelt template is the script's mistake whether or not a client is connected
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task PostSend_WithoutTextOrTemplate_Answers400()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync();
        using var http = Http(mock);

        // When
        using var response = await PostAsync(http, "/_conformance/send", """{"endpoint":"gateway"}""");

        // Then
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task PostSend_TextThatIsNotAString_Answers400WithoutAMockFault()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync();
        await using var client = await HeartbeatTests.ConnectedPastTrackAsync(mock);
        using var http = Http(mock);

        // When
        using var response = await PostAsync(http, "/_conformance/send", """{"text":5}""");

        // Then: a malformed script request is the script's error, not a fault of the mock
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(mock.Host.Faults, Is.Empty);
        }
    }

    [Test]
    public async Task PostDrop_WithAnOpenConnection_DropsItAndCountsIt()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync();
        await using var client = await HeartbeatTests.ConnectedPastTrackAsync(mock);
        using var http = Http(mock);

        // When
        using var response = await PostAsync(http, "/_conformance/drop", "");
        var abrupt = Assert.ThrowsAsync<System.Net.WebSockets.WebSocketException>(() => client.ReceiveAsync());

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("""{"dropped":1}"""));
            Assert.That(abrupt, Is.Not.Null);
            Assert.That(mock.Transcript.Snapshot().OfType<ConnectionClosed>().Single().By, Is.EqualTo(CloseInitiator.ServerDropped));
        }
    }

    [Test]
    public async Task GetConnections_WithOneClient_ListsItAsOpen()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync();
        await using var client = await HeartbeatTests.ConnectedPastTrackAsync(mock, mock.KpopUrl);
        using var http = Http(mock);

        // When
        var connections = await http.GetFromJsonAsync<JsonArray>("/_conformance/connections");

        // Then
        Assert.That(connections!.ToJsonString(), Is.EqualTo("""[{"id":1,"endpoint":"kpop","transport":"websocket","path":"/kpop/gateway_v2","open":true}]"""));
    }

    [Test]
    public async Task UnknownControlRoute_Answers404()
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync();
        using var http = Http(mock);

        // When
        using var response = await http.GetAsync(new Uri("/_conformance/replay", UriKind.Relative));

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("GET replay"));
        }
    }

    private static HttpClient Http(ListenMoeMock mock) => new() { BaseAddress = mock.HttpUrl, Timeout = TestClient.DefaultTimeout };

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string path, string json) =>
        http.PostAsync(new Uri(path, UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));
}
