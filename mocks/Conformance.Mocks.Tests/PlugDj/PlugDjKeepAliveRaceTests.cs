using Conformance.Mocks.Protocols.PlugDj;
using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Tests;

/// <summary>
/// The keep-alive decides that the link has been silent and then sends <c>h</c>; a scripted frame sent in between must
/// not be followed by an <c>h</c> sooner than the keep-alive interval (digest §3: any frame resets the timer). The
/// connection re-checks the silence under its send lock (<see cref="Hosting.MockConnection.SendTextIfIdleAsync"/>).
/// </summary>
[Category("plugdj")]
public sealed class PlugDjKeepAliveRaceTests
{
    private const int Connections = 4;
    private static readonly TimeSpan KeepAlive = TimeSpan.FromMilliseconds(15);

    [Test]
    public async Task KeepAlive_WhenAScriptedFrameGoesOutAsTheKeepAliveFallsDue_NoHFollowsItTooSoon()
    {
        // Given several connections, each with a script that sends an event exactly when a short keep-alive falls
        // due, again and again (the interval is shortened once every client has its ack, so no h overtakes an ack;
        // the mock reads it live). The race is narrow: without the re-check under the send lock about one run in
        // three caught an h sent too soon; four connections for four seconds make that most runs.
        await using var mock = await PlugDjMock.StartAsync(o => o.KeepAliveAfter = TimeSpan.FromSeconds(1));
        var clients = new List<TestClient>();
        for (var i = 0; i < Connections; i++)
        {
            clients.Add(await PlugDjSocket.AuthenticatedAsync(mock));
        }

        mock.Options.KeepAliveAfter = KeepAlive;
        var reading = clients.Select(DrainAsync).ToList();

        // When
        var until = mock.Transcript.Now + TimeSpan.FromSeconds(4);
        await Task.WhenAll(mock.Connections.Select(c => Task.Run(() => ScriptAsync(mock, c, until))));

        // Then every h comes at least a full interval after the server's previous frame on its connection
        var frames = PlugDjSocket.Frames(mock).Where(f => f.Direction == Direction.ServerToClient).ToList();
        var tooSoon = frames.GroupBy(f => f.Connection)
            .SelectMany(c => c.Skip(1).Zip(c, (frame, previous) => (Frame: frame, Gap: frame.At - previous.At)))
            .Where(x => x.Frame.Text == "h" && x.Gap < KeepAlive).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(frames.Count(f => f.Origin == "test"), Is.GreaterThan(50 * Connections), "the scripts kept sending");
            Assert.That(tooSoon.Select(x => $"#{x.Frame.Index} {x.Gap.TotalMilliseconds:0.000}ms"), Is.Empty, "h frames sent too soon after another frame");
        }

        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }

        await Task.WhenAll(reading);
    }

    [Test]
    public async Task SendTextIfIdle_RightAfterAFrame_SendsNothing_AndAfterTheSilence_Sends()
    {
        // Given
        await using var mock = await PlugDjMock.StartAsync(o => o.KeepAliveAfter = TimeSpan.FromHours(1));
        await using var client = await PlugDjSocket.AuthenticatedAsync(mock);
        var connection = mock.LatestConnection!;

        // When
        var early = await connection.SendTextIfIdleAsync("h", TimeSpan.FromSeconds(30));
        var late = await connection.SendTextIfIdleAsync("h", TimeSpan.Zero);

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(early, Is.False, "the ack went out just now");
            Assert.That(late, Is.True);
            Assert.That(await client.ReceiveTextAsync(), Is.EqualTo("h"));
            Assert.That(PlugDjSocket.Frames(mock).Count(f => f.Text == "h"), Is.EqualTo(1));
        }
    }

    private static async Task ScriptAsync(PlugDjMock mock, Hosting.MockConnection connection, TimeSpan until)
    {
        while (mock.Transcript.Now < until)
        {
            var due = connection.LastSent + KeepAlive - mock.Transcript.Now;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }

            await connection.SendTextAsync("""[{"a":"grab","p":1,"s":"tastycat"}]""", origin: "test");
        }
    }

    private static async Task DrainAsync(TestClient client)
    {
        try
        {
            while (true)
            {
                await client.ReceiveTextAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (Exception)
        {
            // The test closed the client, or the mock went away.
        }
    }
}
