using System.Text.Json.Nodes;

namespace Conformance.Harness.Scenarios;

/// <summary>A place in a scenario file, for error messages and reports.</summary>
public readonly record struct SourceMark(string Path, int Line, int Column)
{
    public override string ToString() => $"{Path}:{Line}:{Column}";
}

/// <summary>
/// A scenario as loaded from YAML: which protocol and endpoint, the rules it exercises, how the mock's default
/// behaviour is changed, and the ordered steps. Plain data; <c>ScenarioRunner</c> gives it behaviour.
/// </summary>
public sealed record Scenario(
    string Id,
    string Protocol,
    string Title,
    string? Description,
    IReadOnlyList<string> Rules,
    string? Endpoint,
    TimeSpan Timeout,
    IReadOnlyDictionary<string, MockSetting> Mock,
    IReadOnlyList<Step> Steps,
    SourceMark Source)
{
    /// <summary>HTTP stubs active for the whole run, consulted before the mock's own routes.</summary>
    public IReadOnlyList<HttpStub> Stubs { get; init; } = [];

    /// <summary>
    /// The protocol profile (dialect) the scenario is written for; null when it is written for whichever the run uses
    /// (the protocol's default unless <c>--profile</c> names another). A scenario pinned to a profile other than the
    /// run's is Skipped: its client speaks another dialect.
    /// </summary>
    public string? Profile { get; init; }

    /// <summary>
    /// Whether the mock does nothing of its own (no welcome, no replies, no credential checks), so the steps' sends are
    /// every frame it sends: a recorded session replayed (<c>conformance record</c>). Default: false.
    /// </summary>
    public bool Scripted { get; init; }

    /// <summary>
    /// Client features (the protocol module's <c>Features</c>) the scenario judges; it is Skipped, not run, unless the
    /// user declared every one. Default: none.
    /// </summary>
    public IReadOnlyList<string> Requires { get; init; } = [];

    /// <summary>Client environment variables the client is not given in this scenario, e.g. <c>CONFORMANCE_TOKEN</c>. Default: none.</summary>
    public IReadOnlyList<string> Withhold { get; init; } = [];
}

/// <summary>One <c>mock:</c> setting: the option name, its raw YAML scalar (or JSON for structures), and where it was.</summary>
public sealed record MockSetting(string Name, string? Scalar, JsonNode? Structure, SourceMark Mark)
{
    /// <summary>Where the value starts; type errors point here. Defaults to the key's mark.</summary>
    public SourceMark ValueMark { get; init; } = Mark;
}
