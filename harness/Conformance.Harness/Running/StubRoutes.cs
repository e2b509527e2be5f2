using System.Text.Json.Nodes;
using Conformance.Harness.Scenarios;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Json;

namespace Conformance.Harness.Running;

/// <summary>
/// Turns a scenario's HTTP stubs into mock routes, placed ahead of the protocol's own. A response's body and headers may
/// use <c>${name}</c>: filled in when the request comes, from what the steps have captured by then.
/// </summary>
internal static class StubRoutes
{
    public static void Install(MockHost host, IReadOnlyList<HttpStub> stubs, IReadOnlyDictionary<string, JsonNode?>? captures = null)
    {
        captures ??= new Dictionary<string, JsonNode?>();
        for (var i = stubs.Count - 1; i >= 0; i--)
        {
            host.Routes.Insert(0, Route(stubs[i], captures));
        }
    }

    private static HttpRoute Route(HttpStub stub, IReadOnlyDictionary<string, JsonNode?> captures)
    {
        var request = stub.Request;
        return new HttpRoute(request.Method == "ANY" ? "*" : request.Method, request.UrlPath ?? "*", context => Answer(stub.Response, captures))
        {
            Name = stub.Name,
            When = context => Matches(request, context),
        };
    }

    private static bool Matches(StubRequest stub, HttpRequestContext context)
    {
        var http = context.Http.Request;
        var path = http.Path.Value ?? "/";
        return (stub.Url is null || stub.Url == path + http.QueryString.Value) &&
               (stub.UrlPathPattern is null || stub.UrlPathPattern.IsMatch(path)) &&
               stub.QueryParameters.All(q => q.Value.Matches(http.Query.TryGetValue(q.Key, out var v) ? v.ToString() : null)) &&
               stub.Headers.All(h => h.Value.Matches(http.Headers.TryGetValue(h.Key, out var v) ? v.ToString() : null)) &&
               stub.BodyPatterns.All(b => b.Matches(context.Body));
    }

    private static async Task<HttpReply> Answer(StubResponse response, IReadOnlyDictionary<string, JsonNode?> captures)
    {
        if (response.Delay > TimeSpan.Zero)
        {
            await Task.Delay(response.Delay).ConfigureAwait(false);
        }

        var json = response.JsonBody is not null;
        var body = json ? JsonText.Write(Variables.Substitute(response.JsonBody, captures))
            : response.Body is null ? null : Variables.Substitute(response.Body, captures);
        return new HttpReply(response.Status, body, json ? "application/json" : "text/plain")
        {
            Headers = response.Headers.ToDictionary(h => h.Key, h => Variables.Substitute(h.Value, captures), StringComparer.OrdinalIgnoreCase),
        };
    }
}
