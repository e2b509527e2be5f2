using System.Text.Json.Nodes;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Protocols.PlugDj;

/// <summary>
/// The socket server's default behaviour for one connection (seed 001): wait for <c>auth</c> within the deadline,
/// <c>ack</c> it, keep the link alive with <c>h</c> after a silence, echo accepted chat, and silently drop chat that
/// comes faster than the chat limit allows (<see cref="ChatLimiter"/>) or holds a newline (recording the decision on the frame).
/// </summary>
internal sealed class PlugDjConnectionHandler(PlugDjMock mock, PlugDjOptions options, PlugDjWorld world, Transcript transcript) : ConnectionHandler
{
    private readonly ChatLimiter _chatLimit = new(options.ChatBurst, options.ChatRefill);
    private bool _authenticated;
    private TimeSpan _openedAt;

    public override Task OnOpenedAsync(MockConnection connection)
    {
        _openedAt = transcript.Now;
        // seed §"auth": "Plug.dj won't wait for you for long".
        connection.Schedule(options.AuthDeadline, async () =>
        {
            if (!_authenticated)
            {
                await connection.CloseAsync(options.AuthTimeoutCode, "no auth in time").ConfigureAwait(false);
            }
        });
        _ = KeepAliveAsync(connection);
        return Task.CompletedTask;
    }

    public override async Task OnFrameAsync(MockConnection connection, FrameRecorded frame)
    {
        // Malformed messages get no answer at all (socket.md: wrong data gets "no indicator"; specs/plugdj/README.md §Socket); the frame rules judge them.
        if (PlugDjCodec.ParseRequest(frame.Text) is not { Action: { } action } request)
        {
            frame.Decide(new FrameDecision(FrameDecisionKind.Malformed, "ignored: not an {a, p, t} object"));
            return;
        }

        switch (action)
        {
            case PlugDjCodec.Actions.Auth when !_authenticated:
                await AuthenticateAsync(connection, frame, request).ConfigureAwait(false);
                break;
            case PlugDjCodec.Actions.Chat when _authenticated:
                await ChatAsync(connection, frame, request).ConfigureAwait(false);
                break;
            case PlugDjCodec.Actions.Chat:
                frame.Decide(new FrameDecision(FrameDecisionKind.NotAuthenticated, "ignored: chat before auth"));
                break;
            case PlugDjCodec.Actions.Auth:
                frame.Decide(new FrameDecision(FrameDecisionKind.AlreadyAuthenticated, $"ignored: action '{action}'"));
                break;
            default:
                frame.Decide(new FrameDecision(FrameDecisionKind.UnknownAction, $"ignored: action '{action}'"));
                break;
        }
    }

    private async Task AuthenticateAsync(MockConnection connection, FrameRecorded frame, PlugDjRequest request)
    {
        var token = request.ParameterText;
        var valid = token is not null && world.IsValidToken(token);

        // rejectAuths: a scenario's stand-in for a token the server no longer takes (expired, or its session
        // killed). It is a decision of its own, not AuthRejected, which the auth.token rule blames on the client.
        var refused = valid && world.TakeAuthRefusal();
        _authenticated = valid && !refused;
        if (!valid)
        {
            frame.Decide(new FrameDecision(FrameDecisionKind.AuthRejected, "rejected: unknown token"));
        }
        else if (refused)
        {
            frame.Decide(new FrameDecision(FrameDecisionKind.AuthRefusedByScenario, "refused on purpose (rejectAuths): the token was valid"));
        }

        // A good token gets ack p "1" (the live server's answer in miniplug/plug-socket test.js, which asserts the
        // string '1'; plugcommunity/documentation api/events/backend_events/ack.md shows the number 1). Any other p is a
        // failed auth to the clients: plugCubed/plugAPI lib/client.js _messageHandler `case 'ack'` logs in again
        // and reconnects unless p is '1', SooYou/plugged events.js ack emits CONN_ERROR. No public source records the
        // exact failure value, so the mock keeps the string "0" and the socket open (the client decides what to do).
        JsonNode ack = _authenticated ? (options.NumericAck ? JsonValue.Create(1) : JsonValue.Create("1")) : JsonValue.Create("0");
        await connection.SendTextAsync(PlugDjCodec.Format(new PlugDjEvent(PlugDjCodec.Actions.Ack, ack, PlugDjCodec.Dashboard))).ConfigureAwait(false);
    }

    private async Task ChatAsync(MockConnection connection, FrameRecorded frame, PlugDjRequest request)
    {
        var text = request.ParameterText;
        if (text is null)
        {
            frame.Decide(new FrameDecision(FrameDecisionKind.Malformed, "dropped: p is not a string"));
            return;
        }

        // seed §"chat": newlines and messages sent too quickly are dropped silently.
        if (text.Contains('\n', StringComparison.Ordinal))
        {
            frame.Decide(new FrameDecision(FrameDecisionKind.DroppedNewline, "dropped: newline"));
            return;
        }

        if (!_chatLimit.TryTake(frame.At))
        {
            frame.Decide(new FrameDecision(FrameDecisionKind.DroppedRateLimit, "dropped: rate limit"));
            return;
        }

        if (options.EchoChat)
        {
            var echo = new JsonObject
            {
                ["message"] = EscapeHtml(text),
                ["un"] = world.MyName,
                ["cid"] = $"{world.MyId}-{1437829673000 + world.NextEcho()}",
                ["uid"] = world.MyId,
                ["sub"] = 0,
            };
            await connection.SendTextAsync(PlugDjCodec.Format(new PlugDjEvent(PlugDjCodec.Actions.Chat, echo, options.Room))).ConfigureAwait(false);
        }
    }

    /// <summary>socket.md §The h Message (since commit 4a92f9b): <c>h</c> about 10 s after the server's last frame; any frame resets that timer.</summary>
    private async Task KeepAliveAsync(MockConnection connection)
    {
        try
        {
            while (connection.IsOpen)
            {
                var due = connection.LastSent + options.KeepAliveAfter - transcript.Now;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, transcript.Time, connection.Closed).ConfigureAwait(false);
                    continue;
                }

                if (options.SilenceAfter is { } silence && transcript.Now - _openedAt >= silence)
                {
                    return;
                }

                // A scripted frame may go out between the check above and this send; the connection checks the
                // silence again under its send lock and sends nothing then (the loop waits for the new due time).
                await connection.SendTextIfIdleAsync(PlugDjCodec.KeepAlive, options.KeepAliveAfter).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The connection ended.
        }
        catch (Exception ex)
        {
            mock.Host.ReportFault(ex);
        }
    }

    /// <summary>
    /// The escaping of Go's html.EscapeString (seed: the socket server "is written in Go"): only &amp; &lt; &gt; " and ',
    /// quotes as numeric entities, which is what plugged's decoder undoes; other text passes through.
    /// </summary>
    private static string EscapeHtml(string text) => text
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("\"", "&#34;", StringComparison.Ordinal)
        .Replace("'", "&#39;", StringComparison.Ordinal);
}
