using System.Text.Json.Nodes;
using Conformance.Harness.Scenarios;
using Conformance.Mocks.Json;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Running;

/// <summary>Whether a recorded frame satisfies a <see cref="FrameMatch"/> once its <c>${name}</c> references are filled in.</summary>
internal sealed class FrameMatcher(FrameMatch match, IReadOnlyDictionary<string, JsonNode?> captures, int? connection, IReadOnlySet<string>? absent = null)
{
    private readonly JsonNode? _json = Variables.Substitute(match.Json, captures, absent);
    private readonly string? _text = match.Text is null ? null : Variables.Substitute(match.Text, captures);

    public Direction Direction => match.FromServer ? Direction.ServerToClient : Direction.ClientToServer;

    public bool Matches(FrameRecorded frame)
    {
        if (frame.Direction != Direction || (connection is { } id && frame.Connection != id))
        {
            return false;
        }

        if (match.Binary)
        {
            return frame.Kind == FrameKind.Binary;
        }

        if (frame.Text is null)
        {
            return false;
        }

        if (_text is not null)
        {
            return frame.Text == _text;
        }

        if (match.Pattern is not null)
        {
            return match.Pattern.IsMatch(frame.Text);
        }

        return JsonText.TryParse(frame.Text) is { } json && JsonSubset.Matches(_json, json);
    }
}
