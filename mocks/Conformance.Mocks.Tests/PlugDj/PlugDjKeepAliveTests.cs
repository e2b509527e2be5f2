using Conformance.Mocks.Protocols.PlugDj;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Tests;

/// <summary>
/// Seed 001 §The h Message: the bare one-character frame <c>h</c> keeps the link alive; digest §3: it comes after a
/// silence of the server, and any frame the server sends resets that timer. Times compared here all come from the
/// transcript's clock, against which the mock waits.
/// </summary>
[Category("plugdj")]
public sealed class PlugDjKeepAliveTests
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromMilliseconds(150);

    [Test]
    public async Task KeepAlive_AfterServerSilence_IsTheBareLetterH()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync(o => o.KeepAliveAfter = KeepAlive);
        await using var client = await PlugDjSocket.AuthenticatedAsync(mock);

        // When
        var first = await client.ReceiveTextAsync();
        var second = await client.ReceiveTextAsync();

        // Then
        var sent = ServerFrames(mock);
        using (Assert.EnterMultipleScope())
        {
            Assert.That((first, second), Is.EqualTo(("h", "h")));
            Assert.That(sent.Select(f => f.Text), Is.EqualTo(new[] { """[{"a":"ack","p":"1","s":"dashboard"}]""", "h", "h" }));
            Assert.That(sent[1].At - sent[0].At, Is.GreaterThanOrEqualTo(KeepAlive), "first h comes a full interval after the ack");
            Assert.That(sent[2].At - sent[1].At, Is.GreaterThanOrEqualTo(KeepAlive), "the next h a full interval after the first");
        }
    }

    [Test]
    public async Task KeepAlive_BeforeAuth_IsSentAfterTheSilenceSinceTheOpen()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync(o => o.KeepAliveAfter = KeepAlive);

        // When the client only listens
        await using var client = await PlugDjSocket.ConnectAsync(mock.Url);
        var first = await client.ReceiveTextAsync();

        // Then
        var opened = mock.Transcript.Snapshot().OfType<ConnectionOpened>().Single();
        var h = ServerFrames(mock).Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first, Is.EqualTo("h"));
            Assert.That(h.At - opened.At, Is.GreaterThanOrEqualTo(KeepAlive));
        }
    }

    [Test]
    public async Task KeepAlive_AfterAnyServerFrame_WaitsAFullIntervalAgain()
    {
        // Given a keep-alive has just arrived
        await using var mock = await PlugDjMock.StartAsync(o => o.KeepAliveAfter = KeepAlive);
        await using var client = await PlugDjSocket.AuthenticatedAsync(mock);
        Assert.That(await client.ReceiveTextAsync(), Is.EqualTo("h"));

        // When, half an interval later (so the old timer would fire half an interval after the event), an event is sent
        await Task.Delay(KeepAlive / 2);
        var sent = await mock.SendTemplateAsync(mock.LatestConnection!, "vote");
        var vote = await PlugDjSocket.ReceiveSingleEventAsync(client);
        var next = await client.ReceiveTextAsync();

        // Then the next h comes a full interval after the event, not after the previous h
        var frames = ServerFrames(mock);
        var voteFrame = frames.Single(f => f.Text!.Contains("\"a\":\"vote\"", StringComparison.Ordinal));
        var afterVote = frames.First(f => f.Index > voteFrame.Index);
        var beforeVote = frames.Last(f => f.Index < voteFrame.Index);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sent, Is.True);
            Assert.That(vote["a"]!.GetValue<string>(), Is.EqualTo("vote"));
            Assert.That(next, Is.EqualTo("h"));
            Assert.That(beforeVote.Text, Is.EqualTo("h"));
            Assert.That(afterVote.Text, Is.EqualTo("h"));
            Assert.That(afterVote.At - voteFrame.At, Is.GreaterThanOrEqualTo(KeepAlive));
        }
    }

    [Test]
    public async Task KeepAlive_AfterAChatEcho_WaitsAFullIntervalAgain()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync(o => o.KeepAliveAfter = KeepAlive);
        await using var client = await PlugDjSocket.AuthenticatedAsync(mock);

        // When
        await client.SendTextAsync(PlugDjSocket.Chat("hello"));
        var echo = await PlugDjSocket.ReceiveSingleEventAsync(client);
        var next = await client.ReceiveTextAsync();

        // Then
        var frames = ServerFrames(mock);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(echo["a"]!.GetValue<string>(), Is.EqualTo("chat"));
            Assert.That(next, Is.EqualTo("h"));
            Assert.That(frames[^2].Text, Does.Contain("\"a\":\"chat\""), "the echo is the frame before the h");
            Assert.That(frames[^1].At - frames[^2].At, Is.GreaterThanOrEqualTo(KeepAlive));
        }
    }

    [Test]
    public async Task KeepAlive_AfterSilenceAfter_StopsWhileTheConnectionStaysOpen()
    {
        // Given h every 100 ms, silence from 250 ms, and an auth deadline that closes the connection at 1 s
        var keepAlive = TimeSpan.FromMilliseconds(100);
        var silence = TimeSpan.FromMilliseconds(250);
        var deadline = TimeSpan.FromSeconds(1);
        await using var mock = await PlugDjMock.StartAsync(o =>
        {
            o.KeepAliveAfter = keepAlive;
            o.SilenceAfter = silence;
            o.AuthDeadline = deadline;
        });

        // When the client only listens until the server closes
        await using var client = await PlugDjSocket.ConnectAsync(mock.Url);
        var received = new List<string>();
        while (true)
        {
            var message = await client.ReceiveAsync();
            if (message.Type == System.Net.WebSockets.WebSocketMessageType.Close)
            {
                break;
            }

            received.Add(message.Text);
        }

        // Then there were keep-alives at first, and none in the long stretch between the silence and the close
        var entries = mock.Transcript.Snapshot();
        var opened = entries.OfType<ConnectionOpened>().Single();
        var closed = entries.OfType<ConnectionClosed>().Single();
        var hs = ServerFrames(mock);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(received, Is.Not.Empty.And.All.EqualTo("h"));
            Assert.That(hs, Has.Count.EqualTo(received.Count));
            Assert.That(hs.Select(h => h.At - opened.At), Has.All.LessThan(silence + keepAlive), "no h once the silence began");
            Assert.That(closed.At - hs[^1].At, Is.GreaterThan(4 * keepAlive), "several intervals passed without an h");
        }
    }

    private static List<FrameRecorded> ServerFrames(PlugDjMock mock) =>
        [.. PlugDjSocket.Frames(mock).Where(f => f.Direction == Direction.ServerToClient)];
}
