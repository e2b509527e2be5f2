using Conformance.Harness.Scenarios;
using Conformance.Mocks.Json;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Running;

/// <summary>Whether a recorded client frame satisfies an expectation's <see cref="FrameMatch"/>.</summary>
internal static class FrameMatcher
{
    public static bool Matches(FrameMatch match, FrameRecorded frame)
    {
        if (match.Binary)
        {
            return frame.Kind == FrameKind.Binary;
        }

        if (frame.Text is null)
        {
            return false;
        }

        if (match.Text is not null)
        {
            return frame.Text == match.Text;
        }

        if (match.Pattern is not null)
        {
            return match.Pattern.IsMatch(frame.Text);
        }

        return JsonText.TryParse(frame.Text) is { } json && JsonSubset.Matches(match.Json, json);
    }
}
