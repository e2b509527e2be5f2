using Conformance.Harness.Running;
using Conformance.Mocks.Wire;
using YamlDotNet.RepresentationModel;

namespace Conformance.Harness.Scenarios;

/// <summary>
/// From this step on, every WebSocket message the mock sends is shaped on the wire: fragments of chosen sizes with pings
/// between, a seeded delay, bytes dribbled slowly; and a client's close frame can be left unanswered. Off when nothing is set.
/// </summary>
public sealed record WsFaultsStep(SourceMark Mark, WireFaultSettings Settings) : Step(Mark)
{
    /// <summary>True when the scenario gave its own seed; otherwise the run's seed is used.</summary>
    public bool SeedGiven { get; init; }

    public override string Describe() => "wire faults: " + (SeedGiven ? Settings.ToString() : Settings.Shape());
}

internal sealed class WsFaultsKind : StepKind<WsFaultsStep>
{
    public override string Name => "ws_faults";

    public override bool RunsBeforeClient => true;

    public override string Summary => "From this step on, the mock's WebSocket messages are fragmented, delayed or dribbled, and client closes can go unanswered.";

    public override string Schema => """
        {
          "description": "From this step on, every WebSocket message the mock sends goes on the wire as set here (on every connection, open or to come); a step with nothing set turns the faults off. Recorded in the transcript with the seed.",
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "fragment": {
              "description": "Fragment sizes in bytes, the last one repeating: [1] sends every message in 1-byte frames (a text frame, then continuation frames).",
              "type": "array",
              "minItems": 1,
              "items": { "type": "integer", "minimum": 1 }
            },
            "ping_between": { "description": "With fragment: a ping between each two fragments (RFC 6455 §5.4). Default: false.", "type": "boolean" },
            "delay": { "description": "Each message waits a delay drawn from this range before it goes, e.g. '20ms..80ms', or a fixed duration; order is kept.", "type": ["string", "number"] },
            "dribble": { "description": "Each frame is written one byte at a time, this long apart, e.g. 5ms.", "$ref": "#/definitions/duration" },
            "answer_close": { "description": "false: a client's close frame gets no close frame back and the TCP connection stays open. Default: true.", "type": "boolean" },
            "seed": { "description": "Seed of the delays. Default: the run's --seed.", "type": "integer" }
          }
        }
        """;

    internal override Step? Read(StepSyntax syntax)
    {
        if (syntax.Map("fragment", "ping_between", "delay", "dribble", "answer_close", "seed") is not { } map)
        {
            return null;
        }

        var load = syntax.Loader;
        var errors = false;
        List<int>? sizes = null;
        if (syntax.Value(map, "fragment") is { } fragment)
        {
            if (fragment is YamlSequenceNode { Children.Count: > 0 } list)
            {
                sizes = [.. list.Children.Select(n => load.Integer(n, "fragment", 1, int.MaxValue) ?? 0)];
                errors |= sizes.Contains(0);
            }
            else
            {
                syntax.Error(fragment, $"'fragment' is a list of sizes in bytes, such as [1] or [3, 1], found {fragment.Kind()}");
                errors = true;
            }
        }

        var (pingOk, pingBetween) = load.OptionalBoolean(map, "ping_between");
        var (answerOk, answerClose) = load.OptionalBoolean(map, "answer_close");
        errors |= !pingOk || !answerOk;
        if (pingBetween == true && sizes is null)
        {
            syntax.Error(syntax.Value(map, "ping_between")!, "'ping_between' puts pings between fragments; set 'fragment' too");
            errors = true;
        }

        var (min, max) = syntax.Value(map, "delay") is { } d ? FaultValues.DelayRange(syntax, d) : (TimeSpan.Zero, TimeSpan.Zero);
        var dribble = load.OptionalDuration(map, "dribble") ?? TimeSpan.Zero;
        var seed = syntax.Value(map, "seed") is { } s ? load.Integer(s, "seed", int.MinValue, int.MaxValue) : null;
        errors |= min < TimeSpan.Zero || (seed is null && syntax.Value(map, "seed") is not null) || (syntax.Value(map, "dribble") is not null && dribble == TimeSpan.Zero);
        return errors
            ? null
            : new WsFaultsStep(syntax.Mark, new WireFaultSettings(seed ?? 0)
            {
                Fragments = sizes,
                PingBetween = pingBetween ?? false,
                MinDelay = min,
                MaxDelay = max,
                DribbleEvery = dribble,
                AnswerClose = answerClose ?? true,
            })
            { SeedGiven = seed is not null };
    }

    protected override Task<string?> RunAsync(WsFaultsStep step, RunContext context)
    {
        context.Mock.Host.WireFaults = step.SeedGiven ? step.Settings : step.Settings with { Seed = context.Seed };
        return Task.FromResult<string?>(null);
    }
}
