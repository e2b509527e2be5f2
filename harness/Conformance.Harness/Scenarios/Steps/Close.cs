using Conformance.Harness.Running;

namespace Conformance.Harness.Scenarios;

/// <summary>The mock closes the connection with a close frame.</summary>
public sealed record CloseStep(SourceMark Mark, int Code, string Reason) : Step(Mark)
{
    public override string Describe() => $"close with {Code}" + (Reason.Length > 0 ? $" \"{Reason}\"" : "") + (On is null ? "" : $" (connection {On})");
}

internal sealed class CloseKind : StepKind<CloseStep>
{
    public override string Name => "close";

    public override string Summary => "The mock closes the connection with a close frame.";

    public override bool TakesChannel => true;

    public override string Schema => """
        {
          "description": "The mock sends a close frame.",
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "code": {
              "description": "Close code (1000 to 4999). Default: 1000.",
              "$ref": "#/definitions/closeCode"
            },
            "reason": {
              "description": "Close reason text. Default: empty.",
              "$ref": "#/definitions/text"
            }
          }
        }
        """;

    internal override Step? Read(StepSyntax syntax) =>
        syntax.Map("code", "reason") is { } map && syntax.Loader.Code(map, "code") is var (ok, code) && ok
            ? new CloseStep(syntax.Mark, code ?? 1000, syntax.Loader.OptionalString(map, "reason") ?? "")
            : null;

    protected override async Task<string?> RunAsync(CloseStep step, RunContext context)
    {
        var (connection, missing) = context.Target(step.On);
        if (connection is not { IsOpen: true })
        {
            return context.CannotAct("close", missing ?? $"connection {connection!.Id} has ended");
        }

        await connection.CloseAsync(step.Code, step.Reason).ConfigureAwait(false);
        return null;
    }
}
