namespace Conformance.Mocks.Channels;

/// <summary>What became of a datagram the mock sent under <see cref="DatagramFaults"/>.</summary>
public enum DatagramFate
{
    /// <summary>Sent as it came.</summary>
    Delivered,

    /// <summary>Recorded but never sent: lost on the way.</summary>
    Lost,

    /// <summary>Sent, then sent again: this record is the copy.</summary>
    Duplicated,

    /// <summary>Sent after a delay.</summary>
    Delayed,

    /// <summary>Held back and sent after the datagram that followed it.</summary>
    Reordered,
}

/// <summary>
/// How a UDP endpoint's sends misbehave, per datagram, drawn from <see cref="Seed"/>: the same seed and the same sends
/// give the same losses, copies, delays and swaps. Probabilities are from 0 to 1.
/// </summary>
public sealed record DatagramFaultSettings(int Seed)
{
    public double Loss { get; init; }

    public double Duplicate { get; init; }

    public double Reorder { get; init; }

    /// <summary>Every datagram not lost waits a delay drawn uniformly from this range. Default: none.</summary>
    public TimeSpan MinDelay { get; init; }

    public TimeSpan MaxDelay { get; init; }

    public override string ToString() =>
        $"loss {Loss:P0}, duplicate {Duplicate:P0}, reorder {Reorder:P0}" +
        (MaxDelay > TimeSpan.Zero ? $", delay {MinDelay.TotalMilliseconds:0}-{MaxDelay.TotalMilliseconds:0}ms" : "") + $", seed {Seed}";
}

/// <summary>The plan for one datagram.</summary>
public readonly record struct DatagramPlan(DatagramFate Fate, TimeSpan Delay, bool Duplicate);

/// <summary>Draws a <see cref="DatagramPlan"/> per datagram from the settings' seeded generator; callers draw in send order.</summary>
public sealed class DatagramFaults(DatagramFaultSettings settings)
{
    private readonly Random _random = new(settings.Seed);

    public DatagramFaultSettings Settings { get; } = settings;

    public DatagramPlan Next()
    {
        // Every draw is made for every datagram, so one setting never shifts the sequence another one sees.
        var lost = _random.NextDouble() < Settings.Loss;
        var duplicate = _random.NextDouble() < Settings.Duplicate;
        var reorder = _random.NextDouble() < Settings.Reorder;
        var span = Settings.MaxDelay - Settings.MinDelay;
        var delay = Settings.MinDelay + (span > TimeSpan.Zero ? span * _random.NextDouble() : TimeSpan.Zero);
        return lost ? new DatagramPlan(DatagramFate.Lost, TimeSpan.Zero, false)
            : reorder ? new DatagramPlan(DatagramFate.Reordered, delay, duplicate)
            : new DatagramPlan(delay > TimeSpan.Zero ? DatagramFate.Delayed : DatagramFate.Delivered, delay, duplicate);
    }
}
