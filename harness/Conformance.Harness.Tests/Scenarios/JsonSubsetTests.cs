using System.Text.Json.Nodes;
using Conformance.Harness.Scenarios;

namespace Conformance.Harness.Tests.Scenarios;

/// <summary>The JSON subset matcher's operators and its exact comparison of integers.</summary>
public sealed class JsonSubsetTests
{
    [TestCase("""{"id":123456789012345678901}""", true)]
    [TestCase("""{"id":123456789012345678900}""", false)]
    [TestCase("""{"id":123456789012345678901.0}""", true)]
    [TestCase("""{"id":"123456789012345678901"}""", false)]
    public void Integer_BeyondDoublePrecision_IsComparedExactly(string frame, bool matches) =>
        Assert.That(JsonSubset.Matches(Json("""{"id":123456789012345678901}"""), Json(frame)), Is.EqualTo(matches));

    [TestCase("""{"v":9007199254740993}""", """{"v":9007199254740992}""", false)]
    [TestCase("""{"v":9}""", """{"v":9.0}""", true)]
    [TestCase("""{"v":0.1}""", """{"v":0.10}""", true)]
    public void Numbers_CompareByValue(string expected, string frame, bool matches) =>
        Assert.That(JsonSubset.Matches(Json(expected), Json(frame)), Is.EqualTo(matches));

    [TestCase("integer", """{"v":3}""", true)]
    [TestCase("integer", """{"v":3.5}""", false)]
    [TestCase("integer", """{"v":"3"}""", false)]
    [TestCase("number", """{"v":3.5}""", true)]
    [TestCase("string", """{"v":"x"}""", true)]
    [TestCase("string", """{"v":null}""", false)]
    [TestCase("boolean", """{"v":false}""", true)]
    [TestCase("null", """{"v":null}""", true)]
    [TestCase("null", """{}""", false)]
    [TestCase("object", """{"v":{}}""", true)]
    [TestCase("array", """{"v":[1]}""", true)]
    [TestCase("present", """{"v":null}""", true)]
    [TestCase("present", """{}""", false)]
    [TestCase("absent", """{}""", true)]
    [TestCase("absent", """{"v":null}""", false)]
    public void IsOperator_ChecksTypeAndPresence(string type, string frame, bool matches) =>
        Assert.That(JsonSubset.Matches(Json($$$"""{"v":{"$is":"{{{type}}}"}}"""), Json(frame)), Is.EqualTo(matches));

    [TestCase("""{"v":"abc123"}""", true)]
    [TestCase("""{"v":"abc"}""", false)]
    [TestCase("""{"v":42}""", true)]
    [TestCase("""{}""", false)]
    public void RegexOperator_MatchesTheValuesText(string frame, bool matches) =>
        Assert.That(JsonSubset.Matches(Json("""{"v":{"$regex":"[0-9]+$"}}"""), Json(frame)), Is.EqualTo(matches));

    [Test]
    public void Operators_InsideArrays_ApplyPerElement() =>
        Assert.That(JsonSubset.Matches(Json("""{"a":[{"$is":"integer"},{"$is":"string"}]}"""), Json("""{"a":[1,"x"]}""")), Is.True);

    private static JsonNode? Json(string text) => JsonNode.Parse(text);
}
