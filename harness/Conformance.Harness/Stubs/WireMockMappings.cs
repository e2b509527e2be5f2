using System.Text.RegularExpressions;
using Conformance.Harness.Scenarios;
using Conformance.Mocks.Hosting;
using Newtonsoft.Json.Linq;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Conformance.Harness.Stubs;

/// <summary>
/// Hands <see cref="HttpStub"/>s to WireMock.Net as mappings. Each answer carries <see cref="StubHeader"/> with the stub's
/// number, so the front knows which stub answered; a catch-all of the lowest priority answers with
/// <see cref="PassOnHeader"/> when none did, and the request goes on to the mock's own routes.
/// </summary>
internal static class WireMockMappings
{
    public const string StubHeader = "X-Conformance-Stub";
    public const string PassOnHeader = "X-Conformance-Pass-On";

    // WireMock's priority first (1 before 5), then the order stubs were written in; WireMock.Net itself does not keep
    // the order of mappings of equal priority.
    private const int PerPriority = 100_000;

    /// <summary>Answers <paramref name="stub"/> as stub number <paramref name="number"/>.</summary>
    public static void Add(WireMockServer server, HttpStub stub, int number)
    {
        var mapping = server.Given(Request(stub.Request))
            .AtPriority(stub.Priority * PerPriority + number)
            .WithTitle(stub.Name);
        if (stub.ScenarioName is { } scenario)
        {
            mapping = mapping.InScenario(scenario);
            // WireMock's first state is "Started"; in WireMock.Net a scenario starts with no state.
            if (stub.RequiredState is { } required && required != "Started")
            {
                mapping = mapping.WhenStateIs(required);
            }

            // A stub without a new state leaves the state as it is; WireMock.Net would go back to the start.
            if ((stub.NewState ?? stub.RequiredState) is { } next && next != "Started")
            {
                mapping = mapping.WillSetStateTo(next);
            }
        }

        mapping.RespondWith(Response(stub.Response).WithHeader(StubHeader, number.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>The catch-all behind every stub: "no stub matched", so the mock's own routes answer.</summary>
    public static void AddPassOn(WireMockServer server) =>
        server.Given(WireMock.RequestBuilders.Request.Create().UsingAnyMethod())
            .AtPriority(int.MaxValue)
            .WithTitle("conformance: no stub matched; the protocol mock answers")
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(404).WithHeader(PassOnHeader, "true"));

    private static IRequestBuilder Request(StubRequest stub)
    {
        var request = WireMock.RequestBuilders.Request.Create();
        request = stub.Method == "ANY" ? request.UsingAnyMethod() : request.UsingMethod(stub.Method);
        request = stub.UrlKind switch
        {
            // WireMock.Net matches url against the absolute URL; WireMock's url is the path and query.
            UrlMatchKind.Url => request.WithUrl(new RegexMatcher(AnyOrigin + Regex.Escape(stub.Url) + "$")),
            UrlMatchKind.UrlPattern => request.WithUrl(new RegexMatcher(stub.Url.StartsWith('^') ? AnyOrigin + stub.Url[1..] : stub.Url)),
            UrlMatchKind.UrlPath => request.WithPath(new ExactMatcher(stub.Url)),
            _ => request.WithPath(new RegexMatcher(stub.Url)),
        };
        foreach (var (name, matcher) in stub.QueryParameters)
        {
            request = matcher.Kind == MatcherKind.Absent
                ? request.WithParam(name, MatchBehaviour.RejectOnMatch)
                : request.WithParam(name, StringMatcher(matcher));
        }

        foreach (var (name, matcher) in stub.Headers)
        {
            // Header names are case-insensitive (RFC 9110 §5.1).
            request = matcher.Kind == MatcherKind.Absent
                ? request.WithHeader(name, "*", MatchBehaviour.RejectOnMatch)
                : request.WithHeader(name, true, MatchBehaviour.AcceptOnMatch, MatchOperator.Or, StringMatcher(matcher));
        }

        foreach (var (name, matcher) in stub.Cookies)
        {
            request = matcher.Kind == MatcherKind.Absent
                ? request.WithCookie(name, "*", matchBehaviour: MatchBehaviour.RejectOnMatch)
                : request.WithCookie(name, false, MatchBehaviour.AcceptOnMatch, StringMatcher(matcher));
        }

        return stub.BodyPatterns.Count == 0 ? request : request.WithBody([.. stub.BodyPatterns.Select(BodyMatcher)], MatchOperator.And);
    }

    // The scheme and authority in front of the path in WireMock.Net's absolute URL.
    private const string AnyOrigin = "^[a-z]+://[^/]+";

    private static IStringMatcher StringMatcher(ValueMatcher matcher) => matcher.Kind switch
    {
        MatcherKind.EqualTo => new ExactMatcher(matcher.CaseInsensitive, matcher.Pattern),
        MatcherKind.Contains => new RegexMatcher(Regex.Escape(matcher.Pattern)),
        MatcherKind.DoesNotContain => new RegexMatcher(MatchBehaviour.RejectOnMatch, Regex.Escape(matcher.Pattern)),
        MatcherKind.Matches => new RegexMatcher(matcher.Pattern),
        MatcherKind.DoesNotMatch => new RegexMatcher(MatchBehaviour.RejectOnMatch, matcher.Pattern),
        MatcherKind.MatchesJsonPath => new JsonPathMatcher(matcher.Pattern),
        MatcherKind.MatchesXPath => new XPathMatcher(matcher.Pattern),
        _ => throw new ArgumentOutOfRangeException(nameof(matcher), matcher.Kind, "the loader allows equalToJson in bodies only, and absent is not a value matcher"),
    };

    private static IMatcher BodyMatcher(ValueMatcher matcher) => matcher.Kind switch
    {
        MatcherKind.EqualToJson when matcher.IgnoreExtraElements => new JsonPartialMatcher(JsonToken(matcher)),
        MatcherKind.EqualToJson => new JsonMatcher(JsonToken(matcher)),
        _ => StringMatcher(matcher),
    };

    private static JToken JsonToken(ValueMatcher matcher) => JToken.Parse(matcher.Json?.ToJsonString() ?? "null");

    private static IResponseBuilder Response(StubResponse stub)
    {
        var response = WireMock.ResponseBuilders.Response.Create().WithStatusCode(stub.Status);
        foreach (var (name, value) in stub.Headers)
        {
            response = response.WithHeader(name, value);
        }

        // A JSON body is sent as JSON and a text body as text unless the stub says otherwise.
        var contentType = stub.JsonBody is not null || stub.Body is null && stub.BinaryBody is null ? "application/json" : "text/plain";
        if (!stub.Headers.Keys.Any(h => h.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) && (stub.JsonBody ?? (object?)stub.Body) is not null)
        {
            response = response.WithHeader("Content-Type", contentType);
        }

        response = stub switch
        {
            { JsonBody: { } json } => response.WithBodyAsJson(JToken.Parse(json.ToJsonString())),
            { Body: { } text } => response.WithBody(text),
            { BinaryBody: { } bytes } => response.WithBody(bytes),
            _ => response,
        };
        if (stub.Templated)
        {
            response = response.WithTransformer();
        }

        if (stub.RandomDelay is var (lower, upper))
        {
            response = response.WithRandomDelay((int)lower.TotalMilliseconds, (int)upper.TotalMilliseconds);
        }
        else if (stub.Delay > TimeSpan.Zero)
        {
            response = response.WithDelay(stub.Delay);
        }

        // WireMock.Net's own faults answer with a status; the front cuts the connection as WireMock does (HttpFaults).
        return stub.Fault switch
        {
            HttpFault.EmptyResponse => (IResponseBuilder)response.WithFault(FaultType.EMPTY_RESPONSE),
            HttpFault.MalformedResponseChunk => (IResponseBuilder)response.WithFault(FaultType.MALFORMED_RESPONSE_CHUNK),
            _ => response,
        };
    }
}
