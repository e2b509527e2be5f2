using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Conformance.Harness.Scenarios;

/// <summary>
/// A step of a scenario: plain data read by its <see cref="StepKind"/> (one file per kind under <c>Scenarios/Steps/</c>).
/// <see cref="Rule"/> is the rule an unmet expectation is reported against; <see cref="On"/> the connection it acts on.
/// </summary>
public abstract record Step(SourceMark Mark)
{
    public string? Rule { get; init; }

    /// <summary>The connection or channel the step acts on; null for the latest one.</summary>
    public ChannelRef? On { get; init; }

    /// <summary>The step as it reads in reports, e.g. <c>expect {"op":9} ×3 within 1s</c>.</summary>
    public abstract string Describe();

    /// <summary>Steps that can be unmet (and so need a rule) rather than actions the mock performs.</summary>
    public bool IsExpectation => StepKinds.Of(this).IsExpectation;
}

/// <summary>Which connection or channel a step acts on: by number (1 is the first of the run) or by name (an endpoint, or an <c>as:</c> name).</summary>
public sealed record ChannelRef(int? Number, string? Name)
{
    public override string ToString() => Number?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Name!;
}

/// <summary>What a <c>send</c> puts on the wire: exactly one of JSON, text, binary or a named template.</summary>
public sealed record Payload(JsonNode? Json, string? Text, byte[]? Binary, string? Template, JsonNode? With)
{
    /// <summary>Several templates sent as one frame (their event arrays joined); null for a single one.</summary>
    public IReadOnlyList<string>? Templates { get; init; }

    /// <summary>Past this many characters a payload is shortened in descriptions (a 1 MiB send must not fill every report).</summary>
    private const int Shown = 400;

    public override string ToString()
    {
        var text = Full();
        return text.Length <= Shown ? text : $"{text[..Shown]}... ({text.Length} characters)";
    }

    private string Full() =>
        Templates is not null ? $"templates {string.Join(" + ", Templates)}" + (With is null ? "" : " with " + With.ToJsonString())
        : Template is not null ? $"template {Template}" + (With is null ? "" : " with " + With.ToJsonString())
        : Json is not null ? Json.ToJsonString()
        : Text is not null ? $"text \"{Text}\""
        : $"binary {Binary!.Length} bytes";
}

/// <summary>How a frame is matched: a JSON subset, a regular expression on the text, or exact text.</summary>
public sealed record FrameMatch(JsonNode? Json, Regex? Pattern, string? Text, bool Binary)
{
    /// <summary>Match the mock's own frames instead of the client's.</summary>
    public bool FromServer { get; init; }

    public override string ToString() =>
        (FromServer ? "server frame " : "") +
        (Json is not null ? Json.ToJsonString() : Pattern is not null ? $"/{Pattern}/" : Text is not null ? $"\"{Text}\"" : "binary");
}
