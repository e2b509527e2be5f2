using Conformance.Harness.Running;
using YamlDotNet.RepresentationModel;

namespace Conformance.Harness.Scenarios;

/// <summary>The mock drops the connection without a close frame, as a crashed server would.</summary>
public sealed record DropStep(SourceMark Mark) : Step(Mark)
{
    public override string Describe() => "drop the connection without a close frame" + (On is null ? "" : $" (connection {On})");
}

internal sealed class DropKind : StepKind<DropStep>
{
    public override string Name => "drop";

    public override string Summary => "The mock drops the connection without a close frame: drop: {}.";

    public override bool TakesChannel => true;

    public override string Schema => """
        {
          "description": "The mock drops the connection without a close frame. Takes no settings but 'on': write drop: {}.",
          "type": ["object", "null"],
          "additionalProperties": false
        }
        """;

    internal override Step? Read(StepSyntax syntax)
    {
        if (syntax.Body is YamlMappingNode map && map.Children.Keys.Any(k => k is not YamlScalarNode { Value: "on" }))
        {
            syntax.Error(syntax.Body, "'drop' takes no settings; write 'drop: {}'");
            return null;
        }

        if (syntax.Body is YamlSequenceNode || syntax.Body is YamlScalarNode { Value: { Length: > 0 } and not "~" and not "null" })
        {
            syntax.Error(syntax.Body, "'drop' takes no settings; write 'drop: {}'");
            return null;
        }

        return new DropStep(syntax.Mark);
    }

    protected override Task<string?> RunAsync(DropStep step, RunContext context)
    {
        var (connection, missing) = context.Target(step.On);
        if (connection is not { IsOpen: true })
        {
            return Task.FromResult<string?>(context.CannotAct("drop", missing ?? $"connection {connection!.Id} has ended"));
        }

        connection.Drop();
        return Task.FromResult<string?>(null);
    }
}
