using System.Globalization;
using System.Text.Json.Nodes;
using Conformance.Harness.Monitors;
using Conformance.Harness.Running;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Reports;

/// <summary>Who a run judged and how: the label of its column in a merged report, its seed and its shard.</summary>
/// <param name="Client">The client's name in reports: <c>--client-name</c>, else the command.</param>
/// <param name="Seed">The run's seed (<c>--seed</c> replays it).</param>
/// <param name="Shard">The part of the suite this run took (<c>--shard k/n</c>), or null for all of it.</param>
public sealed record RunInfo(string Client, int? Seed = null, string? Shard = null)
{
    public static RunInfo Unnamed { get; } = new("client");
}

/// <summary>
/// One scenario's outcome as every report shows it: one entry of <c>results.json</c>. Built from a run's
/// <see cref="ScenarioResult"/>, or read back from <c>results.json</c>, so that a report merged from several runs (shards,
/// or one run per client) is written by the same code, from the same data, as the report of a single run.
/// </summary>
public sealed record ScenarioReport
{
    public required string Id { get; init; }

    public required string Protocol { get; init; }

    public required string Client { get; init; }

    public required Verdict Verdict { get; init; }

    public int? Seed { get; init; }

    public string? Shard { get; init; }

    public string? SkipReason { get; init; }

    public int Reruns { get; init; }

    public double DurationMs { get; init; }

    public IReadOnlyList<string> Errors { get; init; } = [];

    public IReadOnlyList<RuleReport> Rules { get; init; } = [];

    /// <summary>The snapshot check, when the run verified snapshots.</summary>
    public SnapshotReport? Snapshot { get; init; }

    /// <summary>The readable account of what went wrong (<see cref="ScenarioResult.Explain"/>).</summary>
    public string Explanation { get; init; } = "";

    /// <summary>The transcript's file, relative to the report folder (forward slashes); null when none was written.</summary>
    public string? Transcript { get; init; }

    /// <summary>The rules that did not pass, worst first.</summary>
    public IEnumerable<RuleReport> Broken => Rules.Where(r => r.Verdict != Verdict.Pass).OrderByDescending(r => r.Verdict);

    public static ScenarioReport From(ScenarioResult result, RunInfo run, string? transcript) => new()
    {
        Id = result.Scenario.Id,
        Protocol = result.Scenario.Protocol,
        Client = run.Client,
        Verdict = result.Verdict,
        Seed = run.Seed,
        Shard = run.Shard,
        SkipReason = result.SkipReason,
        Reruns = result.Reruns,
        DurationMs = Math.Round(result.Duration.TotalMilliseconds),
        Errors = result.Errors,
        Rules = [.. result.Rules.Select(RuleReport.From)],
        Snapshot = result.Snapshot is { } s ? new SnapshotReport(s.Matched, s.VerifiedPath, s.Diff, s.Accepted) : null,
        Explanation = result.Explain(),
        Transcript = transcript,
    };

