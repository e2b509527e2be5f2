using Conformance.Harness.Monitors;
using Conformance.Harness.Running;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Transcripts;
using YamlDotNet.RepresentationModel;

namespace Conformance.Harness.Scenarios;

/// <summary>
/// Waits for the client to try to connect again after its connection ended (a <c>drop</c> or a <c>close</c>): up to
/// <see cref="Times"/> upgrade attempts, refused (a <c>refuse</c> step, a mock's own refusal) or accepted, within
/// <see cref="Within"/>; an accepted one ends the wait. Fewer attempts, with none accepted, fail the step's rule (the
/// client gave up). The waits between the attempts, measured from the end of the connection the steps act on, are judged
/// against <see cref="Storm"/> and <see cref="Backoff"/>, each reported against its own rule.
/// </summary>
public sealed record ExpectReconnectsStep(SourceMark Mark, int Times, TimeSpan Within) : Step(Mark)
{
    /// <summary>Only upgrades to this path (a pattern) count as attempts. Default: any.</summary>
    public string? Path { get; init; }

    /// <summary>Attempts too close together. Default: not judged.</summary>
    public ReconnectStorm? Storm { get; init; }

    /// <summary>The shape of the waits after failed attempts. Default: not judged.</summary>
    public ReconnectBackoff? Backoff { get; init; }

    public override string Describe()
    {
        var judged = new List<string>();
        if (Storm is not null)
        {
            judged.Add("storm: " + Storm);
        }

        if (Backoff is not null)
        {
            judged.Add("backoff: " + Backoff);
        }

        return $"expect reconnect attempts{(Path is null ? "" : " to " + Path)} until one is accepted or {Times} came, within {Durations.Format(Within)}" +
               (judged.Count == 0 ? "" : $" ({string.Join("; ", judged)})");
    }
}

/// <summary>
/// A reconnect storm: any attempt sooner than <see cref="Min"/> after the one before (the first, after the connection
/// ended), or more than <see cref="Limit"/> attempts in any <see cref="Per"/>.
/// </summary>
public sealed record ReconnectStorm(TimeSpan? Min, int? Limit, TimeSpan Per)
{
    /// <summary>The rule a storm breaks; default: the step's.</summary>
    public string? Rule { get; init; }

    public override string ToString() =>
        string.Join(", ", new[]
        {
            Min is { } min ? $"none within {Durations.Format(min)}" : null,
            Limit is { } limit ? $"at most {limit} per {Durations.Format(Per)}" : null,
        }.OfType<string>());
}

/// <summary>
/// The waits between attempts: none longer than <see cref="Max"/>; with <see cref="Grows"/>, each wait after a failed
/// attempt at least the one before, and the last longer than the first unless that one was already at <see cref="Max"/>.
/// </summary>
public sealed record ReconnectBackoff(bool Grows, TimeSpan? Max)
{
    /// <summary>The rule a bad backoff breaks; default: the step's.</summary>
    public string? Rule { get; init; }

    public override string ToString() =>
        string.Join(", ", new[] { Grows ? "growing" : null, Max is { } max ? $"at most {Durations.Format(max)}" : null }.OfType<string>());
}

internal sealed class ExpectReconnectsKind : StepKind<ExpectReconnectsStep>
{
    /// <summary>The default of <c>storm.per</c>: 1 s.</summary>
    private static readonly TimeSpan DefaultPer = TimeSpan.FromSeconds(1);

    public override string Name => "expect_reconnects";

    public override string Summary => "Wait for the client's reconnect attempts after a drop or close, judging their pace (storm) and backoff.";

    public override bool IsExpectation => true;

