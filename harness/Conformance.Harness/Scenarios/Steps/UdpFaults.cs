using Conformance.Harness.Running;
using Conformance.Mocks.Channels;

namespace Conformance.Harness.Scenarios;

/// <summary>
/// From this step on, the mock's datagrams on a UDP endpoint (every one when <see cref="Endpoint"/> is null) are lost,
/// duplicated, reordered and delayed at random, from a seed: <see cref="Seed"/>, else the run's <c>--seed</c>, else a
/// fresh one; the seed is recorded so a run can be replayed exactly. All zero turns the faults off.
/// </summary>
public sealed record UdpFaultsStep(SourceMark Mark, string? Endpoint, double Loss, double Duplicate, double Reorder, TimeSpan MinDelay, TimeSpan MaxDelay)
    : Step(Mark)
{
    public int? Seed { get; init; }

    public override string Describe() =>
        $"udp faults on {Endpoint ?? "every UDP endpoint"}: loss {Loss:P0}, duplicate {Duplicate:P0}, reorder {Reorder:P0}" +
        (MaxDelay > TimeSpan.Zero ? $", delay {Durations.Format(MinDelay)}..{Durations.Format(MaxDelay)}" : "") + (Seed is { } s ? $", seed {s}" : "");
}

internal sealed class UdpFaultsKind : StepKind<UdpFaultsStep>
{
    public override string Name => "udp_faults";

    public override bool RunsBeforeClient => true;

    public override string Summary => "The mock's datagrams are lost, duplicated, reordered and delayed at random from a seed.";

    public override string Schema => """
        {
          "description": "From this step on, the mock's datagrams on 'endpoint' (every UDP endpoint when absent) suffer seeded faults. The seed is recorded in the transcript; the same seed replays the same faults.",
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "endpoint": {
              "description": "The UDP endpoint whose sends misbehave. Default: every UDP endpoint.",
              "$ref": "#/definitions/nonEmptyString"
            },
            "loss": { "description": "Probability (0 to 1) that a datagram is lost.", "$ref": "#/definitions/probability" },
            "duplicate": { "description": "Probability (0 to 1) that a datagram is sent twice.", "$ref": "#/definitions/probability" },
            "reorder": { "description": "Probability (0 to 1) that a datagram is held back and sent after the next one.", "$ref": "#/definitions/probability" },
            "delay": {
              "description": "Every datagram waits a delay drawn from this range, e.g. '10ms..40ms', or a fixed duration.",
              "type": ["string", "number"]
            },
            "seed": {
              "description": "Seed of the fault schedule. Default: the run's --seed, else a fresh one (recorded).",
              "type": "integer"
            }
          }
        }
        """;

    internal override Step? Read(StepSyntax syntax)
    {
        if (syntax.Map("endpoint", "loss", "duplicate", "reorder", "delay", "seed") is not { } map)
        {
            return null;
        }

        var load = syntax.Loader;
        var loss = FaultValues.Probability(syntax, map, "loss");
        var duplicate = FaultValues.Probability(syntax, map, "duplicate");
        var reorder = FaultValues.Probability(syntax, map, "reorder");
        var (min, max) = syntax.Value(map, "delay") is { } d ? FaultValues.DelayRange(syntax, d) : (TimeSpan.Zero, TimeSpan.Zero);
        var seed = syntax.Value(map, "seed") is { } s ? load.Integer(s, "seed", int.MinValue, int.MaxValue) : null;
        var endpoint = load.OptionalString(map, "endpoint");
        if (endpoint is not null && syntax.Module is { } module && !module.IsEndpoint(endpoint))
        {
            syntax.Error(syntax.Value(map, "endpoint")!, $"unknown endpoint '{endpoint}' for {module.Id} (known: {string.Join(", ", module.EndpointNames)})");
            return null;
        }

        return loss is null || duplicate is null || reorder is null || min < TimeSpan.Zero || (seed is null && syntax.Value(map, "seed") is not null)
            ? null
            : new UdpFaultsStep(syntax.Mark, endpoint, loss.Value, duplicate.Value, reorder.Value, min, max) { Seed = seed };
    }

    protected override Task<string?> RunAsync(UdpFaultsStep step, RunContext context)
    {
        var sockets = context.Mock.Host.UdpSockets.Where(s => step.Endpoint is null || s.Name == step.Endpoint).ToList();
        if (sockets.Count == 0)
        {
            return Task.FromResult<string?>(context.CannotAct("set UDP faults", step.Endpoint is null ? "the mock has no UDP endpoint" : $"UDP endpoint '{step.Endpoint}' is not open"));
        }

        var seed = step.Seed ?? context.Seed;
        var off = step is { Loss: 0, Duplicate: 0, Reorder: 0 } && step.MaxDelay == TimeSpan.Zero;
        foreach (var socket in sockets)
        {
            socket.Faults = off ? null : new DatagramFaults(new DatagramFaultSettings(seed)
            {
                Loss = step.Loss,
                Duplicate = step.Duplicate,
                Reorder = step.Reorder,
                MinDelay = step.MinDelay,
                MaxDelay = step.MaxDelay,
            });
        }

        return Task.FromResult<string?>(null);
    }
}
