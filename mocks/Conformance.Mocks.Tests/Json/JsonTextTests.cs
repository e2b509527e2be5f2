using System.Text.Json.Nodes;
using Conformance.Mocks.Json;

namespace Conformance.Mocks.Tests;

/// <summary><see cref="JsonText"/>: how mocks parse, patch and write JSON.</summary>
[Category("json")]
public sealed class JsonTextTests
{
    [Test]
    public void Merge_NullInPatch_KeepsAnExplicitNull()
    {
        // Given
        var target = JsonNode.Parse("""{"requester":{"name":"x"},"listeners":92}""");

        // When
        var merged = JsonText.Merge(target, JsonNode.Parse("""{"requester":null}"""))!.AsObject();

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(merged.ContainsKey("requester"), Is.True);
            Assert.That(merged["requester"], Is.Null);
            Assert.That(JsonText.Write(merged), Is.EqualTo("""{"requester":null,"listeners":92}"""));
        }
    }

    [Test]
    public void Merge_RemoveMarker_RemovesTheFieldAndKeepsTheRest()
    {
        // Given a frame with a requester and a patch that removes it (as a scenario's with: { d: { requester: { $remove: true } } })
        var target = JsonNode.Parse("""{"op":1,"d":{"requester":{"name":"x"},"listeners":3}}""");

        // When it is merged
        var merged = JsonText.Merge(target, JsonNode.Parse("""{"d":{"requester":{"$remove":true}}}"""));

        // Then the field is gone, not null, and its siblings stay
        Assert.That(merged!.ToJsonString(), Is.EqualTo("""{"op":1,"d":{"listeners":3}}"""));
    }

    [Test]
    public void Merge_RemoveMarkerWithOtherKeys_IsAnOrdinaryObject()
    {
        var merged = JsonText.Merge(JsonNode.Parse("""{"a":1}"""), JsonNode.Parse("""{"a":{"$remove":true,"b":2}}"""));

        Assert.That(merged!.ToJsonString(), Is.EqualTo("""{"a":{"$remove":true,"b":2}}"""));
    }

    [Test]
    public void Merge_NestedObjects_MergeKeyByKey()
    {
        // Given
        var target = JsonNode.Parse("""{"op":1,"d":{"song":{"id":450,"title":"Trust in you"},"listeners":92}}""");

        // When
        var merged = JsonText.Merge(target, JsonNode.Parse("""{"d":{"song":{"title":"つけまつける"},"event":{"name":"e"}}}"""));

        // Then
        Assert.That(JsonText.Write(merged),
            Is.EqualTo("""{"op":1,"d":{"song":{"id":450,"title":"つけまつける"},"listeners":92,"event":{"name":"e"}}}"""));
    }

    [Test]
    public void Merge_Arrays_AreReplacedNotMerged()
    {
        // Given
        var target = JsonNode.Parse("""{"lastPlayed":[{"id":1},{"id":2}]}""");

        // When
        var merged = JsonText.Merge(target, JsonNode.Parse("""{"lastPlayed":[{"id":3}]}"""));

        // Then
        Assert.That(JsonText.Write(merged), Is.EqualTo("""{"lastPlayed":[{"id":3}]}"""));
    }

    [Test]
    public void Merge_NonObjectPatch_ReplacesTheTarget()
    {
        // Given
        var target = JsonNode.Parse("""{"op":1}""");

        // When
        var merged = JsonText.Merge(target, JsonValue.Create(5));

        // Then
        Assert.That(JsonText.Write(merged), Is.EqualTo("5"));
    }

    [Test]
    public void Merge_Patch_IsNotAliasedIntoTheResult()
    {
        // Given
        var patch = JsonNode.Parse("""{"requester":{"name":"x"}}""")!;
        var merged = JsonText.Merge(JsonNode.Parse("{}"), patch)!;

        // When
        patch["requester"]!["name"] = "changed later";

        // Then
        Assert.That(merged["requester"]!["name"]!.GetValue<string>(), Is.EqualTo("x"));
    }

    [TestCase("not json")]
    [TestCase("{\"op\":")]
    [TestCase("")]
    [TestCase("   ")]
    [TestCase(null)]
    public void TryParse_NotJson_ReturnsNull(string? text)
    {
        // Given / When
        var parsed = JsonText.TryParse(text);

        // Then
        Assert.That(parsed, Is.Null);
    }

    [Test]
    public void TryParse_AnObject_ReturnsIt()
    {
        // Given / When
        var parsed = JsonText.TryParse("""{"op":9}""");

        // Then
        Assert.That(parsed?["op"]?.GetValue<int>(), Is.EqualTo(9));
    }

    [TestCase("""{"op":9,"op":9}""")]
    [TestCase("""{"op":9,"d":{"x":1,"x":2}}""")]
    [TestCase("""[{"a":"auth","a":"chat"}]""")]
    public void TryParse_AnObjectGivingANameTwice_ReturnsNullRatherThanAnObjectThatThrowsWhenRead(string text)
    {
        // Given JSON whose object repeats a name (found by the mock fuzz tests: System.Text.Json parses it, and the
        // JsonObject throws ArgumentException only when a handler first reads a field)
        // When
        var parsed = JsonText.TryParse(text);

        // Then
        Assert.That(parsed, Is.Null);
    }

    [TestCase("""{"op":9,"t":"\uDF7A"}""")]
    [TestCase("""{"a":"chat","p":"x\uD83D"}""")]
    [TestCase("""{"\uD800":1}""")]
    [TestCase("""["\uDC00\uD800"]""")]
    public void TryParse_AStringWithAnEscapedLoneSurrogate_ReturnsNullRatherThanAValueThatThrowsWhenRead(string text)
    {
        // Given JSON with a lone surrogate escaped in a string or a name (found by the mock fuzz tests: reading the
        // string throws InvalidOperationException)
        // When
        var parsed = JsonText.TryParse(text);

        // Then
        Assert.That(parsed, Is.Null);
    }

    [Test]
    public void TryParse_EscapedSurrogatePairsAndBackslashes_StayJson()
    {
        // Given / When: a pair escaped as two \u, and a backslash before a 'u' that is no escape
        var parsed = JsonText.TryParse("""{"song":"\uD83C\uDFB5","path":"C:\\users"}""");

        // Then
        using (Assert.EnterMultipleScope())
        {
            Assert.That(parsed?["song"]?.GetValue<string>(), Is.EqualTo("\U0001F3B5"));
            Assert.That(parsed?["path"]?.GetValue<string>(), Is.EqualTo("C:\\users"));
        }
    }

    [TestCase("1152921504606846979", "1152921504606846979")]
    [TestCase("abc", "\"abc\"")]
    [TestCase("[1]", "\"[1]\"")]
    [TestCase("\u001B", "\"\\u001B\"")]
    public void IdNumber_Text_IsANumberTokenWhenItIsANumberElseAString(string id, string json)
    {
        // Given an id a client sent (found by the mock fuzz tests: a channel id "abc" made getState throw)
        // When
        var node = JsonText.IdNumber(id);

        // Then
        Assert.That(JsonText.Write(node), Is.EqualTo(json));
    }

    [Test]
    public void Write_NonAsciiText_IsWrittenAsUtf8NotEscaped()
    {
        // Given
        var node = new JsonObject { ["title"] = "おつかれサマー!" };

        // When
        var text = JsonText.Write(node);

        // Then
        Assert.That(text, Is.EqualTo("""{"title":"おつかれサマー!"}"""));
    }
}
