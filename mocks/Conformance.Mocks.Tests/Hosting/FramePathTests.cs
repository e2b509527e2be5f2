using System.Net;
using System.Text;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Protocols.ListenMoe;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Tests;

/// <summary>
/// The mock's send path under load: <c>count</c> on <c>POST /_conformance/send</c>, one payload shared by every copy
/// and every transcript entry of a fan-out, and replies to the client that go ahead of a backlog of broadcasts.
/// Real sockets on 127.0.0.1.
/// </summary>
[Category("hosting")]
public sealed class FramePathTests
{
    private const string Frame = """{"op":1,"t":"TRACK_UPDATE","d":{"bench":1}}""";

    [Test]
    public async Task PostSend_WithCount_EveryConnectionGetsTheFrameThatManyTimesAndEveryEntrySharesOneText()
    {
        // Given two clients past the welcome and the current track
        await using var mock = await ListenMoeMock.StartAsync();
        await using var first = await HeartbeatTests.ConnectedPastTrackAsync(mock);
        await using var second = await HeartbeatTests.ConnectedPastTrackAsync(mock);
        using var http = new HttpClient { BaseAddress = mock.HttpUrl, Timeout = TestClient.DefaultTimeout };
        var before = mock.Transcript.Count;

        // When one request asks for 50 copies
        using var response = await http.PostAsync(
            new Uri("/_conformance/send", UriKind.Relative),
            new StringContent($$"""{"text":{{System.Text.Json.JsonSerializer.Serialize(Frame)}},"count":50}""", Encoding.UTF8, "application/json"));
        var firstGot = new List<string>();
        var secondGot = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            firstGot.Add(await first.ReceiveTextAsync());
            secondGot.Add(await second.ReceiveTextAsync());
        }

        // Then both got 50 copies, the answer counts 100 frames, and the 100 entries hold one and the same string
        var sent = mock.Transcript.Snapshot().Skip(before).OfType<FrameRecorded>().Where(f => f.Direction == Direction.ServerToClient).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("""{"sent":100}"""));
            Assert.That(firstGot, Has.Count.EqualTo(50).And.All.EqualTo(Frame));
            Assert.That(secondGot, Has.Count.EqualTo(50).And.All.EqualTo(Frame));
            Assert.That(sent, Has.Count.EqualTo(100));
            Assert.That(sent.Select(f => f.Text).Distinct(ReferenceEqualityComparer.Instance).Count(), Is.EqualTo(1), "recorded without a copy per connection or per frame");
        }
    }

    [TestCase("0")]
    [TestCase("100001")]
    [TestCase("\"5\"")]
    [TestCase("1.5")]
    public async Task PostSend_WithACountOutOfRange_IsRefusedAndNothingIsSent(string count)
    {
        // Given
        await using var mock = await ListenMoeMock.StartAsync();
        await using var client = await HeartbeatTests.ConnectedPastTrackAsync(mock);
        using var http = new HttpClient { BaseAddress = mock.HttpUrl, Timeout = TestClient.DefaultTimeout };
        var before = mock.Transcript.Count;

        // When
        using var response = await http.PostAsync(
            new Uri("/_conformance/send", UriKind.Relative), new StringContent($$"""{"text":"x","count":{{count}}}""", Encoding.UTF8, "application/json"));

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("'count' from 1 to 100000"));
            Assert.That(mock.Transcript.Snapshot().Skip(before).OfType<FrameRecorded>(), Is.Empty);
        }
    }

    [Test]
    public async Task HeartbeatAck_WhileBroadcastsWaitOnTheConnection_GoesOutAheadOfThem()
    {
        // Given a client that is not reading, with far more broadcast frames waiting on its connection than its socket
        // buffers hold (200 broadcasts of 64 KiB, each its own sender)
        await using var mock = await ListenMoeMock.StartAsync();
        await using var client = await HeartbeatTests.ConnectedPastTrackAsync(mock);
        var connection = mock.Connections[0];
        var payload = "{\"op\":1,\"t\":\"TRACK_UPDATE\",\"d\":{\"pad\":\"" + new string('x', 64 * 1024) + "\"}}";
        var broadcasts = Enumerable.Range(0, 200).Select(_ => mock.BroadcastAsync(payload)).ToList();
        await WaitUntilAsync(() => connection.SendsWaiting >= 50);

        // When the client beats, then reads everything
        await client.SendTextAsync("""{"op":9}""");
        var ops = new List<int>();
        while (ops.Count < 201)
        {
            ops.Add(Op.Of(await client.ReceiveJsonAsync()));
        }

        await Task.WhenAll(broadcasts).WaitAsync(TestClient.DefaultTimeout);

        // Then the ack came before the broadcasts that were still waiting when the beat arrived
        var ackAt = ops.IndexOf(10);
        Assert.That(ackAt, Is.GreaterThanOrEqualTo(0), "the beat was answered");
        Assert.That(ops.Count - 1 - ackAt, Is.GreaterThanOrEqualTo(40), $"broadcast frames after the ack (it was frame {ackAt} of {ops.Count})");
    }

    [Test]
    public async Task SendGate_ReplyWaiting_IsServedBeforeEarlierOthersAndTheLanesKeepTheirOrder()
    {
        // Given a held gate with two others and then two replies waiting
        var gate = new SendGate();
        await gate.WaitAsync(reply: false);
        var order = new List<string>();
        var waiters = new[] { ("other 1", false), ("other 2", false), ("reply 1", true), ("reply 2", true) }
            .Select(w => (w.Item1, Task: gate.WaitAsync(w.Item2))).ToList();

        // When the gate is released as each holder finishes
        for (var i = 0; i < waiters.Count; i++)
        {
            gate.Release();
            var next = await Task.WhenAny(waiters.Where(w => !order.Contains(w.Item1)).Select(w => w.Task)).WaitAsync(TestClient.DefaultTimeout);
            order.Add(waiters.Single(w => w.Task == next).Item1);
        }

        gate.Release();

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(order, Is.EqualTo(new[] { "reply 1", "reply 2", "other 1", "other 2" }));
            Assert.That(gate.Waiting, Is.Zero);
            Assert.That(gate.WaitAsync(reply: false).IsCompleted, Is.True, "free once every holder released it");
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TestClient.DefaultTimeout);
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
