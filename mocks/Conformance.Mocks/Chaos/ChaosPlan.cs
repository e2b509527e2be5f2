using System.Globalization;

namespace Conformance.Mocks.Chaos;

/// <summary>What chaos does to one message of the mock's.</summary>
public enum ChaosAction
{
    /// <summary>The message waits <see cref="ChaosEvent.Delay"/> before it goes (on a WebSocket, order is kept).</summary>
    Delay,

    /// <summary>The message goes twice.</summary>
    Duplicate,

    /// <summary>The message is held back and goes after the next one (or alone, a little later, when none follows).</summary>
    Reorder,

    /// <summary>A WebSocket connection is dropped without a close frame instead; a datagram is lost.</summary>
    Drop,

    /// <summary>A WebSocket connection is reset (TCP RST) instead; UDP has no such thing, so datagrams never draw it.</summary>
    Reset,
}

/// <summary>Chaos on the <see cref="Message"/>-th message (from 1) the mock sends on channel <see cref="Channel"/>.</summary>
public sealed record ChaosEvent(int Channel, int Message, ChaosAction Action, TimeSpan Delay)
{
    public override string ToString() =>
        $"channel {Channel} message {Message}: {Action.ToString().ToLowerInvariant()}" + (Action == ChaosAction.Delay ? $" {Delay.TotalMilliseconds:0}ms" : "");
}

/// <summary>
/// Seeded chaos for every channel of a host, WebSocket and UDP alike: each message the mock sends draws at most one
/// <see cref="ChaosAction"/> from the probabilities (checked in the order drop, reset, duplicate, reorder, delay). Each
/// message's draw depends only on the seed, its channel and its number on that channel, so the same seed gives the same
/// schedule however the channels' sends interleave. With a <see cref="Schedule"/>, exactly the events listed happen and
/// nothing is drawn: what a shrunk failing run replays.
/// </summary>
public sealed record ChaosSettings(int Seed)
{
    public double Drop { get; init; }

    public double Reset { get; init; }

    public double Duplicate { get; init; }

    public double Reorder { get; init; }

    /// <summary>Probability that a message is delayed by a duration drawn from <see cref="MinDelay"/>..<see cref="MaxDelay"/>.</summary>
    public double Delay { get; init; }

    public TimeSpan MinDelay { get; init; }

    public TimeSpan MaxDelay { get; init; }

    /// <summary>Exactly these events, nothing drawn; null to draw from the probabilities.</summary>
    public IReadOnlyList<ChaosEvent>? Schedule { get; init; }

    public bool IsOff => Schedule is null ? Drop + Reset + Duplicate + Reorder + Delay == 0 : Schedule.Count == 0;

    /// <summary>The settings as people read them, without the seed.</summary>
    public string Shape() => Schedule is { } schedule
        ? schedule.Count == 0 ? "an empty schedule" : $"a schedule of {schedule.Count}: " + string.Join("; ", schedule)
        : string.Join(", ", new[] { ("drop", Drop), ("reset", Reset), ("duplicate", Duplicate), ("reorder", Reorder), ("delay", Delay) }
            .Where(p => p.Item2 > 0)
            .Select(p => $"{p.Item1} {p.Item2.ToString("0.###", CultureInfo.InvariantCulture)}"))
          + (Delay > 0 ? $" ({MinDelay.TotalMilliseconds:0}-{MaxDelay.TotalMilliseconds:0}ms)" : "");

    public override string ToString() => Schedule is null ? $"{Shape()}, seed {Seed}" : Shape();
}

/// <summary>Decides, per message, what chaos does (see <see cref="ChaosSettings"/>).</summary>
public sealed class ChaosPlan(ChaosSettings settings)
{
    private readonly Dictionary<(int Channel, int Message), ChaosEvent>? _schedule =
        settings.Schedule?.ToDictionary(e => (e.Channel, e.Message));

    public ChaosSettings Settings { get; } = settings;

    /// <summary>The chaos for message <paramref name="message"/> (from 1) on <paramref name="channel"/>, or null to send it as usual.</summary>
    public ChaosEvent? Decide(int channel, int message, bool udp)
    {
        if (_schedule is not null)
        {
            return _schedule.TryGetValue((channel, message), out var listed) && !(udp && listed.Action == ChaosAction.Reset) ? listed : null;
        }

        var random = new Random(Mix(Settings.Seed, channel, message));

        // Every draw is made for every message, so one probability never shifts what another one decides.
        var drop = random.NextDouble() < Settings.Drop;
        var reset = random.NextDouble() < Settings.Reset && !udp;
        var duplicate = random.NextDouble() < Settings.Duplicate;
        var reorder = random.NextDouble() < Settings.Reorder;
        var delay = random.NextDouble() < Settings.Delay;
        var span = Settings.MaxDelay - Settings.MinDelay;
        var wait = Settings.MinDelay + (span > TimeSpan.Zero ? TimeSpan.FromMilliseconds(Math.Round(span.TotalMilliseconds * random.NextDouble())) : TimeSpan.Zero);
        ChaosAction? action = drop ? ChaosAction.Drop : reset ? ChaosAction.Reset : duplicate ? ChaosAction.Duplicate
            : reorder ? ChaosAction.Reorder : delay ? ChaosAction.Delay : null;
        return action is { } a ? new ChaosEvent(channel, message, a, a == ChaosAction.Delay ? wait : TimeSpan.Zero) : null;
    }

    /// <summary>A seed for one message's draws, stable across processes (unlike <see cref="HashCode"/>): SplitMix64 of the three numbers.</summary>
    private static int Mix(int seed, int channel, int message)
    {
        var x = unchecked(((ulong)(uint)seed << 32) ^ ((ulong)(uint)channel << 20) ^ (uint)message);
        x = unchecked(x + 0x9E3779B97F4A7C15UL);
        x = unchecked((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL);
        x = unchecked((x ^ (x >> 27)) * 0x94D049BB133111EBUL);
        return unchecked((int)(x ^ (x >> 31)));
    }
}
