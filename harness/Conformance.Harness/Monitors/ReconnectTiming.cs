using System.Globalization;
using Conformance.Harness.Scenarios;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Monitors;

/// <summary>
/// Judges a client's reconnect attempts (upgrades the mock refused or accepted, in order) after a connection ended:
/// <list type="bullet">
/// <item>Storm: an attempt sooner than <see cref="ReconnectStorm.Min"/> after the one before it (the first: after the end
/// of the connection), or more than <see cref="ReconnectStorm.Limit"/> attempts inside any <see cref="ReconnectStorm.Per"/>
/// (<see cref="AttemptStorm"/>).</item>
/// <item>Backoff: no wait longer than <see cref="ReconnectBackoff.Max"/>; with <see cref="ReconnectBackoff.Grows"/>, the
/// wait after each failed (refused) attempt is no shorter than the one before, and the last is longer than the first,
/// unless the first was already at the cap.</item>
/// </list>
/// Every bound allows for jitter: <see cref="Tolerance"/> of it, at least <see cref="JitterFloor"/>. A one-off violation
/// inside a window where the machine was overloaded (<see cref="LoadProbe"/>) is inconclusive (Error), as the heartbeat
/// monitor's one-off lateness is, while a pattern (the same fault twice, three waits that never grew) is judged as it is: a wait too long when either the harness lagged or the CPU was under pressure (the client may have
/// been starved), a wait too short or not grown only when the harness itself lagged (it may have stamped an attempt late;
/// load on the client only ever makes its waits longer). A storm is a backoff missing altogether, so once the attempts stormed beyond doubt the backoff is
/// not judged on them: the storm rule says it once.
/// </summary>
internal static class ReconnectTiming
{
    /// <summary>The share of a bound allowed for jitter: 25 %.</summary>
    public const double Tolerance = 0.25;

    /// <summary>The least jitter allowance: 50 ms, the heartbeat monitor's floor.</summary>
    public static readonly TimeSpan JitterFloor = TimeSpan.FromMilliseconds(50);

    /// <summary>The jitter allowance around <paramref name="bound"/>.</summary>
    public static TimeSpan Slack(TimeSpan bound) => bound * Tolerance > JitterFloor ? bound * Tolerance : JitterFloor;

    public static IReadOnlyList<RuleFinding> Judge(
        ReconnectAttempts seen,
        ReconnectStorm? storm,
        string stormRule,
        ReconnectBackoff? backoff,
        string backoffRule,
        Func<TimeSpan, TimeSpan, LoadReading?> load)
    {
        var findings = new List<RuleFinding>();
        RuleFinding? stormed = null;
        if (storm is not null)
        {
            stormed = Storm(seen, storm, stormRule, load);
            findings.Add(stormed);
        }

        if (backoff is not null)
        {
            if (stormed is { Violated: true, Inconclusive: false })
            {
                if (backoffRule != stormRule)
                {
                    findings.Add(new RuleFinding(backoffRule, Violated: false, $"backoff not judged: the attempts came as a storm ({stormRule})"));
                }
            }
            else
            {
                findings.Add(Backoff(seen, backoff, backoffRule, load));
            }
        }

        return findings;
    }

    private static RuleFinding Storm(ReconnectAttempts seen, ReconnectStorm storm, string rule, Func<TimeSpan, TimeSpan, LoadReading?> load)
    {
        var expected = new List<string>();
        var violations = new List<Violation>();
        if (storm.Min is { } min)
        {
            var floor = min - Slack(min);
            expected.Add($"no attempt within {Ms(min)} of the one before (under {Ms(floor)} counts, for jitter)");
            for (var i = 0; i < seen.Attempts.Count; i++)
            {
                if (seen.Gap(i) < floor)
                {
                    violations.Add(new Violation(
                        "early",
                        $"#{seen.Attempts[i].Index} came {Ms(seen.Gap(i))} after {seen.Previous(i)}",
                        seen.Start(i),
                        seen.Attempts[i].At,
                        [seen.Attempts[i]],
                        Short: true));
                }
            }
        }

        if (storm.Limit is { } limit)
        {
            var counter = new AttemptStorm(limit, storm.Per);
            expected.Add($"no more than {limit} attempts in any {Durations.Format(storm.Per)}");
            foreach (var burst in counter.Find(seen.Attempts))
            {
                var i = IndexOf(seen, burst);
                var first = seen.Attempts[i - limit];
                violations.Add(new Violation(
                    "burst",
                    $"#{burst.Index} was the {Ordinal(limit + 1)} attempt in {Ms(burst.At - first.At)} (from #{first.Index})",
                    first.At,
                    burst.At,
                    [burst],
                    Short: true));
            }
        }

        var what = $"reconnect attempts after {seen.OriginText}";
        return Verdict(rule, violations, load, $"{what}: expected {string.Join(" and ", expected)}; got", $"{what}: {seen.List()}", $"; attempts: {seen.List()}");
    }

