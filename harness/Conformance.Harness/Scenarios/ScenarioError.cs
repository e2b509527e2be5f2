namespace Conformance.Harness.Scenarios;

/// <summary>A problem in a scenario file, printed as <c>path:line:col: message</c>.</summary>
public sealed record ScenarioError(SourceMark Mark, string Message)
{
    public override string ToString() => $"{Mark}: {Message}";
}

/// <summary>Thrown when scenario files do not load; carries every error found.</summary>
public sealed class ScenarioLoadException(IReadOnlyList<ScenarioError> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<ScenarioError> Errors { get; } = errors;
}