    public override string Schema => """
        {
          "description": "Wait for the client to try to connect again after its connection ended (drop or close): up to 'times' upgrade attempts, refused (see 'refuse') or accepted, within 'within'; an accepted attempt ends the wait. Fewer, with none accepted, fail 'rule' (the client gave up). The waits, from the end of the connection, are judged by 'storm' and 'backoff', each against its own rule.",
          "type": "object",
          "additionalProperties": false,
          "required": ["times"],
          "properties": {
            "times": {
              "description": "The most attempts to wait for (1 to 100), refused ones included; an accepted attempt ends the wait sooner. With 'refuse', refuse fewer upgrades than this to see the client let in.",
              "type": "integer",
              "minimum": 1,
              "maximum": 100
            },
            "within": {
              "description": "How long to wait for all of them, from the start of the step. Default: 5s.",
              "$ref": "#/definitions/duration"
            },
            "path": {
              "description": "Only upgrades to this path count as attempts; {name} segments match any value. May use ${name}. Default: any path.",
              "$ref": "#/definitions/text"
            },
            "storm": {
              "description": "A reconnect storm: an attempt sooner than 'min' after the one before (the first, after the connection ended), or more than 'limit' attempts in any 'per'. Bounds allow 25 % (at least 50 ms) for jitter.",
              "type": "object",
              "additionalProperties": false,
              "anyOf": [{ "required": ["min"] }, { "required": ["limit"] }],
              "properties": {
                "min": {
                  "description": "The shortest wait before an attempt, e.g. 100ms.",
                  "$ref": "#/definitions/duration"
                },
                "limit": {
                  "description": "The most attempts in any 'per' (1 to 1000), e.g. 5. The step watches at least 'per' from the first attempt.",
                  "type": "integer",
                  "minimum": 1,
                  "maximum": 1000
                },
                "per": {
                  "description": "The window 'limit' counts in. Default: 1s.",
                  "$ref": "#/definitions/duration"
                },
                "rule": {
                  "description": "The rule a storm breaks (listed in 'rules'). Default: the step's.",
                  "$ref": "#/definitions/rule"
                }
              }
            },
            "backoff": {
              "description": "The waits between attempts: none longer than 'max'; with 'grows', each wait after a failed attempt at least the one before, and the last longer than the first unless the first was already at 'max'. Bounds allow 25 % (at least 50 ms) for jitter.",
              "type": "object",
              "additionalProperties": false,
              "anyOf": [{ "required": ["grows"] }, { "required": ["max"] }],
              "properties": {
                "grows": {
                  "description": "Whether the wait must grow after failed attempts (until 'max'). Default: false.",
                  "type": "boolean"
                },
                "max": {
                  "description": "The longest wait before an attempt, e.g. 5s.",
                  "$ref": "#/definitions/duration"
                },
                "rule": {
                  "description": "The rule a bad backoff breaks (listed in 'rules'). Default: the step's.",
                  "$ref": "#/definitions/rule"
                }
              }
            }
          }
        }
        """;

    internal override Step? Read(StepSyntax syntax)
    {
        if (syntax.Map("times", "within", "path", "storm", "backoff") is not { } map ||
            syntax.Required(map, "times", "the most attempts to wait for, such as 4") is not { } timesNode)
        {
            return null;
        }

        var load = syntax.Loader;
        var times = load.Integer(timesNode, "times", 1, 100);
        var path = load.OptionalString(map, "path");
        if (path is not null && PathPattern.Problem(Variables.Pattern.Replace(path, "x")) is { } problem)
        {
            syntax.Error(syntax.Value(map, "path")!, $"path '{path}': {problem}");
            return null;
        }

        var storm = syntax.Value(map, "storm") is { } stormNode ? ReadStorm(syntax, stormNode) : null;
        var backoff = syntax.Value(map, "backoff") is { } backoffNode ? ReadBackoff(syntax, backoffNode) : null;
        var within = syntax.Within(map);
        return times is null || (syntax.Value(map, "storm") is not null && storm is null) || (syntax.Value(map, "backoff") is not null && backoff is null)
            ? null
            : new ExpectReconnectsStep(syntax.Mark, times.Value, within) { Path = path, Storm = storm, Backoff = backoff };
    }

    private static ReconnectStorm? ReadStorm(StepSyntax syntax, YamlNode node)
    {
        if (syntax.Submap(node, "storm", "min", "limit", "per", "rule") is not { } map)
        {
            return null;
        }

        var load = syntax.Loader;
        var min = load.OptionalDuration(map, "min");
        var limit = syntax.Value(map, "limit") is { } l ? load.Integer(l, "limit", 1, 1000) : null;
        var per = load.OptionalDuration(map, "per");
        if (syntax.Value(map, "min") is null && syntax.Value(map, "limit") is null)
        {
            syntax.Error(map, "'storm' needs 'min' (the shortest wait before an attempt), 'limit' (the most attempts in any 'per'), or both");
            return null;
        }

        if (syntax.Value(map, "per") is { } perNode && syntax.Value(map, "limit") is null)
        {
            syntax.Error(perNode, "'per' is the window 'limit' counts in; give 'limit' too");
            return null;
        }

        if (per is { } window && window <= TimeSpan.Zero)
        {
            syntax.Error(syntax.Value(map, "per")!, "'per' must be longer than 0");
            return null;
        }

        return new ReconnectStorm(min, limit, per ?? DefaultPer) { Rule = syntax.Rule(map) };
    }

