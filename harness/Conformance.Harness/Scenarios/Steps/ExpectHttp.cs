using System.Text.Json.Nodes;
using Conformance.Harness.Running;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Json;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Scenarios;

/// <summary>
/// Waits for HTTP requests to the mock: method, path (a pattern, as in <c>expect_connect</c>), headers, query parameters, a
/// JSON subset of the body, the status it was answered with, <see cref="Count"/> times; can capture from request and answer.
/// </summary>
public sealed record ExpectHttpStep(SourceMark Mark, string? Method, string Path, int? Status, int Count, TimeSpan Within) : Step(Mark)
{
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Query { get; init; } = new Dictionary<string, string>();

    /// <summary>A JSON subset the request body must contain (with <c>$is</c> / <c>$regex</c> operators); null for any body.</summary>
    public JsonNode? Body { get; init; }

    public bool HasBody { get; init; }

    public TimeSpan? After { get; init; }

    /// <summary>Variables from the (last) matching exchange: JSON paths into <c>{method, path, query, headers, body, status, response}</c>.</summary>
    public IReadOnlyDictionary<string, string> Captures { get; init; } = new Dictionary<string, string>();

    public override string Describe() =>
        $"expect HTTP {Method ?? "any"} {Path}" + (Status is null ? "" : $" answered {Status}") + (Count > 1 ? $" ×{Count}" : "") +
        (After is { } a ? $" after {Durations.Format(a)}" : "") + $" within {Durations.Format(Within)}";
}

internal sealed class ExpectHttpKind : StepKind<ExpectHttpStep>
{
    public override string Name => "expect_http";

    public override string Summary => "Wait for the client to make HTTP requests to the mock (or its stubs).";

    public override bool IsExpectation => true;

    public override string Schema => """
        {
          "description": "Wait for HTTP requests to the mock: the method and path, optionally headers, query, body and the status the mock (or a stub) answered, count times. Requests are looked for after the last one an earlier expect_http matched.",
          "type": "object",
          "additionalProperties": false,
          "required": ["path"],
          "properties": {
            "method": {
              "description": "The request method (GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS; case-insensitive). Default: any.",
              "type": "string",
              "pattern": "^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|get|post|put|patch|delete|head|options)$"
            },
            "path": {
              "description": "The request path, without the query string, e.g. /_/auth/token. A {name} segment matches any value and captures it: /api/v1/players/{guild}. May use ${name}.",
              "$ref": "#/definitions/text"
            },
            "status": {
              "description": "The HTTP status the request must have been answered with (100 to 599). Default: any.",
              "$ref": "#/definitions/httpStatus"
            },
            "headers": {
              "description": "Request headers the client must send with these values (names are case-insensitive), e.g. { Authorization: '${password}' }.",
              "$ref": "#/definitions/textMap"
            },
            "query": {
              "description": "Query parameters the request must carry with these values (others may be present too).",
              "$ref": "#/definitions/textMap"
            },
            "body": {
              "description": "A JSON subset the request body must contain, as in expect's json (with $is and $regex operators and ${name})."
            },
            "count": {
              "description": "How many matching requests to wait for (1 to 100000). Default: 1.",
              "type": "integer",
              "minimum": 1,
              "maximum": 100000
            },
            "within": {
              "description": "How long to wait. Default: 5s.",
              "$ref": "#/definitions/duration"
            },
            "after": {
              "description": "Lower bound: a matching request earlier than this into the step fails the step. Default: none.",
              "$ref": "#/definitions/duration"
            },
            "capture": {
              "description": "Variables from the (last) matching exchange: name -> JSON path into { method, path, query, headers, body, status, response }, e.g. $.response.data[0].id.",
              "$ref": "#/definitions/capture"
            }
          }
        }
        """;

    internal override Step? Read(StepSyntax syntax)
    {
        if (syntax.Map("method", "path", "status", "headers", "query", "body", "count", "within", "after", "capture") is not { } map ||
            syntax.Required(map, "path", "the request path such as /_/auth/token") is not { } pathNode)
        {
            return null;
        }

        var load = syntax.Loader;
        var status = syntax.Value(map, "status") is { } s ? load.Integer(s, "status", 100, 599) : null;
        var count = syntax.Value(map, "count") is { } c ? load.Integer(c, "count", 1, 100_000) : 1;
        var method = syntax.Value(map, "method") is { } m ? load.Method(m, allowAny: false) : null;
        var path = load.String(pathNode, "path");
        if (path is not null && PathPattern.Problem(Variables.Pattern.Replace(path, "x")) is { } problem)
        {
            syntax.Error(pathNode, $"path '{path}': {problem}");
            return null;
        }

        if (path is null || count is null || (method is null && syntax.Value(map, "method") is not null))
        {
            return null;
        }

        foreach (var name in new PathPattern(Variables.Pattern.Replace(path, "x")).Names)
        {
            load.DeclareCapture(name);
        }

        var body = syntax.Value(map, "body");
        return new ExpectHttpStep(syntax.Mark, method, path, status, count.Value, syntax.Within(map))
        {
            Headers = load.TextMap(map, "headers", "header"),
            Query = load.TextMap(map, "query", "query parameter"),
            Body = body?.ToJson(),
            HasBody = body is not null,
            After = load.OptionalDuration(map, "after"),
            Captures = load.ReadCaptures(map, "$.response.token"),
        };
    }

