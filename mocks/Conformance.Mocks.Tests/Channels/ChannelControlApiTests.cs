using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Tests.Channels;

/// <summary>The control API reaches channels of both transports: one by id, binary payloads, UDP peers listed.</summary>
[Category("hosting")]
public sealed class ChannelControlApiTests
{
    [Test]
    public async Task PostSend_HexToAUdpChannel_ArrivesAsOneDatagramAndIsRecorded()
    {
        // Given: a connection (channel 1) and a UDP peer (channel 2)
        await using var mock = await EchoMock.StartAsync();
        await using var client = await UdpTimelineTests.EchoedConnectionAsync(mock);
        using var udp = await UdpTimelineTests.EchoedPeerAsync(mock);
        using var http = Http(mock);

        // When
        using var response = await PostAsync(http, """{"channel":2,"hex":"0xCAFE00"}""");
        var datagram = await udp.ReceiveAsync();

        // Then
        var recorded = mock.Transcript.Snapshot().OfType<DatagramRecorded>().Last();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("""{"sent":1}"""));
            Assert.That(datagram, Is.EqualTo(new byte[] { 0xCA, 0xFE, 0x00 }));
            Assert.That((recorded.Channel, recorded.Direction, recorded.Display), Is.EqualTo((2, Direction.ServerToClient, "0xCAFE00")));
        }
    }

    [Test]
    public async Task PostSend_Base64ToAWebSocketChannel_ArrivesAsABinaryFrame()
    {
        // Given: two connections, channels 1 and 2
        await using var mock = await EchoMock.StartAsync();
        await using var first = await UdpTimelineTests.EchoedConnectionAsync(mock);
        await using var second = await UdpTimelineTests.EchoedConnectionAsync(mock);
        using var http = Http(mock);

        // When: bytes to channel 2 only, then a text to every connection as a sentinel
        using var response = await PostAsync(http, """{"channel":2,"base64":"AQID"}""");
        using var sentinel = await PostAsync(http, """{"text":"sentinel"}""");
        var binary = await second.ReceiveAsync();
        var firstGets = await first.ReceiveTextAsync();

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("""{"sent":1}"""));
            Assert.That(binary.Type, Is.EqualTo(WebSocketMessageType.Binary));
            Assert.That(binary.Payload, Is.EqualTo(new byte[] { 1, 2, 3 }));
            Assert.That(firstGets, Is.EqualTo("sentinel"));
        }
    }

    [Test]
    public async Task PostSend_TextToAUdpEndpoint_ReachesItsPeersAsUtf8()
    {
        // Given
        await using var mock = await EchoMock.StartAsync();
        await using var client = await UdpTimelineTests.EchoedConnectionAsync(mock);
        using var udp = await UdpTimelineTests.EchoedPeerAsync(mock);
        using var http = Http(mock);

        // When
        using var response = await PostAsync(http, """{"endpoint":"audio","text":"é"}""");
        var datagram = await udp.ReceiveAsync();

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("""{"sent":1}"""));
            Assert.That(datagram, Is.EqualTo(Encoding.UTF8.GetBytes("é")));
        }
    }

    [Test]
    public async Task PostSend_TemplateToOneConnection_RendersItForThatConnection()
    {
        // Given
        await using var mock = await EchoMock.StartAsync();
        await using var first = await UdpTimelineTests.EchoedConnectionAsync(mock);
        using var udp = await UdpTimelineTests.EchoedPeerAsync(mock);
        await using var third = await UdpTimelineTests.EchoedConnectionAsync(mock);
        using var http = Http(mock);

        // When
        using var response = await PostAsync(http, """{"channel":3,"template":"hello"}""");
        var frame = await third.ReceiveTextAsync();

        // Then
        Assert.That(frame, Is.EqualTo("""{"hello":3}"""));
    }

    [TestCase("""{"channel":9,"text":"x"}""", HttpStatusCode.NotFound, "no channel 9 (channels: 1, 2)")]
    [TestCase("""{"channel":1,"hex":"ABC"}""", HttpStatusCode.BadRequest, "'hex' is not an even number of hexadecimal digits: 'ABC'")]
    [TestCase("""{"channel":1,"base64":"not base64!"}""", HttpStatusCode.BadRequest, "'base64' is not base64")]
    [TestCase("""{"channel":1,"text":"x","hex":"00"}""", HttpStatusCode.BadRequest, "exactly one of")]
    [TestCase("""{"channel":1,"endpoint":"audio","text":"x"}""", HttpStatusCode.BadRequest, "at most one of")]
    [TestCase("""{"channel":"1","text":"x"}""", HttpStatusCode.BadRequest, "an integer 'channel'")]
    public async Task PostSend_WithABadTargetOrPayload_AnswersWhy(string body, HttpStatusCode status, string message)
    {
        // Given
        await using var mock = await EchoMock.StartAsync();
        await using var client = await UdpTimelineTests.EchoedConnectionAsync(mock);
        using var udp = await UdpTimelineTests.EchoedPeerAsync(mock);
        using var http = Http(mock);
        var before = mock.Transcript.Count;

        // When
        using var response = await PostAsync(http, body);

        // Then: nothing was sent
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(status));
            Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain(message));
            Assert.That(mock.Transcript.Snapshot().Skip(before).OfType<DatagramRecorded>(), Is.Empty);
            Assert.That(mock.Transcript.Snapshot().Skip(before).OfType<FrameRecorded>(), Is.Empty);
        }
    }

    [Test]
    public async Task GetConnections_WithAConnectionAndAPeer_ListsBothWithTheirTransport()
    {
        // Given
        await using var mock = await EchoMock.StartAsync();
        await using var client = await UdpTimelineTests.EchoedConnectionAsync(mock);
        using var udp = await UdpTimelineTests.EchoedPeerAsync(mock);
        using var http = Http(mock);

        // When
        var channels = await http.GetFromJsonAsync<JsonArray>("/_conformance/connections");

        // Then
        Assert.That(channels!.ToJsonString(), Is.EqualTo(
            $$"""[{"id":1,"endpoint":"control","transport":"websocket","path":"/control","open":true},""" +
            $$"""{"id":2,"endpoint":"audio","transport":"udp","remote":"{{udp.LocalEndPoint}}","open":true}]"""));
    }

    [Test]
    public async Task PostDrop_WithAPeer_EndsItToo()
    {
        // Given
        await using var mock = await EchoMock.StartAsync();
        await using var client = await UdpTimelineTests.EchoedConnectionAsync(mock);
        using var udp = await UdpTimelineTests.EchoedPeerAsync(mock);
        using var http = Http(mock);

        // When
        using var response = await http.PostAsync(new Uri("/_conformance/drop", UriKind.Relative), null);

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("""{"dropped":2}"""));
            Assert.That(mock.Channels.Select(c => c.IsOpen), Is.All.False);
        }
    }

    private static HttpClient Http(EchoMock mock) => new() { BaseAddress = mock.HttpUrl, Timeout = TestClient.DefaultTimeout };

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string json) =>
        http.PostAsync(new Uri("/_conformance/send", UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));
}
