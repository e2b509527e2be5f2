using Conformance.Mocks.Channels;

namespace Conformance.Mocks.Hosting;

/// <summary>
/// One frame to many channels: the payload arrives encoded once and every send shares it (and the transcript entries
/// share its text), so a broadcast to ten thousand connections costs one payload, not ten thousand. The targets are
/// served at once, each by its own short loop that sends its copies in order and waits for each, so a client that
/// stops reading holds up only its own copies (until the send timeout cuts it), and no connection has more than one of
/// a fan-out's frames waiting at a time: the backlog a broadcaster can build up on a connection is bounded by the
/// number of broadcasters.
/// </summary>
internal static class Fanout
{
    /// <summary>
    /// Sends <paramref name="utf8"/> (the encoding of <paramref name="text"/>, or binary when the text is null)
    /// <paramref name="count"/> times to every target. A target that ended stops receiving. Returns the frames delivered.
    /// </summary>
    public static async Task<int> SendAsync(IReadOnlyCollection<IChannel> targets, string? text, byte[] utf8, int count, string? origin)
    {
        var delivered = await Task.WhenAll(targets.Select(t => SendCopiesAsync(t, text, utf8, count, origin))).ConfigureAwait(false);
        return delivered.Sum();
    }

    private static async Task<int> SendCopiesAsync(IChannel target, string? text, byte[] utf8, int count, string? origin)
    {
        var sent = 0;
        while (sent < count)
        {
            // A UDP datagram of text is its UTF-8 bytes, so the encoded payload serves both transports.
            var delivered = target is MockConnection connection && text is not null
                ? await connection.SendEncodedTextAsync(text, utf8, origin).ConfigureAwait(false)
                : await target.SendBinaryAsync(utf8, origin).ConfigureAwait(false);
            if (!delivered)
            {
                break;
            }

            sent++;
        }

        return sent;
    }
}
