using System.Text.Json.Nodes;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Protocols.ListenMoe;

/// <summary>
/// The gateway's default behaviour for one connection: seed 000 for gateway v2, and for gateway v1 the auth that comes
/// first (LISTEN-moe/documentation docs/ws/spec.md at 168f268).
/// </summary>
internal sealed class ListenMoeConnectionHandler(ListenMoeMock mock, ListenMoeOptions options) : ConnectionHandler
{
    private static readonly string Ack = ListenMoeCodec.Format(ListenMoeCodec.HeartbeatAck());

    private readonly bool _v1 = options.GatewayVersion == ListenMoeGateway.V1;

    // Gateway v1: whether this connection has authenticated (one handler per connection; frames are handled in order).
    private bool _authenticated;

    public override Task OnOpenedAsync(MockConnection connection) =>
        // seed §Heartbeating: "After connecting, the websocket is going to send you a { op: 0 }". Gateway v1 waits for the
        // client's auth instead (168f268 §Heartbeating: "After authenticating, the websocket is going to send you a { op: 0 }").
        _v1 ? Task.CompletedTask : WelcomeAsync(connection, user: null);

    public override async Task OnFrameAsync(MockConnection connection, FrameRecorded frame)
    {
        // Frames that are not JSON objects with an integer op are left to the frame-shape rules; the gateway ignores them.
        if (ListenMoeCodec.Parse(frame.Text) is not { } message)
        {
            return;
        }

        switch (message.Op)
        {
            case ListenMoeCodec.Ops.Auth when _v1:
                await AuthenticateAsync(connection, message).ConfigureAwait(false);
                break;
            case ListenMoeCodec.Ops.Heartbeat when options.AckHeartbeats:
                // seed §Heartbeating: "A heartbeat is sent via { op: 9 } and acknowledged by getting { op: 10 } returned."
                // A reply: it goes ahead of broadcasts queued on the connection.
                if (options.AckDelay > TimeSpan.Zero)
                {
                    connection.Schedule(options.AckDelay, () => connection.ReplyTextAsync(Ack));
                }
                else
                {
                    await connection.ReplyTextAsync(Ack).ConfigureAwait(false);
                }

                break;
            case ListenMoeCodec.Ops.TrackRequest when options.AnswerTrackRequests:
                // seed §Receiving data: TRACK_UPDATE_REQUEST is the answer to op 2.
                await mock.SendTemplateAsync(connection, ListenMoeMock.Templates.TrackUpdateRequest).ConfigureAwait(false);
                break;
            default:
                break;
        }
    }

    /// <summary>
    /// Gateway v1's op 0 from the client: an empty auth is anonymous and a Bearer of the token is the user (168f268
    /// §Authenticating), each welcomed; anything else is refused with 4003 and a second auth with 4004, the codes
    /// TheAkio/listenmoe.js src/v4/Constants.js gives for an invalid auth and one already made.
    /// </summary>
    private async Task AuthenticateAsync(MockConnection connection, ListenMoeMessage message)
    {
        if (_authenticated)
        {
            await connection.CloseAsync(ListenMoeCodec.CloseCodes.AlreadyAuthenticated, "already authenticated").ConfigureAwait(false);
            return;
        }

        var auth = ListenMoeCodec.Auth(message);
        if (auth != "" && auth != $"Bearer {options.Token}")
        {
            await connection.CloseAsync(ListenMoeCodec.CloseCodes.InvalidAuth, "invalid authentication").ConfigureAwait(false);
            return;
        }

        _authenticated = true;
        await WelcomeAsync(connection, auth == "" ? null : User()).ConfigureAwait(false);
    }

    private async Task WelcomeAsync(MockConnection connection, JsonObject? user)
    {
        if (options.WelcomeDelay > TimeSpan.Zero)
        {
            await Task.Delay(options.WelcomeDelay, mock.Transcript.Time, connection.Closed).ConfigureAwait(false);
        }

        if (options.SendWelcome)
        {
            var welcome = user is null
                ? ListenMoeCodec.Welcome(options.WelcomeMessage, options.HeartbeatInterval)
                : ListenMoeCodec.Welcome(options.WelcomeMessage, options.HeartbeatInterval, user);
            await connection.SendTextAsync(ListenMoeCodec.Format(welcome)).ConfigureAwait(false);
        }

        if (options.SendTrackOnConnect)
        {
            await mock.SendTemplateAsync(connection, ListenMoeMock.Templates.CurrentTrack).ConfigureAwait(false);
        }
    }

    /// <summary>The user of the v1 welcome, in the fields 168f268 §Heartbeating shows.</summary>
    private JsonObject User() => new()
    {
        ["uuid"] = "00000000-0000-4000-8000-000000000001",
        ["email"] = $"{options.Username}@conformance.test",
        ["username"] = options.Username,
        ["displayName"] = char.ToUpperInvariant(options.Username[0]) + options.Username[1..],
    };
}
