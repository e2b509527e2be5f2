using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Conformance.Harness.Scenarios;

/// <summary>
/// One condition on a request value, in WireMock's words: <c>equalTo</c>, <c>contains</c>, <c>matches</c> (regex),
/// <c>equalToJson</c> (same JSON, key order aside), <c>absent</c>.
/// </summary>
public sealed record ValueMatcher(string? EqualTo, string? Contains, Regex? Pattern, JsonNode? EqualToJson, bool Absent)
{
    public bool Matches(string? value) =>
        Absent ? value is null
        : value is null ? false
        : EqualTo is not null ? value == EqualTo
        : Contains is not null ? value.Contains(Contains, StringComparison.Ordinal)
        : Pattern is not null ? Pattern.IsMatch(value)
        : EqualToJson is null || JsonNode.DeepEquals(EqualToJson, Mocks.Json.JsonText.TryParse(value));

    public override string ToString() =>
        Absent ? "absent" : EqualTo is not null ? $"= {EqualTo}" : Contains is not null ? $"contains {Contains}"
        : Pattern is not null ? $"matches /{Pattern}/" : $"= {EqualToJson?.ToJsonString()}";
}

/// <summary>What a stub matches, in WireMock's mapping shape: method, one of url / urlPath / urlPathPattern, and matchers.</summary>
public sealed record StubRequest(
    string Method,
    string? Url,
    string? UrlPath,
    Regex? UrlPathPattern,
    IReadOnlyDictionary<string, ValueMatcher> QueryParameters,
    IReadOnlyDictionary<string, ValueMatcher> Headers,
    IReadOnlyList<ValueMatcher> BodyPatterns);

/// <summary>What a stub answers: status, headers, a JSON or text body, and a delay.</summary>
public sealed record StubResponse(int Status, IReadOnlyDictionary<string, string> Headers, JsonNode? JsonBody, string? Body, TimeSpan Delay);

/// <summary>
/// A scenario's HTTP stub. Stubs are consulted in file order before the mock's own routes, so they add routes or
/// override the protocol's (WireMock's <c>request</c> / <c>response</c> mapping shape).
/// </summary>
public sealed record HttpStub(SourceMark Mark, StubRequest Request, StubResponse Response)
{
    public string Name => $"stub at line {Mark.Line}";

    public override string ToString() =>
        $"{Request.Method} {Request.UrlPath ?? Request.Url ?? "/" + Request.UrlPathPattern + "/"} -> {Response.Status}";
}
