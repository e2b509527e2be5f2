using System.Text.Json.Nodes;
using Conformance.Mocks.Protocols.ListenMoe;

namespace Conformance.Mocks.Tests;

/// <summary>The gateway v2 codec on the seed's sample frames and on what clients get wrong.</summary>
[Category("listenmoe")]
public sealed class ListenMoeCodecTests
{
    private static IEnumerable<TestCaseData> SeedSamples() => Payloads.Of("listenmoe");

    [TestCaseSource(nameof(SeedSamples))]
    public void Parse_SeedSample_FormatsBackToTheSameJson(string sample)
    {
        // Given a sample frame from seed 000
        // When it is parsed, formatted, and parsed again
        var message = ListenMoeCodec.Parse(sample);
        var again = ListenMoeCodec.Parse(ListenMoeCodec.Format(message!));

        // Then nothing is lost either way
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ListenMoeCodec.Classify(sample), Is.EqualTo(ListenMoeFrameShape.Message));
            Assert.That(JsonNode.DeepEquals(ListenMoeCodec.ToJson(message!), JsonNode.Parse(sample)), Is.True, ListenMoeCodec.Format(message!));
            Assert.That((again!.Op, again.Type), Is.EqualTo((message!.Op, message.Type)));
            Assert.That(JsonNode.DeepEquals(again.Data, message.Data), Is.True);
        }
    }

    [Test]
    public void Parse_SeedWelcome_ReadsTheHeartbeatInterval()
    {
        var welcome = ListenMoeCodec.Parse(Sample("op0-welcome"));

        Assert.That((welcome!.Op, welcome.HeartbeatInterval), Is.EqualTo((ListenMoeCodec.Ops.Welcome, (TimeSpan?)TimeSpan.FromSeconds(45))));
    }

    [Test]
    public void Parse_SeedTrackUpdate_ReadsOpAndType()
    {
        var track = ListenMoeCodec.Parse(Sample("op1-track-update"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That((track!.Op, track.Type), Is.EqualTo((ListenMoeCodec.Ops.Playback, ListenMoeCodec.TrackUpdate)));
            Assert.That(track.Data?["listeners"]?.GetValue<int>(), Is.EqualTo(92));
            Assert.That(track.HeartbeatInterval, Is.Null, "only op 0 advertises an interval");
        }
    }

    [Test]
    public void Format_TheMocksFrames_AreTheCompactFramesTheGatewaySends()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(
                ListenMoeCodec.Format(ListenMoeCodec.Welcome("Welcome to LISTEN.moe! Enjoy your stay!", TimeSpan.FromSeconds(45))),
                Is.EqualTo("""{"op":0,"d":{"message":"Welcome to LISTEN.moe! Enjoy your stay!","heartbeat":45000}}"""));
            Assert.That(ListenMoeCodec.Format(ListenMoeCodec.HeartbeatAck()), Is.EqualTo("""{"op":10}"""));
            Assert.That(ListenMoeCodec.Format(new ListenMoeMessage(1, new JsonObject { ["listeners"] = 3 }, "TRACK_UPDATE_REQUEST")),
                Is.EqualTo("""{"op":1,"d":{"listeners":3},"t":"TRACK_UPDATE_REQUEST"}"""));
        }
    }

    [TestCase("""{"op":9}""", ListenMoeFrameShape.Message)]
    [TestCase("""{"op":2,"d":{}}""", ListenMoeFrameShape.Message)]
    [TestCase("""{"op":7}""", ListenMoeFrameShape.Message)]
    [TestCase("""{"op":9,"d":null}""", ListenMoeFrameShape.Message)]
    [TestCase("""{"op":9,"d":[1]}""", ListenMoeFrameShape.NotAMessage)]
    [TestCase("""{"op":"9"}""", ListenMoeFrameShape.NotAMessage)]
    [TestCase("""{"op":9.5}""", ListenMoeFrameShape.NotAMessage)]
    [TestCase("""{"d":{}}""", ListenMoeFrameShape.NotAMessage)]
    [TestCase("""[{"op":9}]""", ListenMoeFrameShape.NotAMessage)]
    [TestCase("9", ListenMoeFrameShape.NotAMessage)]
    [TestCase("{ op: 9 }", ListenMoeFrameShape.NotJson)]
    [TestCase("", ListenMoeFrameShape.NotJson)]
    [TestCase(null, ListenMoeFrameShape.NotJson)]
    public void Classify_ClientFrames_SaysWhatTheyAre(string? text, ListenMoeFrameShape shape) =>
        Assert.That(ListenMoeCodec.Classify(text), Is.EqualTo(shape));

    [Test]
    public void Parse_DThatIsNotAnObject_KeepsTheOpForTheHeartbeatRules()
    {
        // Given an op 9 whose d is an array: a malformed frame, but still a beat to the timing rules
        var message = ListenMoeCodec.Parse("""{"op":9,"d":[1]}""");

        Assert.That(message?.Op, Is.EqualTo(ListenMoeCodec.Ops.Heartbeat));
    }

    [TestCase("""{"op":0,"d":{"heartbeat":0}}""")]
    [TestCase("""{"op":0,"d":{"heartbeat":"45000"}}""")]
    [TestCase("""{"op":0,"d":{}}""")]
    [TestCase("""{"op":0,"d":[45000]}""")]
    [TestCase("""{"op":1,"d":{"heartbeat":45000}}""")]
    public void HeartbeatInterval_WithoutAPositiveNumberInAnOp0_IsNull(string text) =>
        Assert.That(ListenMoeCodec.Parse(text)!.HeartbeatInterval, Is.Null);

    private static string Sample(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "payloads", "listenmoe", name + ".json"));
}