    /// <summary>The entries of results written without a report folder: an unnamed client, no transcript files.</summary>
    public static IReadOnlyList<ScenarioReport> Of(IEnumerable<ScenarioResult> results) =>
        [.. results.Select(r => From(r, RunInfo.Unnamed, null))];

    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["protocol"] = Protocol,
        ["client"] = Client,
        ["verdict"] = Verdict.ToString(),
        ["seed"] = Seed,
        ["shard"] = Shard,
        ["skipReason"] = SkipReason,
        ["reruns"] = Reruns,
        ["durationMs"] = DurationMs,
        ["errors"] = new JsonArray([.. Errors.Select(e => (JsonNode)e)]),
        ["rules"] = new JsonArray([.. Rules.Select(r => (JsonNode)r.ToJson())]),
        ["snapshot"] = Snapshot?.ToJson(),
        ["explanation"] = Explanation,
        ["transcript"] = Transcript,
    };

    /// <summary>Reads an entry of <c>results.json</c>; fields a report of an older version lacks get their defaults.</summary>
    public static ScenarioReport FromJson(JsonObject json) => new()
    {
        Id = Text(json, "id") ?? throw new FormatException("a results.json entry has no id"),
        Protocol = Text(json, "protocol") ?? "",
        Client = Text(json, "client") ?? RunInfo.Unnamed.Client,
        Verdict = Enum.Parse<Verdict>(Text(json, "verdict") ?? throw new FormatException("a results.json entry has no verdict")),
        Seed = json["seed"]?.GetValue<int>(),
        Shard = Text(json, "shard"),
        SkipReason = Text(json, "skipReason"),
        Reruns = json["reruns"]?.GetValue<int>() ?? 0,
        DurationMs = json["durationMs"]?.GetValue<double>() ?? 0,
        Errors = Strings(json["errors"]),
        Rules = [.. (json["rules"] as JsonArray ?? []).Select(r => RuleReport.FromJson(r!.AsObject()))],
        Snapshot = json["snapshot"] is JsonObject snapshot ? SnapshotReport.FromJson(snapshot) : null,
        Explanation = Text(json, "explanation") ?? "",
        Transcript = Text(json, "transcript"),
    };

    internal static string? Text(JsonObject json, string name) => json[name]?.GetValue<string>();

    internal static IReadOnlyList<string> Strings(JsonNode? node) => [.. (node as JsonArray ?? []).Select(n => n!.GetValue<string>())];
}

/// <summary>The verdict on one rule in one scenario, with the rule's sentence and source so a report can quote them.</summary>
public sealed record RuleReport(string Id, string Level, Verdict Verdict, string Text, string Source)
{
    public bool Inconclusive { get; init; }

    public IReadOnlyList<string> Messages { get; init; } = [];

    /// <summary>The transcript entries at fault, as the transcript's JSON has them.</summary>
    public JsonArray Evidence { get; init; } = [];

    /// <summary>The figures <c>results.json</c> has always carried: the series the verdict rests on.</summary>
    public TimingReport? Timing { get; init; }

    /// <summary>Every series measured, one per connection (heartbeat gaps): the report's chart.</summary>
    public IReadOnlyList<TimingReport> Series { get; init; } = [];

    public static RuleReport From(RuleVerdict verdict) => new(
        verdict.Rule.Id, verdict.Rule.Level.ToString().ToUpperInvariant(), verdict.Verdict, verdict.Rule.Text, verdict.Rule.Source)
    {
        Inconclusive = verdict.Inconclusive,
        Messages = verdict.Messages,
        Evidence = new JsonArray([.. verdict.Evidence.Select(e => (JsonNode)TranscriptJson.ToJson(e))]),
        Timing = verdict.Timing is { } t ? TimingReport.From(t) : null,
        Series = [.. verdict.Timings.Select(TimingReport.From)],
    };

    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["level"] = Level,
        ["verdict"] = Verdict.ToString(),
        ["inconclusive"] = Inconclusive,
        ["text"] = Text,
        ["source"] = Source,
        ["messages"] = new JsonArray([.. Messages.Select(m => (JsonNode)m)]),
        ["evidence"] = Evidence.DeepClone(),
        ["timing"] = Timing?.ToJson(withGaps: false),
        ["series"] = new JsonArray([.. Series.Select(s => (JsonNode)s.ToJson(withGaps: true))]),
    };

    public static RuleReport FromJson(JsonObject json) => new(
        ScenarioReport.Text(json, "id") ?? "",
        ScenarioReport.Text(json, "level") ?? "",
        Enum.Parse<Verdict>(ScenarioReport.Text(json, "verdict") ?? nameof(Verdict.Pass)),
        ScenarioReport.Text(json, "text") ?? "",
        ScenarioReport.Text(json, "source") ?? "")
    {
        Inconclusive = json["inconclusive"]?.GetValue<bool>() ?? false,
        Messages = ScenarioReport.Strings(json["messages"]),
        Evidence = json["evidence"] is JsonArray evidence ? evidence.DeepClone().AsArray() : [],
        Timing = json["timing"] is JsonObject timing ? TimingReport.FromJson(timing) : null,
        Series = [.. (json["series"] as JsonArray ?? []).Select(s => TimingReport.FromJson(s!.AsObject()))],
    };
}

