using System.Text.Json.Nodes;
using Conformance.Mocks.Protocols.PlugDj;

namespace Conformance.Mocks.Tests.PlugDj;

/// <summary>The socket codec on seed 001's sample frames and on what clients get wrong.</summary>
[Category("plugdj")]
public sealed class PlugDjCodecTests
{
    private static IEnumerable<TestCaseData> SeedRequests() => Payloads.Of("plugdj", "request-");

    private static IEnumerable<TestCaseData> SeedEvents() => Payloads.Of("plugdj", "event-");

    [TestCaseSource(nameof(SeedRequests))]
    public void ParseRequest_SeedSample_FormatsBackToTheSameJson(string sample)
    {
        // Given a client frame from seed 001
        // When it is parsed and formatted
        var request = PlugDjCodec.ParseRequest(sample)!;
        var formatted = PlugDjCodec.FormatRequest(request);

        // Then it is an auth or chat with a string p and t in seconds, and formats back to the same JSON
        using (Assert.EnterMultipleScope())
        {
            Assert.That(request.Action, Is.AnyOf(PlugDjCodec.Actions.Auth, PlugDjCodec.Actions.Chat));
            Assert.That(request.ParameterText, Is.EqualTo(JsonNode.Parse(sample)!["p"]!.GetValue<string>()));
            Assert.That(request.TimeNumber, Is.EqualTo(1437829673));
            Assert.That(JsonNode.DeepEquals(JsonNode.Parse(formatted), JsonNode.Parse(sample)), Is.True, formatted);
            Assert.That(PlugDjCodec.ParseRequest(formatted), Is.EqualTo(request).Using<PlugDjRequest>(SameRequest));
        }
    }

    [TestCaseSource(nameof(SeedEvents))]
    public void ParseEvents_SeedSample_FormatsBackToTheSameJson(string sample)
    {
        // Given a server frame from seed 001
        // When it is parsed and formatted
        var events = PlugDjCodec.ParseEvents(sample)!;
        var formatted = PlugDjCodec.Format(events);

        // Then every event has its action and slug, and the frame formats back to the same JSON
        using (Assert.EnterMultipleScope())
        {
            Assert.That(events, Is.Not.Empty);
            Assert.That(JsonNode.DeepEquals(JsonNode.Parse(formatted), JsonNode.Parse(sample)), Is.True, formatted);
        }
    }

    [Test]
    public void ParseEvents_SeedVote_ReadsActionParameterAndSlug()
    {
        var vote = PlugDjCodec.ParseEvents(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "payloads", "plugdj", "event-vote.json")))!.Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That((vote.Action, vote.Slug), Is.EqualTo(("vote", "tastycat")));
            Assert.That(vote.Parameter?.ToJsonString(), Is.EqualTo("""{"i":8222444,"v":-1}"""));
        }
    }

    [Test]
    public void Format_TheMocksAck_IsAOneEventArray() =>
        Assert.That(
            PlugDjCodec.Format(new PlugDjEvent(PlugDjCodec.Actions.Ack, JsonValue.Create("1"), PlugDjCodec.Dashboard)),
            Is.EqualTo("""[{"a":"ack","p":"1","s":"dashboard"}]"""));

    [TestCase("not json")]
    [TestCase("h")]
    [TestCase("""["auth","token"]""")]
    [TestCase("42")]
    [TestCase("")]
    [TestCase(null)]
    public void ParseRequest_NotAJsonObject_IsNull(string? text) =>
        Assert.That(PlugDjCodec.ParseRequest(text), Is.Null);

    [TestCase("""{"p":"token","t":1}""", null, "token", 1d)]
    [TestCase("""{"a":7,"p":"token","t":1}""", null, "token", 1d)]
    [TestCase("""{"a":"chat","p":42,"t":1.5}""", "chat", null, 1.5d)]
    [TestCase("""{"a":"chat","p":null,"t":"1437829673"}""", "chat", null, null)]
    [TestCase("""{"a":"vote"}""", "vote", null, null)]
    public void ParseRequest_WrongFields_AreReadAsMissing(string text, string? action, string? parameter, double? time)
    {
        var request = PlugDjCodec.ParseRequest(text)!;

        Assert.That((request.Action, request.ParameterText, request.TimeNumber), Is.EqualTo((action, parameter, time)));
    }

    [TestCase("h", true)]
    [TestCase("H", false)]
    [TestCase("\"h\"", false)]
    [TestCase(null, false)]
    public void IsKeepAlive_OnlyTheBareH(string? text, bool keepAlive) =>
        Assert.That(PlugDjCodec.IsKeepAlive(text), Is.EqualTo(keepAlive));

    [TestCase("h")]
    [TestCase("""{"a":"vote","p":1,"s":"tastycat"}""")]
    [TestCase("""[{"a":"vote","p":1}]""")]
    [TestCase("""[{"p":1,"s":"tastycat"}]""")]
    [TestCase("""[1]""")]
    public void ParseEvents_NotAnArrayOfEvents_IsNull(string text) =>
        Assert.That(PlugDjCodec.ParseEvents(text), Is.Null);

    private static bool SameRequest(PlugDjRequest a, PlugDjRequest b) =>
        a.Action == b.Action && JsonNode.DeepEquals(a.Parameter, b.Parameter) && JsonNode.DeepEquals(a.Time, b.Time);
}