    private static ReconnectBackoff? ReadBackoff(StepSyntax syntax, YamlNode node)
    {
        if (syntax.Submap(node, "backoff", "grows", "max", "rule") is not { } map)
        {
            return null;
        }

        var load = syntax.Loader;
        var grows = syntax.Value(map, "grows") is { } g ? load.Boolean(g, "grows") : false;
        var max = load.OptionalDuration(map, "max");
        if (syntax.Value(map, "grows") is null && syntax.Value(map, "max") is null)
        {
            syntax.Error(map, "'backoff' needs 'grows: true' (the wait grows after failed attempts), 'max' (the longest wait), or both");
            return null;
        }

        return grows is null ? null : new ReconnectBackoff(grows.Value, max) { Rule = syntax.Rule(map) };
    }

    protected override async Task<string?> RunAsync(ExpectReconnectsStep step, RunContext context)
    {
        var pattern = step.Path is null ? null : new PathPattern(Variables.Substitute(step.Path, context.Captures));
        // The waits are measured from the end of the connection the steps act on (the drop or close before this step),
        // not from the step's start, which may come a little later.
        var ended = context.Connection?.Ended;
        var origin = ended is null
            ? new Origin(context.StepStartedAt, context.ConnectCursor, $"the start of step {context.StepNumber} at {ReconnectTiming.Ms(context.StepStartedAt)}")
            : new Origin(ended.At, Math.Max(context.ConnectCursor, ended.Index + 1), $"the end of connection {ended.Connection} ({ended.By}) at {ReconnectTiming.Ms(ended.At)}");

        var attempts = new List<TranscriptEntry>();
        var cursor = origin.From;
        using var window = context.Window(step.Within);
        while (true)
        {
            var met = attempts.Count >= step.Times || attempts is [.., ConnectionOpened];
            var token = window.Token;
            using var watch = CancellationTokenSource.CreateLinkedTokenSource(window.Token);
            if (met)
            {
                // A limit per window is judged on at least one whole window from the first attempt.
                var left = step.Storm is { Limit: not null } storm ? attempts[0].At + storm.Per - context.Transcript.Now : TimeSpan.Zero;
                if (left <= TimeSpan.Zero)
                {
                    break;
                }

                watch.CancelAfter(left);
                token = watch.Token;
            }

            var attempt = await context.Transcript.WaitForAsync<TranscriptEntry>(cursor, e => IsAttempt(e, pattern), token).ConfigureAwait(false);
            if (attempt is null)
            {
                break;
            }

            attempts.Add(attempt);
            cursor = attempt.Index + 1;
        }

        var seen = new ReconnectAttempts(origin.At, origin.Text, attempts);
        var rule = step.Rule ?? context.Scenario.Rules[0];
        context.StepFindings.AddRange(ReconnectTiming.Judge(
            seen, step.Storm, step.Storm?.Rule ?? rule, step.Backoff, step.Backoff?.Rule ?? rule, context.Load));

        var accepted = attempts.OfType<ConnectionOpened>().LastOrDefault();
        if (attempts.Count < step.Times && accepted is null)
        {
            context.FailureCauses.AddRange(attempts.OfType<ConnectionRefused>());
            return $"expected {step.Times} reconnect attempts{(pattern is null ? "" : " to " + pattern)} (or one accepted) within " +
                   $"{Durations.Format(step.Within)}, after {origin.Text}; got {attempts.Count}: {seen.List()}" + context.Because();
        }

        context.ConnectCursor = cursor;
        if (accepted is not null)
        {
            await context.AdoptAsync(accepted, window.Token).ConfigureAwait(false);
        }

        return null;
    }

    private static bool IsAttempt(TranscriptEntry entry, PathPattern? pattern) => entry switch
    {
        ConnectionOpened o => pattern is null || pattern.Match(o.Path) is not null,
        ConnectionRefused r => pattern is null || pattern.Match(r.Path) is not null,
        _ => false,
    };

    /// <summary>Where the waits are measured from, the first transcript index that can be an attempt, and how that reads.</summary>
    private sealed record Origin(TimeSpan At, int From, string Text);
}
