using Conformance.Harness.Running;
using Conformance.Mocks.Chaos;
using YamlDotNet.RepresentationModel;

namespace Conformance.Harness.Scenarios;

/// <summary>
/// From this step on, every message the mock sends, on WebSocket connections and UDP peers alike, may be dropped, reset,
/// duplicated, reordered or delayed, drawn per message from a seed (the step's, else the run's), or exactly as a
/// <c>schedule</c> lists. Every event is recorded, so a failing run can be shrunk to the events that matter
/// (<c>conformance shrink</c>) and kept as a scenario with that schedule.
/// </summary>
public sealed record ChaosStep(SourceMark Mark, ChaosSettings Settings) : Step(Mark)
{
    /// <summary>True when the scenario gave its own seed; otherwise the run's seed is used.</summary>
    public bool SeedGiven { get; init; }

    public override string Describe() => "chaos: " + (Settings.IsOff ? "off" : SeedGiven ? Settings.ToString() : Settings.Shape());
}

internal sealed class ChaosKind : StepKind<ChaosStep>
{
    private static readonly string[] Probabilities = ["drop", "reset", "duplicate", "reorder", "delay"];

    public override string Name => "chaos";

    public override bool RunsBeforeClient => true;

    public override string Summary => "From this step on, the mock's messages (WebSocket and UDP) are dropped, reset, duplicated, reordered or delayed at random from a seed, or as a schedule lists.";

    public override string Schema => """
        {
          "description": "Seeded chaos from this step on, for every WebSocket connection and UDP peer: each message the mock sends draws at most one of drop, reset, duplicate, reorder, delay (checked in that order) from the probabilities, per channel and message number, from 'seed' (default: the run's --seed, printed). 'schedule' instead lists exactly which messages suffer what (conformance shrink prints one). chaos: {} turns it off.",
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "drop": { "description": "Probability that a message is lost with its connection (WebSocket: dropped without a close frame) or alone (UDP).", "$ref": "#/definitions/probability" },
            "reset": { "description": "Probability that a WebSocket connection is reset (TCP RST) instead of a message going. UDP has no resets.", "$ref": "#/definitions/probability" },
            "duplicate": { "description": "Probability that a message goes twice.", "$ref": "#/definitions/probability" },
            "reorder": { "description": "Probability that a message is held back and goes after the next one (alone after 200 ms when none follows).", "$ref": "#/definitions/probability" },
            "delay": { "description": "Probability that a message waits a delay drawn from delay_range before it goes.", "$ref": "#/definitions/probability" },
            "delay_range": { "description": "The range delays are drawn from, e.g. '10ms..80ms'. Default: 10ms..100ms.", "type": ["string", "number"] },
            "seed": { "description": "Seed of the draws. Default: the run's --seed.", "type": "integer" },
            "schedule": {
              "description": "Exactly these events and no others: message 'message' (from 1) the mock sends on channel 'channel' suffers 'action'.",
              "type": "array",
              "items": {
                "type": "object",
                "additionalProperties": false,
                "required": ["channel", "message", "action"],
                "properties": {
                  "channel": { "description": "The connection or UDP peer, by number.", "type": "integer", "minimum": 1 },
                  "message": { "description": "The message's number on that channel, from 1.", "type": "integer", "minimum": 1 },
                  "action": { "description": "What happens to it.", "enum": ["drop", "reset", "duplicate", "reorder", "delay"] },
                  "delay": { "description": "With action delay: how long.", "$ref": "#/definitions/duration" }
                }
              }
            }
          }
        }
        """;