    /// <summary>
    /// HTTP and socket events share one order, the order the mock saw them in: the request must come after the frames and
    /// connections earlier steps matched, and connections and frames expected after this step must come after it, so a
    /// script can say "fetch the token, then connect" or "join after the ack".
    /// </summary>
    protected override async Task<string?> RunAsync(ExpectHttpStep step, RunContext context)
    {
        var pattern = new PathPattern(Variables.Substitute(step.Path, context.Captures));
        var headers = step.Headers.ToDictionary(h => h.Key, h => Variables.Substitute(h.Value, context.Captures), StringComparer.OrdinalIgnoreCase);
        var query = step.Query.ToDictionary(q => q.Key, q => Variables.Substitute(q.Value, context.Captures), StringComparer.Ordinal);
        var body = Variables.Substitute(step.Body, context.Captures, context.Absent);
        bool Matches(HttpExchange e) =>
            pattern.Match(e.Path) is not null && (step.Method is null || e.Method == step.Method) && (step.Status is null || e.Status == step.Status) &&
            headers.All(h => e.RequestHeaders.TryGetValue(h.Key, out var v) && v == h.Value) &&
            HttpQuery.Contains(query, e.Query) &&
            (!step.HasBody || JsonSubset.Matches(body, JsonText.TryParse(e.RequestBody)));

        using var window = context.Window(step.Within);
        context.HttpCursor = Math.Max(context.HttpCursor, context.FrameCursor);
        for (var matched = 0; matched < step.Count; matched++)
        {
            var exchange = await context.Transcript.WaitForAsync<HttpExchange>(context.HttpCursor, Matches, window.Token).ConfigureAwait(false);
            if (exchange is null)
            {
                var others = context.Transcript.Snapshot().OfType<HttpExchange>().Where(e => e.Index >= context.HttpCursor).ToList();
                context.FailureCauses.AddRange(others);
                var seen = others.Select(e => $"{e.Method} {e.Path} -> {e.Status}").Distinct().Take(6).ToList();
                return $"expected {step.Describe()["expect ".Length..]}" + Detail(step) + (step.Count > 1 ? $", got {matched}" : "") + "; the client made " +
                       (seen.Count == 0 ? "no other requests" : string.Join(", ", seen)) + context.Because();
            }

            if (matched == 0 && context.TooEarly(exchange, step.After, $"{exchange.Method} {exchange.Path}") is { } early)
            {
                return early;
            }

            context.HttpCursor = exchange.Index + 1;
            context.ConnectCursor = Math.Max(context.ConnectCursor, exchange.Index + 1);
            context.FrameCursor = Math.Max(context.FrameCursor, exchange.Index + 1);
            foreach (var (name, value) in pattern.Match(exchange.Path)!)
            {
                context.Captures[name] = JsonValue.Create(value);
            }

            context.Capture(step.Captures, View(exchange));
        }

        return null;
    }

    private static string Detail(ExpectHttpStep step) =>
        (step.Headers.Count > 0 ? " with headers " + string.Join(", ", step.Headers.Select(h => $"{h.Key}: {h.Value}")) : "") +
        (step.Query.Count > 0 ? " with query " + string.Join("&", step.Query.Select(q => $"{q.Key}={q.Value}")) : "") +
        (step.HasBody ? " with body " + (step.Body?.ToJsonString() ?? "null") : "");

    /// <summary>What <c>capture:</c> paths select from.</summary>
    private static JsonObject View(HttpExchange exchange) => new()
    {
        ["method"] = exchange.Method,
        ["path"] = exchange.Path,
        ["query"] = HttpQuery.ToJson(exchange.Query),
        ["headers"] = new JsonObject(exchange.RequestHeaders.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)JsonValue.Create(h.Value)))),
        ["body"] = JsonText.TryParse(exchange.RequestBody) ?? (exchange.RequestBody is null ? null : JsonValue.Create(exchange.RequestBody)),
        ["status"] = exchange.Status,
        ["response"] = JsonText.TryParse(exchange.ResponseBody) ?? (exchange.ResponseBody is null ? null : JsonValue.Create(exchange.ResponseBody)),
    };
}
