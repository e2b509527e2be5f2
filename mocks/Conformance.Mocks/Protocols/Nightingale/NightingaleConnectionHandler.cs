using Conformance.Mocks.Hosting;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Protocols.Nightingale;

/// <summary>
/// The server's behaviour for one socket (AlvaroMS25/nightingale src/api/websocket.rs): <c>ready</c> first, for a new
/// session or the resumed one (with its players), then the events queued while it was detached, in order; frames the
/// client sends are read and ignored (the server acts on nothing but Close since eb8cc30).
/// </summary>
internal sealed class NightingaleConnectionHandler(NightingaleMock mock, MockConnection connection) : ConnectionHandler
{
    public override async Task OnOpenedAsync(MockConnection opened)
    {
        if (connection.Endpoint == NightingaleMock.ResumeEndpointName)
        {
            if (mock.ResumeSession(connection) is not var (session, players))
            {
                // The session was claimed when the upgrade was admitted; it cannot have gone since.
                await connection.CloseAsync(1011, "session vanished").ConfigureAwait(false);
                return;
            }

            await connection.SendTextAsync(NightingaleCodec.Ready(session.Id, resumed: true, mock.Dialect == NightingaleDialect.Seed ? null : players)).ConfigureAwait(false);
            await mock.AttachSessionAsync(connection, session.Id).ConfigureAwait(false);
            return;
        }

        var created = mock.OpenSession(connection);
        await connection.SendTextAsync(NightingaleCodec.Ready(created.Id, resumed: false, players: null)).ConfigureAwait(false);
        await mock.AttachSessionAsync(connection, created.Id).ConfigureAwait(false);
    }

    public override Task OnFrameAsync(MockConnection from, FrameRecorded frame) => Task.CompletedTask;

    public override Task OnClosedAsync(MockConnection closed)
    {
        mock.Detach(connection);
        return Task.CompletedTask;
    }
}