/// <summary>
/// Measured intervals against the advertised one, in milliseconds, as reports write them: the summary figures and,
/// for the chart, every gap and the band it was judged against.
/// </summary>
public sealed record TimingReport(double AdvertisedMs, int Samples, double MinMs, double MedianMs, double P95Ms, double MaxMs, double MarginMs)
{
    public int Connection { get; init; }

    /// <summary>Each gap: when the beat that closed it was read, and its length.</summary>
    public IReadOnlyList<(double AtMs, double GapMs)> Gaps { get; init; } = [];

    /// <summary>The band the median must keep, and the single-gap limits; null when the monitor had none.</summary>
    public (double Low, double High, double Early, double Missed)? Limits { get; init; }

    public static TimingReport From(TimingStats t) => new(
        t.Advertised.TotalMilliseconds, t.Samples, Round(t.Min), Round(t.Median), Round(t.P95), Round(t.Max), Round(t.Margin))
    {
        Connection = t.Connection,
        Gaps = [.. t.Gaps.Select(g => (Round(g.At), Round(g.Length)))],
        Limits = t.Limits is { } l ? (Round(l.BandLow), Round(l.BandHigh), Round(l.Early), Round(l.Missed)) : null,
    };

    public JsonObject ToJson(bool withGaps)
    {
        var json = new JsonObject
        {
            ["advertisedMs"] = AdvertisedMs,
            ["samples"] = Samples,
            ["minMs"] = MinMs,
            ["medianMs"] = MedianMs,
            ["p95Ms"] = P95Ms,
            ["maxMs"] = MaxMs,
            ["marginMs"] = MarginMs,
        };
        if (!withGaps)
        {
            return json;
        }

        json["connection"] = Connection;
        if (Limits is { } l)
        {
            json["bandMs"] = new JsonArray(l.Low, l.High);
            json["earlyMs"] = l.Early;
            json["missedMs"] = l.Missed;
        }

        json["gaps"] = new JsonArray([.. Gaps.Select(g => (JsonNode)new JsonArray(g.AtMs, g.GapMs))]);
        return json;
    }

    public static TimingReport FromJson(JsonObject json) => new(
        Number(json, "advertisedMs"), (int)Number(json, "samples"), Number(json, "minMs"), Number(json, "medianMs"), Number(json, "p95Ms"),
        Number(json, "maxMs"), Number(json, "marginMs"))
    {
        Connection = (int)Number(json, "connection"),
        Gaps = [.. (json["gaps"] as JsonArray ?? []).Select(g => (g![0]!.GetValue<double>(), g[1]!.GetValue<double>()))],
        Limits = json["bandMs"] is JsonArray band
            ? (band[0]!.GetValue<double>(), band[1]!.GetValue<double>(), Number(json, "earlyMs"), Number(json, "missedMs"))
            : null,
    };

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"advertised {AdvertisedMs:0}ms, n={Samples}, min {MinMs:0}ms, median {MedianMs:0}ms, p95 {P95Ms:0}ms, max {MaxMs:0}ms, margin {MarginMs:0}ms");

    private static double Round(TimeSpan t) => Math.Round(t.TotalMilliseconds, 1);

    private static double Number(JsonObject json, string name) => json[name]?.GetValue<double>() ?? 0;
}

/// <summary>How the run's transcript compared with its verified snapshot.</summary>
public sealed record SnapshotReport(bool Matched, string VerifiedPath, string Diff, bool Accepted)
{
    public JsonObject ToJson() => new()
    {
        ["matched"] = Matched,
        ["verified"] = VerifiedPath,
        ["diff"] = Matched ? null : Diff,
        ["accepted"] = Accepted,
    };

    public static SnapshotReport FromJson(JsonObject json) => new(
        json["matched"]?.GetValue<bool>() ?? true,
        ScenarioReport.Text(json, "verified") ?? "",
        ScenarioReport.Text(json, "diff") ?? "",
        json["accepted"]?.GetValue<bool>() ?? false);
}
