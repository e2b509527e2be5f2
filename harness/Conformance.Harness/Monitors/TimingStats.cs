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
