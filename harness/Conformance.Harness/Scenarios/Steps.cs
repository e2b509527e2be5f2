using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Conformance.Harness.Scenarios;

/// <summary>A step of a scenario. <see cref="Rule"/> is the rule an unmet expectation is reported against.</summary>
public abstract record Step(SourceMark Mark)
{
    public string? Rule { get; init; }

    /// <summary>The step as it reads in reports, e.g. <c>expect {"op":9} ×3 within 1s</c>.</summary>
    public abstract string Describe();

    /// <summary>Steps that can be unmet (and so need a rule) rather than actions the mock performs.</summary>
    public virtual bool IsExpectation => false;
}

/// <summary>What a <c>send</c> puts on the wire: exactly one of JSON, text, binary or a named template.</summary>
public sealed record Payload(JsonNode? Json, string? Text, byte[]? Binary, string? Template, JsonNode? With)
{
    /// <summary>Several templates sent as one frame (their event arrays joined); null for a single one.</summary>
    public IReadOnlyList<string>? Templates { get; init; }

    public override string ToString() =>
        Templates is not null ? $"templates {string.Join(" + ", Templates)}" + (With is null ? "" : " with " + With.ToJsonString())
        : Template is not null ? $"template {Template}" + (With is null ? "" : " with " + With.ToJsonString())
        : Json is not null ? Json.ToJsonString()
        : Text is not null ? $"text \"{Text}\""
        : $"binary {Binary!.Length} bytes";
}

public sealed record SendStep(SourceMark Mark, Payload Payload, int Fragments) : Step(Mark)
{
    public override string Describe() => $"send {Payload}" + (Fragments > 1 ? $" in {Fragments} fragments" : "");
}

/// <summary>How a client frame is matched: a JSON subset, a regular expression on the text, or exact text.</summary>
public sealed record FrameMatch(JsonNode? Json, Regex? Pattern, string? Text, bool Binary)
{
    public override string ToString() =>
        Json is not null ? Json.ToJsonString() : Pattern is not null ? $"/{Pattern}/" : Text is not null ? $"\"{Text}\"" : "binary";
}

public sealed record ExpectStep(SourceMark Mark, FrameMatch Match, TimeSpan Within, int Count, IReadOnlyDictionary<string, string> Captures)
    : Step(Mark)
{
    public override bool IsExpectation => true;

    public override string Describe() => $"expect {Match}" + (Count > 1 ? $" ×{Count}" : "") + $" within {Durations.Format(Within)}";
}

public sealed record ExpectConnectStep(SourceMark Mark, string? Path, IReadOnlyDictionary<string, string> Headers, TimeSpan Within)
    : Step(Mark)
{
    /// <summary>Query parameters the upgrade request must carry, with these values (others may be present too).</summary>
    public IReadOnlyDictionary<string, string> Query { get; init; } = new Dictionary<string, string>();

    public override bool IsExpectation => true;

    public override string Describe() =>
        $"expect connect{(Path is null ? "" : " to " + Path)}" +
        (Query.Count == 0 ? "" : "?" + string.Join("&", Query.Select(q => $"{q.Key}={q.Value}"))) +
        $" within {Durations.Format(Within)}";
}

public sealed record ExpectCloseStep(SourceMark Mark, int? Code, TimeSpan Within) : Step(Mark)
{
    public override bool IsExpectation => true;

    public override string Describe() => $"expect client close{(Code is null ? "" : $" with {Code}")} within {Durations.Format(Within)}";
}

public sealed record ExpectSilenceStep(SourceMark Mark, TimeSpan For, bool IgnoreHeartbeats) : Step(Mark)
{
    public override bool IsExpectation => true;

    public override string Describe() => $"expect silence for {Durations.Format(For)}" + (IgnoreHeartbeats ? " (heartbeats allowed)" : "");
}

public sealed record ExpectAliveStep(SourceMark Mark, TimeSpan For) : Step(Mark)
{
    public override bool IsExpectation => true;

    public override string Describe() => $"expect the client to stay connected for {Durations.Format(For)}";
}

public sealed record ExpectOutputStep(SourceMark Mark, Regex Pattern, string? Stream, TimeSpan Within) : Step(Mark)
{
    public override bool IsExpectation => true;

    public override string Describe() => $"expect output /{Pattern}/ within {Durations.Format(Within)}";
}

public sealed record WaitStep(SourceMark Mark, TimeSpan Duration) : Step(Mark)
{
    public override string Describe() => $"wait {Durations.Format(Duration)}";
}

public sealed record CloseStep(SourceMark Mark, int Code, string Reason) : Step(Mark)
{
    public override string Describe() => $"close with {Code}" + (Reason.Length > 0 ? $" \"{Reason}\"" : "");
}

public sealed record DropStep(SourceMark Mark) : Step(Mark)
{
    public override string Describe() => "drop the connection without a close frame";
}

/// <summary>Waits for HTTP requests to the mock: method and path (exact), optionally the answer's status, N times.</summary>
public sealed record ExpectHttpStep(SourceMark Mark, string? Method, string Path, int? Status, int Count, TimeSpan Within) : Step(Mark)
{
    public override bool IsExpectation => true;

    public override string Describe() =>
        $"expect HTTP {Method ?? "any"} {Path}" + (Status is null ? "" : $" answered {Status}") + (Count > 1 ? $" ×{Count}" : "") +
        $" within {Durations.Format(Within)}";
}