    private static RuleFinding Backoff(ReconnectAttempts seen, ReconnectBackoff backoff, string rule, Func<TimeSpan, TimeSpan, LoadReading?> load)
    {
        var violations = new List<Violation>();
        var expected = new List<string>();
        var notes = new List<string>();
        if (backoff.Max is { } max)
        {
            var ceiling = max + Slack(max);
            expected.Add($"no wait longer than {Ms(max)} (over {Ms(ceiling)} counts, for jitter)");
            for (var i = 0; i < seen.Attempts.Count; i++)
            {
                if (seen.Gap(i) > ceiling)
                {
                    violations.Add(new Violation(
                        "late",
                        $"#{seen.Attempts[i].Index} came {Ms(seen.Gap(i))} after {seen.Previous(i)}",
                        seen.Start(i),
                        seen.Attempts[i].At,
                        [seen.Attempts[i]],
                        Short: false));
                }
            }
        }

        if (backoff.Grows)
        {
            // The waits after failed attempts: a wait after an accepted connection (the first after a drop) starts afresh.
            var waits = Enumerable.Range(1, Math.Max(0, seen.Attempts.Count - 1)).Where(i => seen.Attempts[i - 1] is ConnectionRefused).ToList();
            expected.Add("each wait after a failed attempt at least the one before and the last longer than the first" +
                         (backoff.Max is { } cap ? $", unless the first was already at the {Ms(cap)} cap" : ""));
            if (waits.Count < 2)
            {
                notes.Add($"growth not judged: {waits.Count} wait(s) after a failed attempt, 2 needed");
            }
            else
            {
                var lengths = waits.Select(seen.Gap).ToList();
                for (var k = 1; k < waits.Count; k++)
                {
                    if (lengths[k] < lengths[k - 1] - Slack(lengths[k - 1]))
                    {
                        violations.Add(new Violation(
                            "shrank",
                            $"the wait before #{seen.Attempts[waits[k]].Index} ({Ms(lengths[k])}) was shorter than the one before it ({Ms(lengths[k - 1])})",
                            seen.Start(waits[k - 1]),
                            seen.Attempts[waits[k]].At,
                            [seen.Attempts[waits[k]]],
                            Short: false));
                    }
                }

                var atCap = backoff.Max is { } top && lengths[0] >= top - Slack(top);
                if (!atCap && lengths[^1] < lengths[0] + Slack(lengths[0]))
                {
                    violations.Add(new Violation(
                        "flat",
                        $"the waits after failed attempts never grew: {string.Join(", ", lengths.Select(Ms))} (the last must be {Ms(Slack(lengths[0]))} longer than the first)",
                        seen.Start(waits[0]),
                        seen.Attempts[waits[^1]].At,
                        [.. waits.Select(i => seen.Attempts[i])],
                        Short: true)
                    {
                        // Three or more waits that never grew are the client's schedule, not one wait the load bent.
                        Pattern = waits.Count >= 3,
                    });
                }
            }
        }

        var what = $"reconnect backoff after {seen.OriginText}";
        var note = notes.Count == 0 ? "" : "; " + string.Join("; ", notes);
        return Verdict(rule, violations, load, $"{what}: expected {string.Join(" and ", expected)}; got", $"{what}: {seen.List()}{note}", $"; attempts: {seen.List()}");
    }

    /// <summary>
    /// Passed when nothing is wrong; else a violation naming what was expected and what came, inconclusive when every
    /// violation fell in a window where the machine was overloaded (the certain ones are reported when there are any).
    /// </summary>
    private static RuleFinding Verdict(string rule, List<Violation> violations, Func<TimeSpan, TimeSpan, LoadReading?> load, string expected, string passed, string attempts)
    {
        if (violations.Count == 0)
        {
            return new RuleFinding(rule, Violated: false, passed);
        }

        // As with heartbeats, only one-offs are excused: the same fault twice (two attempts at once, two waits over the
        // cap) is the client's schedule, whatever the load.
        var kinds = violations.GroupBy(v => v.Kind).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var judged = violations.Select(v => v.Pattern || kinds[v.Kind] >= 2 ? v with { Pattern = true } : v)
            .Select(v => (Violation: v, Load: load(v.From, v.To))).Select(j => (j.Violation, j.Load, Busy: Excuses(j.Load, j.Violation))).ToList();
        var certain = judged.Where(j => !j.Busy).Select(j => j.Violation).ToList();
        if (certain.Count > 0)
        {
            return new RuleFinding(rule, Violated: true, $"{expected} {string.Join("; ", certain.Select(v => v.Text))}{attempts}")
            {
                Evidence = [.. certain.SelectMany(v => v.Evidence).DistinctBy(e => e.Index).OrderBy(e => e.Index)],
            };
        }

        var busy = judged.First(j => j.Busy).Load!;
        return new RuleFinding(rule, Violated: true, $"the machine was too busy to judge timing ({busy}): {expected} {string.Join("; ", violations.Select(v => v.Text))}{attempts}")
        {
            Evidence = [.. violations.SelectMany(v => v.Evidence).DistinctBy(e => e.Index).OrderBy(e => e.Index)],
            Inconclusive = true,
        };
    }

