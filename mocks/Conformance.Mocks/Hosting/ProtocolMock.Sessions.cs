using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Hosting;

/// <summary>What became of a scripted frame.</summary>
public enum SendOutcome
{
    /// <summary>It went out on the connection.</summary>
    Sent,

    /// <summary>The connection had ended but its session lives on: the frame waits for the client to come back.</summary>
    Held,

    /// <summary>The connection had ended and no session keeps it: nothing was sent.</summary>
    Ended,
}

/// <summary>
/// Sessions that outlive a connection (a resume id, a user and shard). The protocol's mock decides what "the same
/// session" is: it calls <see cref="AttachSessionAsync"/> when a connection starts or resumes one. A scripted frame for a
/// connection that has ended is held for its session and delivered, in order, when the session is attached again.
/// </summary>
public abstract partial class ProtocolMock
{
    private readonly Lock _sessionGate = new();
    private readonly Dictionary<int, string> _sessionOf = [];
    private readonly Dictionary<string, MockConnection> _attached = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<HeldFrame>> _held = new(StringComparer.Ordinal);

    /// <summary>The session a connection belongs to, if the protocol put it in one.</summary>
    public string? SessionOf(MockConnection connection)
    {
        lock (_sessionGate)
        {
            return _sessionOf.GetValueOrDefault(connection.Id);
        }
    }

    /// <summary>
    /// Sends a scripted frame to <paramref name="connection"/>; when it has ended but belongs to a session, sends it to the
    /// session's current connection, or holds it until the session is attached again.
    /// </summary>
    public async Task<SendOutcome> SendOrHoldAsync(MockConnection connection, string? text, byte[]? binary, int fragments = 1, string? origin = null)
    {
        var frame = new HeldFrame(text, binary, fragments, origin);
        if (connection.IsOpen && await DeliverAsync(connection, frame).ConfigureAwait(false))
        {
            return SendOutcome.Sent;
        }

        MockConnection? current;
        lock (_sessionGate)
        {
            if (!_sessionOf.TryGetValue(connection.Id, out var session))
            {
                return SendOutcome.Ended;
            }

            if (!_attached.TryGetValue(session, out current) || !current.IsOpen)
            {
                _held.TryAdd(session, new Queue<HeldFrame>());
                _held[session].Enqueue(frame);
                Transcript.Append(new FrameHeld(connection.Id, session, text ?? "0x" + Convert.ToHexString(binary ?? [])) { Origin = origin });
                return SendOutcome.Held;
            }
        }

        return await DeliverAsync(current, frame).ConfigureAwait(false) ? SendOutcome.Sent : SendOutcome.Ended;
    }

    /// <summary>
    /// Puts <paramref name="connection"/> in <paramref name="session"/> (a new one, or one it resumes) and first delivers,
    /// in order, every frame held for the session while no connection had it. Call it once the protocol's own opening
    /// for a resumed session (such as a resumed ready) has been sent.
    /// </summary>
    protected async Task AttachSessionAsync(MockConnection connection, string session)
    {
        while (true)
        {
            HeldFrame? next;
            lock (_sessionGate)
            {
                _sessionOf[connection.Id] = session;
                if (!_held.TryGetValue(session, out var queue) || !queue.TryDequeue(out next))
                {
                    _attached[session] = connection;
                    _held.Remove(session);
                    return;
                }
            }

            // Sent as it would have been live, with its own origin: that it waited is the FrameHeld entry's to say
            // (whether a frame waits depends on how fast the client resumed, which a snapshot does not pin).
            await DeliverAsync(connection, next).ConfigureAwait(false);
        }
    }

    private static Task<bool> DeliverAsync(MockConnection connection, HeldFrame frame) =>
        frame.Text is null ? connection.SendBinaryAsync(frame.Binary!, frame.Origin)
        : frame.Fragments > 1 ? connection.SendFragmentedAsync(frame.Text, frame.Fragments, frame.Origin)
        : connection.SendTextAsync(frame.Text, frame.Origin);

    private sealed record HeldFrame(string? Text, byte[]? Binary, int Fragments, string? Origin);
}
