using System.Net.WebSockets;
using System.Text.Json;
using Conformance.Mocks.Protocols.PlugDj;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Tests;

/// <summary>
/// Seed 001 §"auth": the first message is <c>auth</c> with the token, sent immediately; success is answered with an
/// <c>ack</c> event (backend_events/ack: p "1"; digest §4: failure is an ack with another value).
/// </summary>
[Category("plugdj")]
public sealed class PlugDjAuthTests
{
    [Test]
    public async Task Auth_WithTheStaticToken_IsAckedWithTheStringOneForTheDashboard()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync(o => o.Token = "some-conformance-token");
        await using var client = await PlugDjSocket.ConnectAsync(mock.Url);

        // When
        await client.SendTextAsync(PlugDjSocket.Auth("some-conformance-token"));
        var frame = await client.ReceiveTextAsync();

        // Then
        var auth = PlugDjSocket.ClientFrame(mock, PlugDjSocket.Auth("some-conformance-token"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(frame, Is.EqualTo("""[{"a":"ack","p":"1","s":"dashboard"}]"""));
            Assert.That(PlugDjSocket.Decisions(auth), Is.Empty, "an accepted auth carries no decision");
            Assert.That(auth.Note, Is.Null);
        }
    }

    [Test]
    public async Task Auth_WhenNumericAck_IsAckedWithTheNumberOne()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync(o => o.NumericAck = true);
        await using var client = await PlugDjSocket.ConnectAsync(mock.Url);

