using Conformance.Harness.Clients;
using Conformance.Harness.Scenarios;
using Conformance.Mocks.Chaos;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Running;

/// <summary>What shrinking a chaos run found.</summary>
/// <param name="First">The run with the seed, as it failed (or passed: then nothing was shrunk).</param>
/// <param name="Rule">The broken rule that every kept schedule still breaks; null when the first run broke none.</param>
/// <param name="Schedule">The smallest schedule found that still breaks <paramref name="Rule"/>.</param>
/// <param name="Runs">Scenario runs spent, the first included.</param>
public sealed record ShrinkResult(ScenarioResult First, string? Rule, IReadOnlyList<ChaosEvent> Schedule, int Runs)
{
    /// <summary>The chaos events of the first run, in order: what shrinking started from.</summary>
    public IReadOnlyList<ChaosEvent> Original { get; init; } = [];

    /// <summary>True when the rule broke again with no chaos at all: the failure is not chaos's doing.</summary>
    public bool FailsWithoutChaos { get; init; }
}

/// <summary>
/// Shrinks a failing chaos run to the fewest chaos events that still break the same rule: runs the scenario with the seed,
/// takes the events its chaos caused (every one is in the transcript), then removes events by delta debugging (halves,
/// then quarters, ..., keeping any part or complement that still fails), each candidate run as an explicit schedule.
/// Timing can make one candidate pass that would fail another time, so the result is small, not always minimal.
/// </summary>
public sealed class ChaosShrinker(RunOptions options, int maxRuns = 40)
{
    public async Task<ShrinkResult> ShrinkAsync(Scenario scenario, ClientSpec client, Action<string>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (Drawing(scenario) != 1)
        {
            throw new ArgumentException($"{scenario.Id} has {Drawing(scenario)} chaos steps that draw; shrinking takes a scenario with exactly one.", nameof(scenario));
        }

        var runner = new ScenarioRunner(options);
        var first = await runner.RunAsync(scenario, client, cancellation).ConfigureAwait(false);
        var runs = 1;
        var rule = first.Broken.FirstOrDefault(r => r.Verdict is Verdict.Fail or Verdict.Warn)?.Rule.Id;
        var original = first.Transcript.OfType<ChaosApplied>().Select(a => a.Event).ToList();
        if (rule is null)
        {
            return new ShrinkResult(first, null, original, runs) { Original = original };
        }

        progress?.Invoke($"run 1 broke {rule} with {original.Count} chaos events");

        async Task<bool> FailsWith(IReadOnlyList<ChaosEvent> schedule)
        {
            runs++;
            var result = await runner.RunAsync(WithSchedule(scenario, schedule), client, cancellation).ConfigureAwait(false);
            var fails = result.Broken.Any(r => r.Rule.Id == rule && r.Verdict is Verdict.Fail or Verdict.Warn);
            progress?.Invoke($"run {runs}: {schedule.Count} events: {(fails ? "still breaks " + rule : "passes")}");
            return fails;
        }

        if (await FailsWith([]).ConfigureAwait(false))
        {
            return new ShrinkResult(first, rule, [], runs) { Original = original, FailsWithoutChaos = true };
        }

        var kept = original;
        var parts = 2;
        while (kept.Count >= 1 && runs < maxRuns)
        {
            if (kept.Count == 1)
            {
                break;
            }

            var chunks = Split(kept, Math.Min(parts, kept.Count));
            List<ChaosEvent>? smaller = null;
            foreach (var candidate in chunks.Concat(chunks.Count > 2 ? chunks.Select(c => kept.Except(c).ToList()) : []))
            {
                if (runs >= maxRuns)
                {
                    break;
                }

                if (await FailsWith(candidate).ConfigureAwait(false))
                {
                    smaller = candidate;
                    break;
                }
            }

            if (smaller is not null)
            {
                parts = Math.Max(2, chunks.Contains(smaller) ? 2 : parts - 1);
                kept = smaller;
            }
            else if (parts >= kept.Count)
            {
                break;
            }
            else
            {
                parts = Math.Min(kept.Count, parts * 2);
            }
        }

        return new ShrinkResult(first, rule, kept, runs) { Original = original };
    }

    /// <summary>How many chaos steps of the scenario turn chaos on (a <c>chaos: {}</c> that turns it off does not count).</summary>
    public static int Drawing(Scenario scenario) => scenario.Steps.OfType<ChaosStep>().Count(c => !c.Settings.IsOff);

    /// <summary>The scenario with its chaos step that turns chaos on replaying exactly <paramref name="schedule"/>.</summary>
    public static Scenario WithSchedule(Scenario scenario, IReadOnlyList<ChaosEvent> schedule) => scenario with
    {
        Steps = [.. scenario.Steps.Select(s => s is ChaosStep { Settings.IsOff: false } chaos ? chaos with { Settings = new ChaosSettings(chaos.Settings.Seed) { Schedule = schedule } } : s)],
    };

    private static List<List<ChaosEvent>> Split(List<ChaosEvent> events, int parts)
    {
        var chunks = new List<List<ChaosEvent>>();
        var at = 0;
        for (var i = 0; i < parts; i++)
        {
            var size = (events.Count - at) / (parts - i);
            chunks.Add(events.GetRange(at, size));
            at += size;
        }

        return chunks;
    }
}
