using System.Globalization;

namespace Conformance.Harness.Monitors;

/// <summary>
/// Distribution of measured intervals (heartbeat gaps) against the advertised one, with the margin left to the
/// tolerance: positive means inside it.
/// </summary>
public sealed record TimingStats(
    TimeSpan Advertised,
    int Samples,
    TimeSpan Min,
    TimeSpan Median,
    TimeSpan P95,
    TimeSpan Max,
    TimeSpan Margin)
{
    /// <summary>The connection these gaps were measured on; 0 when not known.</summary>
    public int Connection { get; init; }

    /// <summary>Every gap measured, in order: when the beat that closed it was read, and its length (the report's chart).</summary>
    public IReadOnlyList<TimingSample> Gaps { get; init; } = [];

    /// <summary>The limits the gaps were judged against, when a monitor judged them against a band.</summary>
    public TimingLimits? Limits { get; init; }

    public static TimingStats From(TimeSpan advertised, IReadOnlyList<TimeSpan> samples, TimeSpan margin)
    {
        var sorted = samples.Order().ToArray();
        TimeSpan At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return new TimingStats(advertised, sorted.Length, sorted[0], At(0.5), At(0.95), sorted[^1], margin);
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"advertised {Ms(Advertised)}, n={Samples}, min {Ms(Min)}, median {Ms(Median)}, p95 {Ms(P95)}, max {Ms(Max)}, margin {Ms(Margin)}");

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + "ms";
}

/// <summary>One measured interval: it ended at <paramref name="At"/> (transcript time) and lasted <paramref name="Length"/>.</summary>
public readonly record struct TimingSample(TimeSpan At, TimeSpan Length);

/// <summary>
/// The limits a heartbeat period is judged against: the median must lie in <paramref name="BandLow"/> to
/// <paramref name="BandHigh"/>, no single gap under <paramref name="Early"/> or over <paramref name="Missed"/>.
/// </summary>
public sealed record TimingLimits(TimeSpan BandLow, TimeSpan BandHigh, TimeSpan Early, TimeSpan Missed);
