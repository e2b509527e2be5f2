using Conformance.Harness.Running;

namespace Conformance.Harness.Scenarios;

/// <summary>Does nothing for a while; the monitors keep watching.</summary>
public sealed record WaitStep(SourceMark Mark, TimeSpan Duration) : Step(Mark)
{
    public override string Describe() => $"wait {Durations.Format(Duration)}";
}

internal sealed class WaitKind : StepKind<WaitStep>
{
    public override string Name => "wait";

    public override string Summary => "Do nothing for this long (monitors keep watching), e.g. wait: 500ms.";

    public override string Schema => """{ "$ref": "#/definitions/duration" }""";

    internal override Step? Read(StepSyntax syntax) =>
        syntax.Loader.Duration(syntax.Body, "wait") is { } wait ? new WaitStep(syntax.Mark, wait) : null;

    protected override async Task<string?> RunAsync(WaitStep step, RunContext context)
    {
        await Task.Delay(step.Duration, context.Cancellation).ConfigureAwait(false);
        return null;
    }
}
