using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Monitors;

/// <summary>
/// Protocol-neutral heartbeat timing. Per connection, from the frame that advertises the interval: the first beat
/// must come within <see cref="FirstBeatAllowance"/> intervals; after it, the median gap must be within
/// <see cref="PeriodTolerance"/> of the interval (judged from <see cref="MinimumGapsForMedian"/> gaps on), no gap may
/// exceed <see cref="MissedFactor"/> intervals (a missed beat) nor fall under <see cref="EarlyFactor"/> (an early beat).
/// The median, and limits well clear of one interval, keep a scheduler hiccup on a loaded two-core machine from
/// failing a client, while a client beating at twice the interval (gaps of 2.0 or more) is still caught.
/// </summary>
public sealed class HeartbeatMonitor(
    string firstBeatRule,
    string periodRule,
    Func<FrameRecorded, TimeSpan?> advertisedInterval,
    Func<FrameRecorded, bool> isBeat) : IRuleMonitor
{
    public double FirstBeatAllowance { get; init; } = 1.5;

    public double PeriodTolerance { get; init; } = 0.25;

    public double MissedFactor { get; init; } = 1.9;

    /// <summary>A median of one or two gaps is one late beat, not a period: below this the band is not judged.</summary>
    public int MinimumGapsForMedian { get; init; } = 3;

    public double EarlyFactor { get; init; } = 0.25;

    public IEnumerable<RuleFinding> Check(MonitorContext context)
    {
        var connections = context.Entries.OfType<ConnectionOpened>().Select(c => c.Connection);
        foreach (var connection in connections)
        {
            foreach (var finding in CheckConnection(context, connection))
            {
                yield return finding;
            }
        }
    }

    private IEnumerable<RuleFinding> CheckConnection(MonitorContext context, int connection)
    {
        var frames = context.Entries.OfType<FrameRecorded>().Where(f => f.Connection == connection).ToList();
        var welcome = frames.FirstOrDefault(f => f.Direction == Direction.ServerToClient && advertisedInterval(f) is not null);
        if (welcome is null)
        {
            yield break;
        }

        var interval = advertisedInterval(welcome)!.Value;
        var end = context.Entries.OfType<ConnectionClosed>().FirstOrDefault(c => c.Connection == connection)?.At ?? context.End;
        var beats = frames.Where(f => f.Direction == Direction.ClientToServer && f.At >= welcome.At && isBeat(f)).ToList();
        var firstLimit = interval * FirstBeatAllowance;

        if (beats.Count == 0)
        {
            if (end - welcome.At > firstLimit)
            {
                yield return new RuleFinding(
                    firstBeatRule,
                    Violated: true,
                    $"connection {connection}: no heartbeat in {Ms(end - welcome.At)} after the interval of {Ms(interval)} was advertised (limit {Ms(firstLimit)})")
                { Evidence = [welcome] };
            }

            yield break;
        }

        var first = beats[0].At - welcome.At;
        yield return new RuleFinding(
            firstBeatRule,
            first > firstLimit,
            $"connection {connection}: first heartbeat {Ms(first)} after the welcome (limit {Ms(firstLimit)})")
        { Evidence = first > firstLimit ? [welcome, beats[0]] : [] };

        var gaps = beats.Zip(beats.Skip(1), (a, b) => (Gap: b.At - a.At, Frame: b, Tail: false)).ToList();
        var tail = end - beats[^1].At;
        if (tail > interval * MissedFactor)
        {
            gaps.Add((tail, beats[^1], true));
        }

        if (gaps.Count == 0)
        {
            yield break;
        }

        var samples = gaps.Select(g => g.Gap).ToList();
        var stats = TimingStats.From(interval, samples, Margin(interval, samples));
        var problems = new List<string>();
        var evidence = new List<TranscriptEntry>();
        if (samples.Count >= MinimumGapsForMedian &&
            Math.Abs(stats.Median.TotalMilliseconds - interval.TotalMilliseconds) > interval.TotalMilliseconds * PeriodTolerance)
        {
            problems.Add($"median gap {Ms(stats.Median)} is outside {Ms(interval)} ±{PeriodTolerance:P0}");
        }

        foreach (var (gap, frame, isTail) in gaps.Where(g => g.Gap > interval * MissedFactor))
        {
            problems.Add(isTail
                ? $"missed beat: {Ms(gap)} without a heartbeat after the last one at {At(frame)}, until the connection ended"
                : $"missed beat: {Ms(gap)} without a heartbeat before {At(frame)}");
            evidence.Add(frame);
        }

        foreach (var (gap, frame, _) in gaps.Where(g => g.Gap < interval * EarlyFactor))
        {
            problems.Add($"early beat: {Ms(gap)} after the previous one, at {At(frame)}");
            evidence.Add(frame);
        }

        yield return new RuleFinding(
            periodRule,
            problems.Count > 0,
            $"connection {connection}: " + (problems.Count > 0 ? string.Join("; ", problems) : "heartbeats kept the period") + $" ({stats})")
        { Evidence = evidence, Timing = stats };
    }

    /// <summary>The smallest distance of any limit to being crossed: median band, missed and early thresholds.</summary>
    private TimeSpan Margin(TimeSpan interval, List<TimeSpan> gaps)
    {
        var sorted = gaps.Order().ToList();
        var median = sorted[(sorted.Count - 1) / 2];
        var band = gaps.Count >= MinimumGapsForMedian ? interval * PeriodTolerance - (median - interval).Duration() : TimeSpan.MaxValue;
        var missed = interval * MissedFactor - sorted[^1];
        var early = sorted[0] - interval * EarlyFactor;
        return new[] { band, missed, early }.Min();
    }

    private static string Ms(TimeSpan t) => $"{t.TotalMilliseconds:0}ms";

    private static string At(TranscriptEntry e) => $"t={e.At.TotalMilliseconds:0}ms (#{e.Index})";
}
