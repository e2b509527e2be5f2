using Conformance.Mocks.Transcripts;

namespace Conformance.Mocks.Tests;

/// <summary>A mock's decisions on a recorded frame: typed for monitors, rendered as the note people read.</summary>
[Category("transcript")]
public sealed class FrameDecisionTests
{
    [Test]
    public void Decide_Twice_KeepsBothInOrderAndJoinsTheirDetailsInTheNote()
    {
        // Given a frame the host cut at its limit, which the protocol then could not parse
        var frame = ClientFrame("{\"a\":");

        // When
        frame.Decide(new FrameDecision(FrameDecisionKind.Oversize, "oversize: more than 5 bytes; closed with 1009"))
            .Decide(new FrameDecision(FrameDecisionKind.Malformed, "ignored: not an {a, p, t} object"));

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(frame.Decisions.Select(d => d.Kind), Is.EqualTo(new[] { FrameDecisionKind.Oversize, FrameDecisionKind.Malformed }));
            Assert.That(frame.Has(FrameDecisionKind.Malformed), Is.True);
            Assert.That(frame.Has(FrameDecisionKind.DroppedRateLimit), Is.False);
            Assert.That(frame.Note, Is.EqualTo("oversize: more than 5 bytes; closed with 1009; ignored: not an {a, p, t} object"));
        }
    }

    [Test]
    public void Decision_WithoutDetail_ReadsAsItsKind()
    {
        var frame = ClientFrame("x").Decide(new FrameDecision(FrameDecisionKind.DroppedNewline));

        Assert.That(frame.Note, Is.EqualTo("DroppedNewline"));
    }

    [Test]
    public void ToJson_ADecidedFrame_ShowsTheNoteAndTheKinds()
    {
        var frame = ClientFrame("""{"a":"chat","p":"hi","t":1}""").Decide(new FrameDecision(FrameDecisionKind.DroppedRateLimit, "dropped: rate limit"));

        var json = TranscriptJson.ToJson(frame);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(json["note"]?.GetValue<string>(), Is.EqualTo("dropped: rate limit"));
            Assert.That(json["decisions"]?.ToJsonString(), Is.EqualTo("""["DroppedRateLimit"]"""));
        }
    }

    [Test]
    public void ToJson_AFrameActedOn_HasNeitherNoteNorDecisions()
    {
        var json = TranscriptJson.ToJson(ClientFrame("""{"op":9}"""));

        Assert.That((json.ContainsKey("note"), json.ContainsKey("decisions")), Is.EqualTo((false, false)));
    }

    private static FrameRecorded ClientFrame(string text) => new(1, Direction.ClientToServer, FrameKind.Text, text, null);
}
