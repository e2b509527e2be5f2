using System.Text.Json;
using Conformance.Mocks.Protocols.PlugDj;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Tests;

/// <summary>
/// Seed 001 §"chat": the server echoes accepted chat as a <c>chat</c> event (digest §3), HTML-escaped (events/chat);
/// chat sent too quickly or holding a newline is dropped silently, which the mock records on the frame.
/// </summary>
[Category("plugdj")]
public sealed class PlugDjChatTests
{
    [Test]
    public async Task Chat_AfterAuth_IsEchoedAsAChatEventForTheRoomWithTheMessageHtmlEscaped()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();
        await using var client = await PlugDjSocket.AuthenticatedAsync(mock);

        // When
        await client.SendTextAsync(PlugDjSocket.Chat("<b>bold</b> & co"));
        var echo = await PlugDjSocket.ReceiveSingleEventAsync(client);

        // Then
        var p = echo["p"]!.AsObject();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(echo["a"]!.GetValue<string>(), Is.EqualTo("chat"));
            Assert.That(echo["s"]!.GetValue<string>(), Is.EqualTo("tastycat"));
            Assert.That(p["message"]!.GetValue<string>(), Is.EqualTo("&lt;b&gt;bold&lt;/b&gt; &amp; co"));
            Assert.That(p["uid"]!.GetValue<int>(), Is.EqualTo(5398));
            Assert.That(p["un"]!.GetValue<string>(), Is.Not.Empty);
            Assert.That(p["cid"]!.GetValue<string>(), Does.Match("^5398-[0-9]+$"), "cid is <uid>-<ms>");
            Assert.That(p["sub"]!.GetValue<int>(), Is.Zero);
            Assert.That(PlugDjSocket.Decisions(PlugDjSocket.ClientFrame(mock, PlugDjSocket.Chat("<b>bold</b> & co"))), Is.Empty);
        }
    }

    [TestCase(0)]
    [TestCase(3)]
    public async Task Chat_Echo_ItsCidDoesNotDependOnHowManyEventsWereBuiltBefore(int eventsBefore)
    {
        // Given a client, and scripted events built before its chat (or none): which comes first is a race in a scenario
        await using var mock = await PlugDjMock.StartAsync();
        await using var client = await PlugDjSocket.AuthenticatedAsync(mock);
        for (var i = 0; i < eventsBefore; i++)
        {
            mock.RenderTemplate("advance", null);
        }

        // When
        await client.SendTextAsync(PlugDjSocket.Chat("hi"));
        var echo = await PlugDjSocket.ReceiveSingleEventAsync(client);

        // Then the client's first echoed chat has the same cid either way
        Assert.That(echo["p"]!["cid"]!.GetValue<string>(), Is.EqualTo("5398-1437829673001"));
    }

    [Test]
    public async Task Chat_Echo_CarriesTheLoggedInUsersNameAndTheConfiguredRoom()
    {
        // Given a client logged in over REST that knows its own user
        await using var mock = await PlugDjMock.StartAsync(o => o.Room = "some-room");
        using var http = new PlugDjHttp(mock);
        await http.LogInAsync(mock);
        var me = (await http.GetAsync("/_/users/me")).Data[0]!;
        await using var client = await PlugDjSocket.AuthenticatedAsync(mock);

        // When
        await client.SendTextAsync(PlugDjSocket.Chat("hello"));
        var echo = await PlugDjSocket.ReceiveSingleEventAsync(client);

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(echo["s"]!.GetValue<string>(), Is.EqualTo("some-room"));
            Assert.That(echo["p"]!["un"]!.GetValue<string>(), Is.EqualTo(me["username"]!.GetValue<string>()));
            Assert.That(echo["p"]!["uid"]!.GetValue<int>(), Is.EqualTo(me["id"]!.GetValue<int>()));
            Assert.That(echo["p"]!["message"]!.GetValue<string>(), Is.EqualTo("hello"));
        }
    }

    /// <summary>
    /// The socket server is written in Go (seed 001 §Connecting) and escapes like Go's html.EscapeString: only
    /// <c>&lt; &gt; &amp; ' "</c>, the quotes as <c>&amp;#39;</c> and <c>&amp;#34;</c>. plugged's decode() undoes exactly
    /// those five entities, so any other escaping reaches its users as literal entities.
    /// </summary>
    [Test]
    public async Task Chat_Echo_EscapesQuotesAsNumericEntitiesLikeTheGoServer()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();
        await using var client = await PlugDjSocket.AuthenticatedAsync(mock);

        // When
        await client.SendTextAsync(PlugDjSocket.Chat("""say "hi" it's me"""));
        var echo = await PlugDjSocket.ReceiveSingleEventAsync(client);

        // Then
        Assert.That(echo["p"]!["message"]!.GetValue<string>(), Is.EqualTo("say &#34;hi&#34; it&#39;s me"));
    }

    /// <summary>HTML escaping protects markup only: letters outside ASCII reach the room as they were typed.</summary>
    [TestCase("café")]
    [TestCase("naïve © 2015 ½")]
    [TestCase("日本語 ☕ 🎵")]
    public async Task Chat_Echo_LeavesNonAsciiTextUnescaped(string text)
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();
        await using var client = await PlugDjSocket.AuthenticatedAsync(mock);

        // When
        await client.SendTextAsync(PlugDjSocket.Chat(text));
        var echo = await PlugDjSocket.ReceiveSingleEventAsync(client);

        // Then
        Assert.That(echo["p"]!["message"]!.GetValue<string>(), Is.EqualTo(text));
    }

    [Test]
    public async Task Chat_BeyondTheLimitsAllowance_IsNotEchoedAndIsDecidedRateLimit()
    {
        // Given a chat limit of one message, refilled every 300 ms, and an h 400 ms after the server's last frame
        var interval = TimeSpan.FromMilliseconds(300);
        await using var mock = await PlugDjMock.StartAsync(o =>
        {
            o.ChatRefill = interval;
            o.ChatBurst = 1;
            o.KeepAliveAfter = TimeSpan.FromMilliseconds(400);
        });
        await using var client = await PlugDjSocket.AuthenticatedAsync(mock);

        // When two chats go out back to back, and a third after the next h (so past the interval)
        await client.SendTextAsync(PlugDjSocket.Chat("one"));
        await client.SendTextAsync(PlugDjSocket.Chat("two"));
        var first = await PlugDjSocket.ReceiveSingleEventAsync(client);
        var h = await client.ReceiveTextAsync();
        await client.SendTextAsync(PlugDjSocket.Chat("three"));
        var third = await PlugDjSocket.ReceiveSingleEventAsync(client);

        // Then only the second was dropped: nothing but the h came between the first and the third echo
        var one = PlugDjSocket.ClientFrame(mock, PlugDjSocket.Chat("one"));
        var two = PlugDjSocket.ClientFrame(mock, PlugDjSocket.Chat("two"));
        var three = PlugDjSocket.ClientFrame(mock, PlugDjSocket.Chat("three"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first["p"]!["message"]!.GetValue<string>(), Is.EqualTo("one"));
            Assert.That(h, Is.EqualTo("h"), "no echo of 'two' came before the keep-alive");
            Assert.That(third["p"]!["message"]!.GetValue<string>(), Is.EqualTo("three"));
            Assert.That(two.At - one.At, Is.LessThan(interval), "the precondition: 'two' came within the interval");
            Assert.That(three.At - one.At, Is.GreaterThanOrEqualTo(interval));
            Assert.That(PlugDjSocket.Decisions(two), Is.EqualTo(new[] { FrameDecisionKind.DroppedRateLimit }));
            Assert.That(two.Note, Is.EqualTo("dropped: rate limit"));
            Assert.That(PlugDjSocket.Decisions(one), Is.Empty);
            Assert.That(PlugDjSocket.Decisions(three), Is.Empty);
        }
    }

    [Test]
    public async Task Chat_WithANewline_IsNotEchoedAndIsDecidedNewline()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();
        await using var client = await PlugDjSocket.AuthenticatedAsync(mock);

        // When a chat with a newline, then a plain one as a sentinel
        await client.SendTextAsync(PlugDjSocket.Chat("line one\nline two"));
        await client.SendTextAsync(PlugDjSocket.Chat("after"));
        var echo = await PlugDjSocket.ReceiveSingleEventAsync(client);

        // Then the first echo is the sentinel's: the dropped chat neither echoed nor started the rate limit
        using (Assert.EnterMultipleScope())
        {
            Assert.That(echo["p"]!["message"]!.GetValue<string>(), Is.EqualTo("after"));
            var dropped = PlugDjSocket.ClientFrame(mock, PlugDjSocket.Chat("line one\nline two"));
            Assert.That(PlugDjSocket.Decisions(dropped), Is.EqualTo(new[] { FrameDecisionKind.DroppedNewline }));
            Assert.That(dropped.Note, Is.EqualTo("dropped: newline"));
            Assert.That(PlugDjSocket.Decisions(PlugDjSocket.ClientFrame(mock, PlugDjSocket.Chat("after"))), Is.Empty);
        }
    }

    [Test]
    public async Task Chat_WithAParameterThatIsNotAString_IsNotEchoedAndIsDecidedMalformed()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();
        await using var client = await PlugDjSocket.AuthenticatedAsync(mock);
        const string numeric = """{"a":"chat","p":42,"t":1437829673}""";

        // When
        await client.SendTextAsync(numeric);
        await client.SendTextAsync(PlugDjSocket.Chat("after"));
        var echo = await PlugDjSocket.ReceiveSingleEventAsync(client);

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(echo["p"]!["message"]!.GetValue<string>(), Is.EqualTo("after"));
            Assert.That(PlugDjSocket.Decisions(PlugDjSocket.ClientFrame(mock, numeric)), Is.EqualTo(new[] { FrameDecisionKind.Malformed }));
            Assert.That(PlugDjSocket.ClientFrame(mock, numeric).Note, Is.EqualTo("dropped: p is not a string"));
        }
    }

    [Test]
    public async Task Chat_WhenEchoChatIsFalse_IsAcceptedButNotEchoed()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync(o =>
        {
            o.EchoChat = false;
            o.KeepAliveAfter = TimeSpan.FromMilliseconds(150);
        });
        await using var client = await PlugDjSocket.AuthenticatedAsync(mock);

        // When a chat, then the next keep-alive as a sentinel
        await client.SendTextAsync(PlugDjSocket.Chat("quiet"));
        var next = await client.ReceiveTextAsync();

        // Then
        var chat = PlugDjSocket.ClientFrame(mock, PlugDjSocket.Chat("quiet"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(next, Is.EqualTo("h"));
            Assert.That(PlugDjSocket.Decisions(chat), Is.Empty, "the chat was accepted, only not echoed");
            Assert.That(
                PlugDjSocket.Frames(mock).Where(f => f.Direction == Direction.ServerToClient).Select(f => f.Text),
                Has.None.Contains("\"a\":\"chat\""));
        }
    }

    [Test]
    public async Task Chat_Echo_IsAOneEventArrayWithTheDocumentedKeys()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync();
        await using var client = await PlugDjSocket.AuthenticatedAsync(mock);

        // When
        await client.SendTextAsync(PlugDjSocket.Chat("keys"));
        var events = await PlugDjSocket.ReceiveEventsAsync(client);

        // Then
        var echo = events.Single()!.AsObject();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(echo.Select(kv => kv.Key), Is.EquivalentTo(new[] { "a", "p", "s" }));
            Assert.That(echo["p"]!.AsObject().Select(kv => kv.Key), Is.EquivalentTo(new[] { "message", "un", "cid", "uid", "sub" }));
            Assert.That(echo["p"]!["uid"]!.GetValueKind(), Is.EqualTo(JsonValueKind.Number));
        }
    }
}