        // When
        await client.SendTextAsync(PlugDjSocket.Auth(mock.Options.Token));
        var ack = await PlugDjSocket.ReceiveSingleEventAsync(client);

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ack["a"]!.GetValue<string>(), Is.EqualTo("ack"));
            Assert.That(ack["p"]!.GetValueKind(), Is.EqualTo(JsonValueKind.Number));
            Assert.That(ack["p"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(ack["s"]!.GetValue<string>(), Is.EqualTo("dashboard"));
        }
    }

    [Test]
    public async Task Auth_WithAnUnknownToken_IsAckedWithZeroAndDecidedRejected()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();
        await using var client = await PlugDjSocket.ConnectAsync(mock.Url);

        // When
        await client.SendTextAsync(PlugDjSocket.Auth("some-unknown-token"));
        var frame = await client.ReceiveTextAsync();

        // Then
        var auth = PlugDjSocket.ClientFrame(mock, PlugDjSocket.Auth("some-unknown-token"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(frame, Is.EqualTo("""[{"a":"ack","p":"0","s":"dashboard"}]"""));
            Assert.That(PlugDjSocket.Decisions(auth), Is.EqualTo(new[] { FrameDecisionKind.AuthRejected }));
            Assert.That(auth.Note, Is.EqualTo("rejected: unknown token"));
        }
    }

    [Test]
    public async Task Auth_WithAnUnknownToken_LeavesTheConnectionUnauthenticated()
    {
        // Given a rejected auth
        await using var mock = await PlugDjMock.StartAsync();
        await using var client = await PlugDjSocket.ConnectAsync(mock.Url);
        await client.SendTextAsync(PlugDjSocket.Auth("some-unknown-token"));
        await PlugDjSocket.ReceiveSingleEventAsync(client);

        // When a chat follows, and then an auth with the right token as a sentinel
        await client.SendTextAsync(PlugDjSocket.Chat("some chat"));
        await client.SendTextAsync(PlugDjSocket.Auth(mock.Options.Token));
        var next = await PlugDjSocket.ReceiveSingleEventAsync(client);

        // Then the chat was not echoed: the retry's ack is the next frame
        using (Assert.EnterMultipleScope())
        {
            Assert.That(next.ToJsonString(), Is.EqualTo("""{"a":"ack","p":"1","s":"dashboard"}"""));
            Assert.That(PlugDjSocket.Decisions(PlugDjSocket.ClientFrame(mock, PlugDjSocket.Chat("some chat"))), Is.EqualTo(new[] { FrameDecisionKind.NotAuthenticated }));
        }
    }

    [Test]
    public async Task Auth_NotSentWithinTheDeadline_IsClosedByTheServerWithAuthTimeoutCode()
    {
        // Given
        var deadline = TimeSpan.FromMilliseconds(300);
        await using var mock = await PlugDjMock.StartAsync(o => o.AuthDeadline = deadline);

        // When the client sends nothing
        await using var client = await PlugDjSocket.ConnectAsync(mock.Url);
        var code = await client.ReceiveCloseAsync();

        // Then
        var entries = mock.Transcript.Snapshot();
        var opened = entries.OfType<ConnectionOpened>().Single();
        var closed = entries.OfType<ConnectionClosed>().Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That((int?)code, Is.EqualTo(1008));
            Assert.That(code, Is.EqualTo(WebSocketCloseStatus.PolicyViolation));
            Assert.That(closed.By, Is.EqualTo(CloseInitiator.Server));
            Assert.That(closed.Code, Is.EqualTo(mock.Options.AuthTimeoutCode));

            // The deadline is a timer; allow for the coarse timer clock firing a few milliseconds early.
            Assert.That(closed.At - opened.At, Is.GreaterThanOrEqualTo(deadline - TimeSpan.FromMilliseconds(20)));
            Assert.That(entries.OfType<FrameRecorded>(), Is.Empty, "nothing was sent before the close");
        }
    }

    [Test]
    public async Task Auth_WithAnotherAuthTimeoutCode_ClosesWithThatCode()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync(o =>
        {
            o.AuthDeadline = TimeSpan.FromMilliseconds(100);
            o.AuthTimeoutCode = 4003;
        });

        // When
        await using var client = await PlugDjSocket.ConnectAsync(mock.Url);
        var code = await client.ReceiveCloseAsync();

        // Then
        Assert.That((int?)code, Is.EqualTo(4003));
    }

    [Test]
    public async Task Auth_SentInTime_KeepsTheConnectionOpenPastTheDeadline()
    {
        // Given a short deadline and a keep-alive that falls after it
        var deadline = TimeSpan.FromMilliseconds(200);
        await using var mock = await PlugDjMock.StartAsync(o =>
        {
            o.AuthDeadline = deadline;
            o.KeepAliveAfter = TimeSpan.FromMilliseconds(400);
        });

        // When
        await using var client = await PlugDjSocket.AuthenticatedAsync(mock);
        var next = await client.ReceiveTextAsync();

        // Then the next frame is the keep-alive, sent after the deadline, not a close
        var entries = mock.Transcript.Snapshot();
        var opened = entries.OfType<ConnectionOpened>().Single();
        var h = entries.OfType<FrameRecorded>().Last(f => f.Direction == Direction.ServerToClient);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(next, Is.EqualTo("h"));
            Assert.That(h.At - opened.At, Is.GreaterThan(deadline));
            Assert.That(entries.OfType<ConnectionClosed>(), Is.Empty);
        }
    }

    [Test]
    public async Task Chat_BeforeAuth_IsIgnoredAndDecidedNotAuthenticated()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();
        await using var client = await PlugDjSocket.ConnectAsync(mock.Url);

        // When a chat comes first, then the auth
        await client.SendTextAsync(PlugDjSocket.Chat("too early"));
        await client.SendTextAsync(PlugDjSocket.Auth(mock.Options.Token));
        var first = await PlugDjSocket.ReceiveSingleEventAsync(client);

        // Then no echo came before the ack
        var chat = PlugDjSocket.ClientFrame(mock, PlugDjSocket.Chat("too early"));
        var auth = PlugDjSocket.ClientFrame(mock, PlugDjSocket.Auth(mock.Options.Token));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first["a"]!.GetValue<string>(), Is.EqualTo("ack"));
            Assert.That(first["p"]!.GetValue<string>(), Is.EqualTo("1"));
            Assert.That(PlugDjSocket.Decisions(chat), Is.EqualTo(new[] { FrameDecisionKind.NotAuthenticated }));
            Assert.That(chat.Note, Is.EqualTo("ignored: chat before auth"));
            Assert.That(chat.Index, Is.LessThan(auth.Index));
            Assert.That(
                PlugDjSocket.Frames(mock).Count(f => f.Direction == Direction.ServerToClient && f.Index < auth.Index),
                Is.Zero,
                "nothing answered the early chat");
        }
    }

    [Test]
    public async Task Auth_Twice_SecondIsIgnoredAndDecidedAlreadyAuthenticated()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync(o => o.ChatRefill = TimeSpan.Zero);
        await using var client = await PlugDjSocket.AuthenticatedAsync(mock);

        // When a second auth, then a chat as a sentinel
        await client.SendTextAsync(PlugDjSocket.Auth("again"));
        await client.SendTextAsync(PlugDjSocket.Chat("sentinel"));
        var next = await PlugDjSocket.ReceiveSingleEventAsync(client);

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(next["a"]!.GetValue<string>(), Is.EqualTo("chat"), "no second ack");
            var again = PlugDjSocket.ClientFrame(mock, PlugDjSocket.Auth("again"));
            Assert.That(PlugDjSocket.Decisions(again), Is.EqualTo(new[] { FrameDecisionKind.AlreadyAuthenticated }));
            Assert.That(again.Note, Is.EqualTo("ignored: action 'auth'"));
        }
    }

    [TestCase("not json")]
    [TestCase("""["auth","conformance-static-token"]""")]
    [TestCase("""{"p":"conformance-static-token"}""")]
    public async Task Auth_Malformed_IsIgnoredAndDecidedMalformed(string text)
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();
        await using var client = await PlugDjSocket.ConnectAsync(mock.Url);

        // When a malformed frame, then a good auth as a sentinel
        await client.SendTextAsync(text);
        await client.SendTextAsync(PlugDjSocket.Auth(mock.Options.Token));
        var first = await PlugDjSocket.ReceiveSingleEventAsync(client);

        // Then the malformed frame got no answer and the auth still succeeds
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.ToJsonString(), Is.EqualTo("""{"a":"ack","p":"1","s":"dashboard"}"""));
            var malformed = PlugDjSocket.ClientFrame(mock, text);
            Assert.That(PlugDjSocket.Decisions(malformed), Is.EqualTo(new[] { FrameDecisionKind.Malformed }));
            Assert.That(malformed.Note, Is.EqualTo("ignored: not an {a, p, t} object"));
        }
    }
}
