using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Monitors;

/// <summary>
/// Protocol-neutral heartbeat timing, per connection, from the frame that advertises the interval until the connection
/// ends or the harness starts stopping the client.
/// <list type="bullet">
/// <item>First beat: within <see cref="FirstBeatAllowance"/> intervals of the advertisement.</item>
/// <item>Period: the median gap (from <see cref="MinimumGapsForMedian"/> gaps on) within the tolerance of the interval.
/// A median somewhat shorter, down to <see cref="EarlyFactor"/> intervals, is only a Warn (some official clients beat
/// early on purpose); shorter than that (an interval read in the wrong unit) or longer than the band fails.</item>
/// <item>No gap over <see cref="MissedFactor"/> intervals (a missed beat), none under <see cref="EarlyFactor"/> (an
/// early beat).</item>
/// </list>
/// Every tolerance is the larger of its share of the interval and <see cref="JitterFloor"/>, so short advertised
/// intervals do not turn scheduling jitter into failures. A single stall, one beat late and the next back on the
/// schedule (the two gaps together keep two intervals), is neither a missed nor an early beat. A one-off lateness
/// (first beat, missed or early beat) that coincides with the machine being overloaded, as the harness's own
/// <see cref="LoadProbe"/> saw it, is inconclusive (Error), not the client's failure; a period that is wrong throughout
/// (twice the interval, no beat at all) is judged as it is.
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

    /// <summary>The least any tolerance above one interval may be, whatever the interval: 50 ms.</summary>
    public TimeSpan JitterFloor { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The longest gap a stall may have for the beats after it to absorb it: 3 intervals.</summary>
    public double StallLimit { get; init; } = 3;

    /// <summary>A connection this many intervals long without a single beat is not a lateness but a client that does not beat.</summary>
    public double SilentFactor { get; init; } = 3;

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
        var limits = new Limits(this, interval);
        var end = context.ReadUntil(connection);
        var beats = frames.Where(f => f.Direction == Direction.ClientToServer && f.At >= welcome.At && f.At <= end && isBeat(f)).ToList();
        var name = $"connection {connection}";

        if (beats.Count == 0)
        {
            var silence = end - welcome.At;
            if (silence > limits.FirstBeat)
            {
                var message = $"{name}: no heartbeat in {Ms(silence)} after the interval of {Ms(interval)} was advertised (limit {Ms(limits.FirstBeat)})";
                yield return silence >= interval * SilentFactor
                    ? new RuleFinding(firstBeatRule, Violated: true, message) { Evidence = [welcome] }
                    : Lateness(context, firstBeatRule, message, welcome.At, end, [welcome]);
            }

            yield break;
        }

        var first = beats[0].At - welcome.At;
        var firstMessage = $"{name}: first heartbeat {Ms(first)} after the welcome (limit {Ms(limits.FirstBeat)})";
        yield return first > limits.FirstBeat
            ? Lateness(context, firstBeatRule, firstMessage, welcome.At, beats[0].At, [welcome, beats[0]])
            : new RuleFinding(firstBeatRule, Violated: false, firstMessage);

        var gaps = beats.Zip(beats.Skip(1), (a, b) => new Gap(a.At, b.At, b)).ToList();
        if (end - beats[^1].At > limits.Missed)
        {
            gaps.Add(new Gap(beats[^1].At, end, beats[^1]) { IsTail = true });
        }

        if (gaps.Count == 0)
        {
            yield break;
        }

        // The server advertised again (a repeated welcome, as chaos makes): a client that restarts its schedule on it beats
        // anew within the first-beat allowance, and the gap across it is no early or missed beat.
        var readvertised = frames.Where(f => f.Direction == Direction.ServerToClient && f.At > welcome.At && advertisedInterval(f) is not null).Select(f => f.At).ToList();
        foreach (var gap in gaps.Where(g => readvertised.Any(at => at > g.From && at <= g.To && g.To - at <= limits.FirstBeat)))
        {
            gap.Absorbed = true;
        }

        var stalls = AbsorbStalls(gaps, limits, context);
        var samples = gaps.Select(g => g.Length).ToList();
        var stats = TimingStats.From(interval, samples, Margin(limits, gaps)) with
        {
            Connection = connection,
            Gaps = [.. gaps.Select(g => new TimingSample(g.To, g.Length))],
            Limits = new TimingLimits(interval - limits.Band, interval + limits.Band, limits.Early, limits.Missed),
        };
        var summary = $" ({stats}" + (stalls > 0 ? $"; {stalls} single stall(s) with the next beat back on schedule" : "") + ")";

        var findings = new List<RuleFinding>();
        var medianJudged = gaps.Count >= MinimumGapsForMedian;
        var median = MedianOf(gaps);
        if (medianJudged && median > interval + limits.Band)
        {
            findings.Add(new RuleFinding(periodRule, Violated: true, $"{name}: median gap {Ms(median)} is longer than {Ms(interval)} +{Ms(limits.Band)}" + summary) { Timing = stats });
        }
        else if (medianJudged && median < limits.Early)
        {
            findings.Add(new RuleFinding(periodRule, Violated: true,
                $"{name}: median gap {Ms(median)} is under a quarter of the advertised {Ms(interval)} (an interval read in the wrong unit?)" + summary)
            { Timing = stats });
        }
        else if (medianJudged && median < interval - limits.Band)
        {
            findings.Add(new RuleFinding(periodRule, Violated: true,
                $"{name}: median gap {Ms(median)} is shorter than {Ms(interval)} -{Ms(limits.Band)}; beating early is safe but more than needed" + summary)
            { Timing = stats, Advisory = true });
        }

        foreach (var starved in gaps.Where(g => g.StallStart && g.Length > interval * StallLimit))
        {
            findings.Add(Lateness(context, periodRule, $"{name}: a {Ms(starved.Length)} stall before {At(starved.Frame)}, then beats at once" + summary, starved.From, starved.To, [starved.Frame]) with { Timing = stats });
        }

        var missed = gaps.Where(g => !g.Absorbed && g.Length > limits.Missed).ToList();
        var early = gaps.Where(g => !g.Absorbed && !g.IsTail && g.Length < limits.Early).ToList();
        // With the period itself wrong, or most gaps off, each odd gap is part of a pattern, not a one-off to excuse.
        var pattern = findings.Any(f => !f.Advisory) || (missed.Count + early.Count >= 2 && (missed.Count + early.Count) * 2 >= gaps.Count);
        foreach (var gap in missed)
        {
            var message = gap.IsTail
                ? $"{name}: missed beat: {Ms(gap.Length)} without a heartbeat after the last one at {At(gap.Frame)}, until the connection ended (limit {Ms(limits.Missed)})"
                : $"{name}: missed beat: {Ms(gap.Length)} without a heartbeat before {At(gap.Frame)} (limit {Ms(limits.Missed)})";
            findings.Add(Judge(context, pattern, periodRule, message + summary, gap, stats));
        }

        foreach (var gap in early)
        {
            // A beat read soon after the one before usually means that one was read late: the machine's load is judged
            // from the beat before it (or the welcome), across both gaps.
            var index = gaps.IndexOf(gap);
            var since = index > 0 ? gaps[index - 1].From : welcome.At;
            var message = $"{name}: early beat: {Ms(gap.Length)} after the previous one, at {At(gap.Frame)} (limit {Ms(limits.Early)})";
            findings.Add(Judge(context, pattern, periodRule, message + summary, gap with { From = since }, stats));
        }

        if (findings.Count == 0)
        {
            findings.Add(new RuleFinding(periodRule, Violated: false, $"{name}: heartbeats kept the period" + summary) { Timing = stats });
        }

        foreach (var finding in findings)
        {
            yield return finding;
        }
    }

    private static RuleFinding Judge(MonitorContext context, bool pattern, string rule, string message, Gap gap, TimingStats stats) => pattern
        ? new RuleFinding(rule, Violated: true, message) { Evidence = [gap.Frame], Timing = stats }
        : Lateness(context, rule, message, gap.From, gap.To, [gap.Frame]) with { Timing = stats };

    /// <summary>
    /// A one-off lateness: the client's fault, unless the harness saw the machine overloaded in that window, when it
    /// cannot tell a late client from a starved one.
    /// </summary>
    private static RuleFinding Lateness(MonitorContext context, string rule, string message, TimeSpan from, TimeSpan to, IReadOnlyList<TranscriptEntry> evidence) =>
        context.Load(from, to) is { Overloaded: true } load
            ? new RuleFinding(rule, Violated: true, $"the machine was too busy to judge timing ({load}): {message}") { Evidence = evidence, Inconclusive = true }
            : new RuleFinding(rule, Violated: true, message) { Evidence = evidence };

    /// <summary>
    /// Marks each single stall: a late gap (at most <see cref="StallLimit"/> intervals) followed by short gaps that
    /// together keep the schedule, so the run of gaps sums to as many intervals as it has gaps. That is a client whose
    /// beats are due on a fixed schedule, held up once and catching up at once. Returns how many there were.
    /// </summary>
    private int AbsorbStalls(List<Gap> gaps, Limits limits, MonitorContext context)
    {
        var stalls = 0;
        for (var i = 0; i < gaps.Count; i++)
        {
            // A stall longer than the limit is absorbed only when the machine was overloaded across it: beats read late
            // and all at once are the harness starving, not the client catching up (it is then reported as inconclusive).
            var load = context.Load(gaps[i].From, gaps[i].To);
            if (gaps[i].IsTail || gaps[i].Length <= limits.Interval + limits.Band ||
                (gaps[i].Length > limits.Interval * StallLimit && load is not { Overloaded: true }))
            {
                continue;
            }

            // Beats the harness itself read late, its timer lagging, are late by up to that lag: on an overloaded machine
            // the run keeps the schedule within the band plus the lag the harness measured.
            var tolerance = limits.Band + (load is { Overloaded: true } ? load.MaxLag : TimeSpan.Zero);
            // The stall and the short gaps after it, as far as they keep the schedule: with the harness's lag in the
            // tolerance, the whole burst read at once, not only its first beats.
            var sum = gaps[i].Length;
            var last = -1;
            for (var j = i + 1; j < gaps.Count && !gaps[j].IsTail && gaps[j].Length < limits.Interval - limits.Band; j++)
            {
                sum += gaps[j].Length;
                if ((sum - (limits.Interval * (j - i + 1))).Duration() <= tolerance)
                {
                    last = j;
                }
            }

            if (last < 0)
            {
                continue;
            }

            for (var k = i; k <= last; k++)
            {
                gaps[k].Absorbed = true;
            }

            gaps[i].StallStart = true;
            stalls++;
            i = last;
        }

        return stalls;
    }

    /// <summary>The median gap, every gap of an absorbed stall counted as the interval the stall kept on average.</summary>
    private static TimeSpan MedianOf(List<Gap> gaps)
    {
        var lengths = new List<TimeSpan>(gaps.Count);
        for (var i = 0; i < gaps.Count; i++)
        {
            var j = i;
            while (gaps[i].Absorbed && j + 1 < gaps.Count && gaps[j + 1].Absorbed && !gaps[j + 1].StallStart)
            {
                j++;
            }

            var run = gaps.Skip(i).Take(j - i + 1).ToList();
            var mean = TimeSpan.FromTicks(run.Sum(g => g.Length.Ticks) / run.Count);
            lengths.AddRange(Enumerable.Repeat(mean, run.Count));
            i = j;
        }

        lengths.Sort();
        return lengths[(lengths.Count - 1) / 2];
    }

    /// <summary>The smallest distance of any limit to being crossed: median band, missed and early thresholds.</summary>
    private TimeSpan Margin(Limits limits, List<Gap> gaps)
    {
        var counted = gaps.Where(g => !g.Absorbed).Select(g => g.Length).Order().ToList();
        var band = gaps.Count >= MinimumGapsForMedian ? limits.Band - (MedianOf(gaps) - limits.Interval).Duration() : TimeSpan.MaxValue;
        var missed = counted.Count > 0 ? limits.Missed - counted[^1] : TimeSpan.MaxValue;
        var early = counted.Count > 0 ? counted[0] - limits.Early : TimeSpan.MaxValue;
        return new[] { band, missed, early }.Min();
    }

    private static string Ms(TimeSpan t) => $"{t.TotalMilliseconds:0}ms";

    private static string At(TranscriptEntry e) => $"t={e.At.TotalMilliseconds:0}ms (#{e.Index})";

    /// <summary>The time from one beat (or the last beat) to the next (or the end of what is judged).</summary>
    private sealed record Gap(TimeSpan From, TimeSpan To, FrameRecorded Frame)
    {
        public TimeSpan Length => To - From;

        public bool IsTail { get; init; }

        /// <summary>Part of a single stall: late, then back on schedule.</summary>
        public bool Absorbed { get; set; }

        /// <summary>The late gap that opens a stall.</summary>
        public bool StallStart { get; set; }
    }

    /// <summary>This monitor's limits for one advertised interval, each tolerance at least the jitter floor.</summary>
    private readonly record struct Limits(TimeSpan Interval, TimeSpan Band, TimeSpan FirstBeat, TimeSpan Missed, TimeSpan Early)
    {
        public Limits(HeartbeatMonitor monitor, TimeSpan interval)
            : this(
                interval,
                Max(interval * monitor.PeriodTolerance, monitor.JitterFloor),
                interval + Max(interval * (monitor.FirstBeatAllowance - 1), monitor.JitterFloor),
                interval + Max(interval * (monitor.MissedFactor - 1), monitor.JitterFloor),
                interval * monitor.EarlyFactor)
        {
        }

        private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
    }
}
