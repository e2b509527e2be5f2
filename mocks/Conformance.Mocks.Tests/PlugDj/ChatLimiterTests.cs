using Conformance.Mocks.Protocols.PlugDj;

namespace Conformance.Mocks.Tests.PlugDj;

/// <summary>The plug.dj chat limit (seed 001 §"chat") judged on made-up arrival times, refilling one message a second.</summary>
public sealed class ChatLimiterTests
{
    private static readonly PlugDjOptions Defaults = new();

    [Test]
    public void TryTake_OneMessageASecondWithJitter_NeverDrops()
    {
        // Given the default limit, and twenty messages a second apart but arriving up to 150 ms early or late
        var limiter = new ChatLimiter(Defaults.ChatBurst, Defaults.ChatRefill);
        var jitter = new Random(7);
        var arrivals = Enumerable.Range(0, 20).Select(i => TimeSpan.FromMilliseconds((i * 1000) + jitter.Next(-150, 151))).ToList();

        // When each is offered
        var accepted = arrivals.Select(limiter.TryTake).ToList();

        // Then all go through
        Assert.That(accepted, Is.All.True);
    }

    [Test]
    public void TryTake_TenMessagesInOneSecond_DropsWhatTheBurstAndRefillCannotCover()
    {
        // Given the default limit
        var limiter = new ChatLimiter(Defaults.ChatBurst, Defaults.ChatRefill);

        // When ten messages come 100 ms apart
        var accepted = Enumerable.Range(0, 10).Select(i => limiter.TryTake(TimeSpan.FromMilliseconds(i * 100))).ToList();

        // Then the burst of five goes through and the other five drop: by 900 ms the refill has not made a whole message
        Assert.That(accepted, Is.EqualTo(new[] { true, true, true, true, true, false, false, false, false, false }));
    }

    [Test]
    public void TryTake_PluggedStyleLinearBackoff_SendsSixMessagesInUnderASecondAndAHalf()
    {
        // Given the default limit, and a client that waits 70 ms more before each queued message (seed §"chat": Plugged's
        // linear backoff "semi-reliably" sends over five messages a second)
        var limiter = new ChatLimiter(Defaults.ChatBurst, Defaults.ChatRefill);
        var at = TimeSpan.Zero;
        var accepted = new List<bool>();
        for (var i = 0; i < 6; i++)
        {
            at += TimeSpan.FromMilliseconds(70 * i);
            accepted.Add(limiter.TryTake(at));
        }

        // Then none of the six (the last at 1050 ms) is lost
        Assert.That(accepted, Is.All.True);
    }

    [Test]
    public void TryTake_AfterAQuietSpell_TheBurstIsBackButNoMore()
    {
        // Given a limit emptied by a burst
        var limiter = new ChatLimiter(burst: 3, refill: TimeSpan.FromSeconds(1));
        var burst = Enumerable.Range(0, 4).Select(_ => limiter.TryTake(TimeSpan.Zero)).ToList();

        // When ten quiet seconds pass and four messages come at once
        var later = Enumerable.Range(0, 4).Select(_ => limiter.TryTake(TimeSpan.FromSeconds(10))).ToList();

        // Then each time three go through and the fourth drops
        Assert.That(burst, Is.EqualTo(new[] { true, true, true, false }));
        Assert.That(later, Is.EqualTo(new[] { true, true, true, false }));
    }

    [Test]
    public void TryTake_ZeroRefill_TurnsTheLimitOff()
    {
        var limiter = new ChatLimiter(burst: 1, refill: TimeSpan.Zero);

        Assert.That(Enumerable.Range(0, 100).Select(_ => limiter.TryTake(TimeSpan.Zero)), Is.All.True);
    }
}