    internal override Step? Read(StepSyntax syntax)
    {
        if (syntax.Map([.. Probabilities, "delay_range", "seed", "schedule"]) is not { } map)
        {
            return null;
        }

        var load = syntax.Loader;
        var p = Probabilities.ToDictionary(k => k, k => FaultValues.Probability(syntax, map, k));
        var (min, max) = syntax.Value(map, "delay_range") is { } d ? FaultValues.DelayRange(syntax, d) : (TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(100));
        var seed = syntax.Value(map, "seed") is { } s ? load.Integer(s, "seed", int.MinValue, int.MaxValue) : null;
        List<ChaosEvent>? schedule = null;
        if (syntax.Value(map, "schedule") is { } listNode)
        {
            if (Probabilities.FirstOrDefault(k => syntax.Value(map, k) is not null) is { } mixed)
            {
                syntax.Error(syntax.Value(map, mixed)!, $"'{mixed}' draws at random; a 'schedule' lists exactly what happens, so the two do not mix");
                return null;
            }

            schedule = Schedule(syntax, listNode);
            if (schedule is null)
            {
                return null;
            }
        }

        return p.Values.Any(v => v is null) || min < TimeSpan.Zero || (seed is null && syntax.Value(map, "seed") is not null)
            ? null
            : new ChaosStep(syntax.Mark, new ChaosSettings(seed ?? 0)
            {
                Drop = p["drop"]!.Value,
                Reset = p["reset"]!.Value,
                Duplicate = p["duplicate"]!.Value,
                Reorder = p["reorder"]!.Value,
                Delay = p["delay"]!.Value,
                MinDelay = min,
                MaxDelay = max,
                Schedule = schedule,
            })
            { SeedGiven = seed is not null };
    }

    protected override Task<string?> RunAsync(ChaosStep step, RunContext context)
    {
        context.Mock.Host.Chaos = step.SeedGiven || step.Settings.Schedule is not null ? step.Settings : step.Settings with { Seed = context.Seed };
        return Task.FromResult<string?>(null);
    }

    private static List<ChaosEvent>? Schedule(StepSyntax syntax, YamlNode node)
    {
        if (node is not YamlSequenceNode list)
        {
            syntax.Error(node, $"'schedule' is a list of {{ channel, message, action }}, found {node.Kind()}");
            return null;
        }

        var load = syntax.Loader;
        var events = new List<ChaosEvent>();
        foreach (var item in list.Children)
        {
            if (item is not YamlMappingNode entry || !load.Keys(entry, "schedule entry", "channel", "message", "action", "delay"))
            {
                if (item is not YamlMappingNode)
                {
                    syntax.Error(item, $"a schedule entry is {{ channel, message, action }}, found {item.Kind()}");
                }

                return null;
            }

            var channel = syntax.Required(entry, "channel", "the connection or UDP peer number") is { } c ? load.Integer(c, "channel", 1, int.MaxValue) : null;
            var message = syntax.Required(entry, "message", "the message's number on its channel, from 1") is { } m ? load.Integer(m, "message", 1, int.MaxValue) : null;
            var actionNode = syntax.Required(entry, "action", "drop, reset, duplicate, reorder or delay");
            var action = load.String(actionNode ?? entry, "action") is { } name && Enum.TryParse<ChaosAction>(name, ignoreCase: true, out var a) &&
                name.All(char.IsLower) ? a : (ChaosAction?)null;
            if (actionNode is not null && action is null)
            {
                syntax.Error(actionNode, $"'action' is drop, reset, duplicate, reorder or delay, found {actionNode.Kind()}");
            }

            var delay = syntax.Value(entry, "delay") is { } dn ? load.Duration(dn, "delay") : TimeSpan.Zero;
            if (syntax.Value(entry, "delay") is { } extra && action is not null and not ChaosAction.Delay)
            {
                syntax.Error(extra, $"'delay' goes with action delay, not {action.Value.ToString().ToLowerInvariant()}");
                return null;
            }

            if (channel is null || message is null || action is null || delay is null)
            {
                return null;
            }

            if (events.Any(e => e.Channel == channel && e.Message == message))
            {
                syntax.Error(entry, $"message {message} on channel {channel} is already in the schedule");
                return null;
            }

            events.Add(new ChaosEvent(channel.Value, message.Value, action.Value, delay.Value));
        }

        return events;
    }
}
