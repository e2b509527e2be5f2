namespace Conformance.Mocks.Protocols.PlugDj;

/// <summary>
/// The socket server's chat limit as a token bucket. Seed 001 §"chat" says too many messages too quickly are dropped
/// silently, that one message a second is safe, and that the limit "actually isn't constant, so you can send messages
/// a little more quickly if you use some sort of backoff algorithm" (Plugged semi-reliably sends over five a second).
/// A bucket that refills one message every <c>refill</c> and holds <c>burst</c> of them does exactly that: a steady
/// one a second never runs it dry, however the gaps jitter, and a quick burst gets a few through before it drops.
/// </summary>
internal sealed class ChatLimiter(int burst, TimeSpan refill)
{
    private double _tokens = burst;
    private TimeSpan? _last;

    /// <summary>Takes one message's allowance at <paramref name="at"/>; false when the bucket is empty (drop the message).</summary>
    public bool TryTake(TimeSpan at)
    {
        if (refill <= TimeSpan.Zero)
        {
            return true;
        }

        if (_last is { } last)
        {
            _tokens = Math.Min(burst, _tokens + ((at - last) / refill));
        }

        _last = at;
        if (_tokens < 1)
        {
            return false;
        }

        _tokens -= 1;
        return true;
    }
}