    /// <summary>
    /// Whether the load explains a one-off violation: any overload a wait too long, only the harness's own lag one too
    /// short. A pattern it never explains.
    /// </summary>
    private static bool Excuses(LoadReading? load, Violation violation) =>
        !violation.Pattern && load is not null && (violation.Short ? load.MaxLag >= LoadReading.LagLimit : load.Overloaded);

    private static int IndexOf(ReconnectAttempts seen, TranscriptEntry entry)
    {
        for (var i = 0; i < seen.Attempts.Count; i++)
        {
            if (seen.Attempts[i].Index == entry.Index)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"Attempt #{entry.Index} is not among those judged.");
    }

    private static string Ordinal(int n) => n.ToString(CultureInfo.InvariantCulture) + (n % 100 is 11 or 12 or 13 ? "th" : (n % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" });

    internal static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + "ms";

    /// <summary>One thing wrong: what kind, what, the window it was measured over, and the attempts at fault.</summary>
    /// <param name="Kind">What kind of wrong (early, burst, late, shrank, flat): two of a kind are a pattern.</param>
    /// <param name="Text">What came, e.g. <c>#5 came 2ms after #4</c>.</param>
    /// <param name="From">The start of the window the violation was measured over.</param>
    /// <param name="To">The end of that window.</param>
    /// <param name="Evidence">The attempts at fault.</param>
    /// <param name="Short">
    /// A wait measured too short, or not grown: load on the client only makes waits longer, so only the harness's own lag
    /// (an attempt it stamped late) can explain it; a wait too long may also be a client the machine starved.
    /// </param>
    private sealed record Violation(string Kind, string Text, TimeSpan From, TimeSpan To, IReadOnlyList<TranscriptEntry> Evidence, bool Short)
    {
        /// <summary>Part of a pattern the load cannot explain: judged as it is, whatever the load.</summary>
        public bool Pattern { get; init; }
    }
}

/// <summary>
/// Reconnect attempts as a step saw them: the upgrades (refused or accepted) in order, after <see cref="Origin"/>, the end
/// of the connection they follow (or, when none had ended, the start of the watch), which <see cref="OriginText"/> names.
/// </summary>
internal sealed record ReconnectAttempts(TimeSpan Origin, string OriginText, IReadOnlyList<TranscriptEntry> Attempts)
{
    /// <summary>How many attempts <see cref="List"/> shows before it says how many more there were.</summary>
    public const int Shown = 12;

    /// <summary>The wait before attempt <paramref name="i"/>: from the one before it, or from the origin.</summary>
    public TimeSpan Gap(int i) => Attempts[i].At - Start(i);

    /// <summary>When the wait before attempt <paramref name="i"/> began.</summary>
    public TimeSpan Start(int i) => i == 0 ? Origin : Attempts[i - 1].At;

    /// <summary>What the wait before attempt <paramref name="i"/> began with, e.g. <c>#12</c> or <c>the drop</c>.</summary>
    public string Previous(int i) => i == 0 ? OriginText : $"#{Attempts[i - 1].Index}";

    /// <summary>Each attempt with its time and the wait before it, e.g. <c>#12 refused 503 /gateway_v2 at 1262ms (+250ms)</c>.</summary>
    public string List()
    {
        if (Attempts.Count == 0)
        {
            return "none";
        }

        var shown = Enumerable.Range(0, Math.Min(Attempts.Count, Shown)).Select(Describe);
        return string.Join(", ", shown) + (Attempts.Count > Shown ? $", and {Attempts.Count - Shown} more" : "");
    }

    private string Describe(int i) => Attempts[i] switch
    {
        ConnectionRefused r => $"#{r.Index} refused {r.Status} {r.Path} at {ReconnectTiming.Ms(r.At)} (+{ReconnectTiming.Ms(Gap(i))})",
        ConnectionOpened o => $"#{o.Index} connection {o.Connection} {o.Path} at {ReconnectTiming.Ms(o.At)} (+{ReconnectTiming.Ms(Gap(i))})",
        var e => $"#{e.Index} at {ReconnectTiming.Ms(e.At)} (+{ReconnectTiming.Ms(Gap(i))})",
    };
}
