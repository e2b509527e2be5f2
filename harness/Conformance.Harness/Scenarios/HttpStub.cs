using System.Text.Json.Nodes;
using Conformance.Mocks.Hosting;

namespace Conformance.Harness.Scenarios;

/// <summary>The WireMock matchers a stub may put on a request value (wiremock.org/docs/request-matching).</summary>
public enum MatcherKind
{
    EqualTo,
    Contains,
    DoesNotContain,
    Matches,
    DoesNotMatch,
    EqualToJson,
    MatchesJsonPath,
    MatchesXPath,
    Absent,
}

/// <summary>
/// One condition on a request value, in WireMock's words: <c>equalTo</c> (optionally <c>caseInsensitive</c>),
/// <c>contains</c>, <c>doesNotContain</c>, <c>matches</c> / <c>doesNotMatch</c> (regex), <c>equalToJson</c> (same JSON,
/// key order aside; <c>ignoreExtraElements</c> allows more), <c>matchesJsonPath</c>, <c>matchesXPath</c>, <c>absent</c>.
/// WireMock.Net does the matching.
/// </summary>
public sealed record ValueMatcher(MatcherKind Kind, string Pattern = "")
{
    public JsonNode? Json { get; init; }

    public bool CaseInsensitive { get; init; }

    public bool IgnoreExtraElements { get; init; }

    public override string ToString() => Kind switch
    {
        MatcherKind.Absent => "absent",
        MatcherKind.EqualToJson => $"= {Json?.ToJsonString()}",
        _ => $"{Kind} {Pattern}",
    };
}

/// <summary>Which of WireMock's URL keys a stub uses, and its value.</summary>
public enum UrlMatchKind
{
    /// <summary><c>url</c>: path and query, exactly.</summary>
    Url,

    /// <summary><c>urlPattern</c>: a regex on path and query.</summary>
    UrlPattern,

    /// <summary><c>urlPath</c>: the path, exactly.</summary>
    UrlPath,

    /// <summary><c>urlPathPattern</c>: a regex on the path.</summary>
    UrlPathPattern,
}

/// <summary>What a stub matches, in WireMock's mapping shape: method (ANY for every method), one URL key, and matchers.</summary>
public sealed record StubRequest(
    string Method,
    UrlMatchKind UrlKind,
    string Url,
    IReadOnlyDictionary<string, ValueMatcher> QueryParameters,
    IReadOnlyDictionary<string, ValueMatcher> Headers,
    IReadOnlyDictionary<string, ValueMatcher> Cookies,
    IReadOnlyList<ValueMatcher> BodyPatterns);

/// <summary>
/// What a stub answers: status, headers, a JSON, text or binary body, a fixed or uniformly random delay, WireMock.Net's
/// response templating (<c>transformers: [response-template]</c>), or a fault instead of an answer.
/// </summary>
public sealed record StubResponse(int Status, IReadOnlyDictionary<string, string> Headers)
{
    public JsonNode? JsonBody { get; init; }

    public string? Body { get; init; }

    public byte[]? BinaryBody { get; init; }

    public TimeSpan Delay { get; init; }

    /// <summary><c>delayDistribution: { type: uniform, lower, upper }</c>; null for none.</summary>
    public (TimeSpan Lower, TimeSpan Upper)? RandomDelay { get; init; }

    public bool Templated { get; init; }

    public HttpFault Fault { get; init; }
}

/// <summary>
/// An HTTP stub: a WireMock mapping (<c>request</c> / <c>response</c>, with <c>priority</c> and scenario states), from a
/// scenario's <c>stubs:</c> or a mapping file. Stubs are consulted before the mock's own routes, in priority order, then in
/// the order they were written; WireMock.Net matches and answers them.
/// </summary>
public sealed record HttpStub(SourceMark Mark, StubRequest Request, StubResponse Response)
{
    /// <summary>How the transcript names the stub: its <c>name</c>, else where it was written.</summary>
    public string Name { get; init; } = $"stub at line {Mark.Line}";

    /// <summary>WireMock's priority: 1 first; 5 when not given.</summary>
    public int Priority { get; init; } = 5;

    /// <summary>WireMock's stateful behaviour: the scenario, the state the stub needs (<c>Started</c> at first), the state it sets.</summary>
    public string? ScenarioName { get; init; }

    public string? RequiredState { get; init; }

    public string? NewState { get; init; }

    public override string ToString() => $"{Request.Method} {Request.Url} -> {Response.Status}";
}
