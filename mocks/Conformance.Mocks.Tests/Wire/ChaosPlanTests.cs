using Conformance.Mocks.Chaos;

namespace Conformance.Mocks.Tests.Wire;

/// <summary>Chaos decisions are a function of the seed, the channel and the message number, whatever the order of sends.</summary>
[Category("wire")]
public sealed class ChaosPlanTests
{
    private static readonly ChaosSettings Mixed = new(1234) { Drop = 0.05, Reset = 0.05, Duplicate = 0.2, Reorder = 0.1, Delay = 0.3, MinDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(90) };

    [Test]
    public void Decide_SameSeed_GivesTheSameScheduleInAnyOrderOfSends()
    {
        // Given two plans from one seed, asked about the same messages in opposite orders
        var keys = Enumerable.Range(1, 3).SelectMany(c => Enumerable.Range(1, 200).Select(m => (Channel: c, Message: m))).ToList();
        var first = new ChaosPlan(Mixed);
        var second = new ChaosPlan(Mixed);

        // When
        var forward = keys.Select(k => first.Decide(k.Channel, k.Message, udp: false)).ToList();
        var backward = Enumerable.Reverse(keys).Select(k => second.Decide(k.Channel, k.Message, udp: false)).Reverse().ToList();

        // Then
        Assert.That(backward, Is.EqualTo(forward));
        Assert.That(forward.Count(e => e is not null), Is.GreaterThan(100), "the mix strikes about half the messages");
    }

    [Test]
    public void Decide_AnotherSeed_GivesAnotherSchedule()
    {
        // Given / When
        var one = Enumerable.Range(1, 200).Select(m => new ChaosPlan(Mixed).Decide(1, m, udp: false)).ToList();
        var other = Enumerable.Range(1, 200).Select(m => new ChaosPlan(Mixed with { Seed = 1235 }).Decide(1, m, udp: false)).ToList();

        // Then
        Assert.That(other, Is.Not.EqualTo(one));
    }

    [Test]
    public void Decide_Probabilities_MatchTheirFrequencies()
    {
        // Given 20,000 messages under drop 0.1, duplicate 0.2 and nothing else
        var plan = new ChaosPlan(new ChaosSettings(7) { Drop = 0.1, Duplicate = 0.2 });

        // When
        var actions = Enumerable.Range(1, 20_000).Select(m => plan.Decide(1, m, udp: false)?.Action).ToList();

        // Then: drop is checked first, so duplicate strikes 0.2 of the 0.9 left
        using (Assert.EnterMultipleScope())
        {
            Assert.That(actions.Count(a => a == ChaosAction.Drop) / 20_000.0, Is.EqualTo(0.1).Within(0.01));
            Assert.That(actions.Count(a => a == ChaosAction.Duplicate) / 20_000.0, Is.EqualTo(0.18).Within(0.015));
            Assert.That(actions.Any(a => a is ChaosAction.Reset or ChaosAction.Reorder or ChaosAction.Delay), Is.False);
        }
    }

    [Test]
    public void Decide_Udp_NeverDrawsAReset()
    {
        // Given a plan that resets every WebSocket message
        var plan = new ChaosPlan(new ChaosSettings(3) { Reset = 1 });

        // When / Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Enumerable.Range(1, 50).Select(m => plan.Decide(2, m, udp: true)), Is.All.Null);
            Assert.That(Enumerable.Range(1, 50).Select(m => plan.Decide(2, m, udp: false)?.Action), Is.All.EqualTo(ChaosAction.Reset));
        }
    }

    [Test]
    public void Decide_Schedule_StrikesExactlyTheListedMessages()
    {
        // Given
        var schedule = new[] { new ChaosEvent(1, 3, ChaosAction.Drop, TimeSpan.Zero), new ChaosEvent(2, 1, ChaosAction.Delay, TimeSpan.FromMilliseconds(40)) };
        var plan = new ChaosPlan(new ChaosSettings(0) { Schedule = schedule, Drop = 1 });

        // When
        var struck = Enumerable.Range(1, 3).SelectMany(c => Enumerable.Range(1, 10).Select(m => plan.Decide(c, m, udp: false))).Where(e => e is not null).ToList();

        // Then: the probabilities are ignored
        Assert.That(struck, Is.EqualTo(schedule));
    }
}
