using System.Text.Json.Nodes;
using Conformance.Harness.Running;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Scenarios;

/// <summary>
/// Waits for the client to open a connection: to <see cref="Path"/> (a pattern: <c>/ws/resume/{session}</c> captures the
/// segment as <c>${session}</c>), with these headers and query parameters, inside a timing window. The connection becomes
/// the one later steps act on, and may be named with <see cref="As"/>.
/// </summary>
public sealed record ExpectConnectStep(SourceMark Mark, string? Path, IReadOnlyDictionary<string, string> Headers, TimeSpan Within)
    : Step(Mark)
{
    /// <summary>Query parameters the upgrade request must carry, with these values (others may be present too).</summary>
    public IReadOnlyDictionary<string, string> Query { get; init; } = new Dictionary<string, string>();

    /// <summary>The lower bound of the window: a connection earlier than this into the step fails. Default: none.</summary>
    public TimeSpan? After { get; init; }

    /// <summary>A name for <c>on:</c> in later steps.</summary>
    public string? As { get; init; }

    /// <summary>Variables from the request: JSON paths into <c>{path, query: {...}, headers: {...}}</c>.</summary>
    public IReadOnlyDictionary<string, string> Captures { get; init; } = new Dictionary<string, string>();

    public override string Describe() =>
        $"expect connect{(Path is null ? "" : " to " + Path)}" +
        (Query.Count == 0 ? "" : "?" + string.Join("&", Query.Select(q => $"{q.Key}={q.Value}"))) +
        (After is { } a ? $" after {Durations.Format(a)}" : "") + $" within {Durations.Format(Within)}" + (As is null ? "" : $" as {As}");
}

internal sealed class ExpectConnectKind : StepKind<ExpectConnectStep>
{
    public override string Name => "expect_connect";

    public override string Summary => "Wait for the client to open a connection.";

    public override bool IsExpectation => true;

    public override string Schema => """
        {
          "description": "Wait for the client to open a connection; it becomes the connection later steps act on.",
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "path": {
              "description": "The request path the client must use, e.g. /gateway_v2. A {name} segment matches any value and captures it: /ws/resume/{session}. May use ${name}.",
              "$ref": "#/definitions/text"
            },
            "headers": {
              "description": "Request headers the client must send (names are case-insensitive). Values may use ${name}.",
              "$ref": "#/definitions/textMap"
            },
            "query": {
              "description": "Query parameters the upgrade request must carry with these values, e.g. { shards: 1 } (others may be present too).",
              "$ref": "#/definitions/textMap"
            },
            "within": {
              "description": "How long to wait. Default: 5s.",
              "$ref": "#/definitions/duration"
            },
            "after": {
              "description": "Lower bound (a reconnect backoff): a connection sooner than this after the latest connection ended (a drop, a close), or into the step when none has ended, fails the step. Default: none.",
              "$ref": "#/definitions/duration"
            },
            "as": {
              "description": "A name for this connection, for 'on:' in later steps (on: listener).",
              "$ref": "#/definitions/nonEmptyString"
            },
            "capture": {
              "description": "Variables from the request: name -> JSON path into { path, query: {...}, headers: {...} }, e.g. $.query.user_id.",
              "$ref": "#/definitions/capture"
            }
          }
        }
        """;

    internal override Step? Read(StepSyntax syntax)
    {
        if (syntax.Map("path", "headers", "query", "within", "after", "as", "capture") is not { } map)
        {
            return null;
        }

        var load = syntax.Loader;
        var path = load.OptionalString(map, "path");
        if (path is not null && PathPattern.Problem(Variables.Pattern.Replace(path, "x")) is { } problem)
        {
            syntax.Error(syntax.Value(map, "path")!, $"path '{path}': {problem}");
            return null;
        }

        if (path is not null)
        {
            foreach (var name in new PathPattern(Variables.Pattern.Replace(path, "x")).Names)
            {
                load.DeclareCapture(name);
            }
        }

        return new ExpectConnectStep(syntax.Mark, path, load.TextMap(map, "headers", "header"), syntax.Within(map))
        {
            Query = load.TextMap(map, "query", "query parameter"),
            After = load.OptionalDuration(map, "after"),
            As = load.ReadAs(map),
            Captures = load.ReadCaptures(map, "$.query.user_id"),
        };
    }

