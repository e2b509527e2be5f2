using System.Globalization;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Transcripts;
using Microsoft.AspNetCore.WebUtilities;

namespace Conformance.Mocks.Protocols.Podcast;

/// <summary>
/// One WebSocket of a podcast (resources/websocket.md §Lifecycle): a host's creates the podcast, a listener's joins the
/// one its <c>id</c> names; Hello first, then Connected is taken, and anything else is ignored (the prototype ignores
/// non-JSON and unknown messages, discord-podcasts/backend-beta src/websocket).
/// </summary>
internal sealed class PodcastConnectionHandler(PodcastMock mock, MockConnection connection) : ConnectionHandler
{
    private readonly TaskCompletionSource _greeted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override async Task OnOpenedAsync(MockConnection opened)
    {
        try
        {
            Podcast? podcast;
            if (connection.Endpoint == PodcastMock.HostEndpointName)
            {
                podcast = mock.CreatePodcast(connection);
                mock.StartDeadline(podcast);
            }
            else
            {
                // AdmitListener has checked the id: a number that names a podcast.
                var id = long.Parse(QueryHelpers.ParseQuery(connection.Query)["id"].ToString(), CultureInfo.InvariantCulture);
                podcast = mock.Find(id);
                if (podcast is null || mock.Join(podcast, connection) is null)
                {
                    // Ended between the upgrade and now.
                    await connection.CloseAsync(1000, "the podcast ended").ConfigureAwait(false);
                    return;
                }
            }

            if (mock.Options.HelloDelay > TimeSpan.Zero)
            {
                await Task.Delay(mock.Options.HelloDelay, mock.Transcript.Time, connection.Closed).ConfigureAwait(false);
            }

            await connection.SendTextAsync(mock.Hello(podcast)).ConfigureAwait(false);
            mock.Greeted(connection);
        }
        finally
        {
            // "After sending the Connected Event you can receive events": a Connected that came before Hello is taken
            // once Hello is out, so the server never confirms a client it has not greeted.
            _greeted.TrySetResult();
        }
    }

    public override async Task OnFrameAsync(MockConnection from, FrameRecorded frame)
    {
        await _greeted.Task.ConfigureAwait(false);
        if (PodcastCodec.Parse(frame.Text) is not { Code: PodcastCodec.Connected } connected ||
            PodcastCodec.Address(connected.Data) is not var (ip, port) || mock.Of(connection) is not var (podcast, party))
        {
            return;
        }

        await mock.ConnectedAsync(podcast, party, ip, port).ConfigureAwait(false);
    }

    public override Task OnClosedAsync(MockConnection closed) => mock.LeaveAsync(connection);
}
