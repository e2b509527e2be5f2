using System.Globalization;

namespace Conformance.Mocks.Wire;

/// <summary>
/// How every message the mock sends on a WebSocket goes on the wire, from the moment it is set: split into fragments of
/// the given sizes (the last size repeating) with a ping between each two, held back by a delay drawn from a range
/// (order is kept: TCP does not reorder), written a few bytes at a time. <see cref="AnswerClose"/> false leaves a
/// client's close frame unanswered and the TCP connection open. Delays are drawn from <see cref="Seed"/>: the same seed
/// and the same sends give the same delays.
/// </summary>
public sealed record WireFaultSettings(int Seed)
{
    /// <summary>Fragment sizes in bytes, the last one repeating; null or empty sends each message as one frame.</summary>
    public IReadOnlyList<int>? Fragments { get; init; }

    /// <summary>A ping between each two fragments of a message (RFC 6455 §5.4 allows control frames there).</summary>
    public bool PingBetween { get; init; }

    public TimeSpan MinDelay { get; init; }

    public TimeSpan MaxDelay { get; init; }

    /// <summary>Each frame is written <see cref="DribbleBytes"/> at a time, this long apart; zero writes it at once.</summary>
    public TimeSpan DribbleEvery { get; init; }

    public int DribbleBytes { get; init; } = 1;

    /// <summary>False: a client's close frame gets no close frame back and the TCP connection stays open.</summary>
    public bool AnswerClose { get; init; } = true;

    /// <summary>True when no setting changes anything: the mock writes as a WebSocket library would.</summary>
    public bool IsOff => Fragments is not { Count: > 0 } && MaxDelay <= TimeSpan.Zero && DribbleEvery <= TimeSpan.Zero && AnswerClose;

    /// <summary>True when messages go through <see cref="WirePolicy.Plan"/> rather than the WebSocket library.</summary>
    public bool ShapesSends => Fragments is { Count: > 0 } || MaxDelay > TimeSpan.Zero || DribbleEvery > TimeSpan.Zero;

    public override string ToString() => $"{Shape()}, seed {Seed}";

    /// <summary>The settings without the seed, as people read them: "fragments of 1 bytes, a ping between each two".</summary>
    public string Shape()
    {
        var parts = new List<string>();
        if (Fragments is { Count: > 0 } sizes)
        {
            parts.Add($"fragments of {string.Join('+', sizes.Select(s => s.ToString(CultureInfo.InvariantCulture)))}{(sizes.Count > 1 ? "+..." : "")} bytes" +
                (PingBetween ? ", a ping between each two" : ""));
        }

        if (MaxDelay > TimeSpan.Zero)
        {
            parts.Add(MinDelay == MaxDelay ? $"delay {MinDelay.TotalMilliseconds:0}ms" : $"delay {MinDelay.TotalMilliseconds:0}-{MaxDelay.TotalMilliseconds:0}ms");
        }

        if (DribbleEvery > TimeSpan.Zero)
        {
            parts.Add($"dribbled {DribbleBytes} byte{(DribbleBytes == 1 ? "" : "s")} every {DribbleEvery.TotalMilliseconds:0}ms");
        }

        if (!AnswerClose)
        {
            parts.Add("close frames unanswered");
        }

        return parts.Count == 0 ? "off" : string.Join(", ", parts);
    }
}

/// <summary>Plans each message's writes under <see cref="WireFaultSettings"/>, drawing delays from its seed in send order.</summary>
public sealed class WirePolicy(WireFaultSettings settings)
{
    private readonly Random _random = new(settings.Seed);
    private readonly Lock _gate = new();

    public WireFaultSettings Settings { get; } = settings;

    /// <summary>The writes for one message: its frames, the first after the drawn delay, each dribbled if so set.</summary>
    public List<WireWrite> Plan(byte opcode, ReadOnlySpan<byte> payload)
    {
        TimeSpan delay;
        lock (_gate)
        {
            var span = Settings.MaxDelay - Settings.MinDelay;
            delay = Settings.MinDelay + (span > TimeSpan.Zero ? span * _random.NextDouble() : TimeSpan.Zero);
        }

        var frames = Settings.Fragments is { Count: > 0 } sizes
            ? WireFrames.Fragments(opcode, payload, sizes, Settings.PingBetween)
            : [WireFrames.Frame(opcode, payload)];
        var writes = new List<WireWrite>();
        foreach (var frame in frames)
        {
            if (Settings.DribbleEvery <= TimeSpan.Zero)
            {
                writes.Add(new WireWrite(TimeSpan.Zero, frame));
                continue;
            }

            var step = Math.Max(1, Settings.DribbleBytes);
            for (var at = 0; at < frame.Length; at += step)
            {
                writes.Add(new WireWrite(writes.Count == 0 ? TimeSpan.Zero : Settings.DribbleEvery, frame[at..Math.Min(frame.Length, at + step)]));
            }
        }

        writes[0] = writes[0] with { Before = delay };
        return writes;
    }

    /// <summary>How a message of <paramref name="length"/> bytes went on the wire, for the transcript; null when as usual.</summary>
    /// <remarks>Drawn delays are left out: they change with the seed, and snapshots must not.</remarks>
    public string? Describe(int length)
    {
        var parts = new List<string>();
        if (Settings.Fragments is { Count: > 0 } sizes)
        {
            var count = WireFrames.Fragments(WireFrames.Text, new byte[length], sizes, pingBetween: false).Count;
            parts.Add($"{count} fragment{(count == 1 ? "" : "s")}" + (Settings.PingBetween && count > 1 ? $", {count - 1} ping{(count == 2 ? "" : "s")} between" : ""));
        }

        if (Settings.DribbleEvery > TimeSpan.Zero)
        {
            parts.Add($"dribbled {Settings.DribbleBytes} byte{(Settings.DribbleBytes == 1 ? "" : "s")} every {Settings.DribbleEvery.TotalMilliseconds:0}ms");
        }

        return parts.Count == 0 ? null : string.Join(", ", parts);
    }
}