    protected override async Task<string?> RunAsync(ExpectConnectStep step, RunContext context)
    {
        var pattern = step.Path is null ? null : new PathPattern(Variables.Substitute(step.Path, context.Captures));
        var headers = step.Headers.ToDictionary(h => h.Key, h => Variables.Substitute(h.Value, context.Captures), StringComparer.OrdinalIgnoreCase);
        var query = step.Query.ToDictionary(q => q.Key, q => Variables.Substitute(q.Value, context.Captures), StringComparer.Ordinal);
        using var window = context.Window(step.Within);
        var opened = await context.Transcript.WaitForAsync<ConnectionOpened>(
            context.ConnectCursor,
            c => (pattern is null || pattern.Match(c.Path) is not null) &&
                 headers.All(h => c.Headers.TryGetValue(h.Key, out var v) && v == h.Value) &&
                 HttpQuery.Contains(query, c.Query),
            window.Token).ConfigureAwait(false);
        if (opened is null)
        {
            var refusals = context.Transcript.Snapshot().OfType<ConnectionRefused>().Where(r => r.Index >= context.ConnectCursor).ToList();
            context.FailureCauses.AddRange(refusals);
            var refused = refusals.Select(r => $"refused {r.Path} with {r.Status}: {r.Reason}");
            var others = context.Transcript.Snapshot().OfType<ConnectionOpened>().Where(c => c.Index >= context.ConnectCursor)
                .Select(c => $"connection {c.Connection} to {c.Path}{c.Query} did not match");
            var seen = string.Join("; ", refused.Concat(others));
            return $"no client connection{(pattern is null ? "" : " to " + pattern)} within {Durations.Format(step.Within)}" +
                   (seen.Length > 0 ? $" ({seen})" : "") + context.Because();
        }

        // A backoff counts from the end the client comes back from, not from this step: steps between the drop and this
        // one (sends held for a detached session) take time, and a quick client may be back before they finish.
        var ended = context.Transcript.Snapshot().OfType<ConnectionClosed>().LastOrDefault(c => c.Index < opened.Index && c.At <= context.StepStartedAt);
        if (step.After is { } after && ended is not null && opened.At - ended.At < after)
        {
            return $"connection {opened.Connection} to {opened.Path} came {(opened.At - ended.At).TotalMilliseconds:0}ms after connection {ended.Connection} ended " +
                $"({ended.By}, at {ended.At.TotalMilliseconds:0}ms); expected not before {Durations.Format(after)}";
        }

        if (ended is null && context.TooEarly(opened, step.After, $"connection {opened.Connection} to {opened.Path}") is { } early)
        {
            return early;
        }

        context.ConnectCursor = opened.Index + 1;
        if (step.As is not null)
        {
            context.Names[step.As] = opened.Connection;
        }

        foreach (var (name, value) in pattern?.Match(opened.Path) ?? new Dictionary<string, string>())
        {
            context.Captures[name] = JsonValue.Create(value);
        }

        context.Capture(step.Captures, View(opened));

        // Scripted frames go after the mock's own opening (the welcome), never before it.
        await context.AdoptAsync(opened, window.Token).ConfigureAwait(false);
        return null;
    }

    /// <summary>What <c>capture:</c> paths select from: the path, the query parameters and the headers.</summary>
    private static JsonObject View(ConnectionOpened opened) => new()
    {
        ["path"] = opened.Path,
        ["query"] = HttpQuery.ToJson(opened.Query),
        ["headers"] = new JsonObject(opened.Headers.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)JsonValue.Create(h.Value)))),
    };
}
