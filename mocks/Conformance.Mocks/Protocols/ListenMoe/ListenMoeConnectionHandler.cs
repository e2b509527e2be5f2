using Conformance.Mocks.Hosting;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Protocols.ListenMoe;

/// <summary>The gateway's default behaviour for one connection, per seed 000.</summary>
internal sealed class ListenMoeConnectionHandler(ListenMoeMock mock, ListenMoeOptions options) : ConnectionHandler
{
    private static readonly string Ack = ListenMoeCodec.Format(ListenMoeCodec.HeartbeatAck());

    public override async Task OnOpenedAsync(MockConnection connection)
    {
        // seed §Heartbeating: "After connecting, the websocket is going to send you a { op: 0 }".
        if (options.WelcomeDelay > TimeSpan.Zero)
        {
            await Task.Delay(options.WelcomeDelay, mock.Transcript.Time, connection.Closed).ConfigureAwait(false);
        }

        if (options.SendWelcome)
        {
            var welcome = ListenMoeCodec.Welcome(options.WelcomeMessage, options.HeartbeatInterval);
            await connection.SendTextAsync(ListenMoeCodec.Format(welcome)).ConfigureAwait(false);
        }

        if (options.SendTrackOnConnect)
        {
            await mock.SendTemplateAsync(connection, ListenMoeMock.Templates.CurrentTrack).ConfigureAwait(false);
        }
    }

    public override async Task OnFrameAsync(MockConnection connection, FrameRecorded frame)
    {
        // Frames that are not JSON objects with an integer op are left to the frame-shape rules; the gateway ignores them.
        if (ListenMoeCodec.Parse(frame.Text) is not { } message)
        {
            return;
        }

        switch (message.Op)
        {
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
}
