using System.Text.Json.Nodes;
using Conformance.Harness.Scenarios;

namespace Conformance.Harness.Tests.Scenarios;

/// <summary>How valid scenario files load: the built-in suites, durations, rule inference, captures and JSON matching.</summary>
[TestFixture]
public sealed class ScenarioLoaderTests
{
    private const string Header = """
        id: listenmoe/test/loader
        protocol: listenmoe

        """;

    [TestCaseSource(nameof(BuiltInScenarios))]
    public void Load_BuiltInScenario_HasNoErrors(string path)
    {
        // Given a scenario shipped in specs/<protocol>/scenarios
        var yaml = File.ReadAllText(path);

        // When the loader reads it
        var (scenario, errors) = new ScenarioLoader(Specs.Default).Load(path, yaml);

        // Then it loads without a single problem
        using (Assert.EnterMultipleScope())
        {
            Assert.That(errors.Select(e => e.ToString()), Is.Empty);
            Assert.That(scenario, Is.Not.Null);
        }
    }

    [Test]
    public void BuiltInSuites_AreFound()
    {
        // Given the specs folder / When its suites are listed / Then there is at least one scenario to check
        Assert.That(RepoFiles.BuiltInScenarios(), Is.Not.Empty);
    }

    [TestCase("250ms", 250)]
    [TestCase("1.5s", 1500)]
    [TestCase("2m", 120_000)]
    [TestCase("750", 750)]
    [TestCase("40 ms", 40)]
    public void Load_Timeout_ParsesDurationUnits(string text, double milliseconds)
    {
        // Given a scenario whose timeout is written with a unit, or as a bare number of milliseconds
        var yaml = Header + $$"""
            rules: [listenmoe.connect.endpoint]
            timeout: {{text}}
            steps:
              - expect_connect: { path: /gateway_v2 }
            """;

        // When it is loaded
        var scenario = LoadValid(yaml);

        // Then the timeout is that duration
        Assert.That(scenario.Timeout, Is.EqualTo(TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Test]
    public void Load_NoTimeout_DefaultsToThirtySeconds()
    {
        // Given a scenario without a timeout
        var yaml = Header + """
            rules: [listenmoe.connect.endpoint]
            steps:
              - expect_connect: { path: /gateway_v2 }
            """;

        // When it is loaded
        var scenario = LoadValid(yaml);

        // Then the timeout is 30 seconds and the title falls back to the id
        using (Assert.EnterMultipleScope())
        {
            Assert.That(scenario.Timeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(scenario.Title, Is.EqualTo("listenmoe/test/loader"));
        }
    }

    [TestCase("10 seconds")]
    [TestCase("1.5h")]
    [TestCase("-5ms")]
    [TestCase("fast")]
    [TestCase("")]
    public void Durations_TryParse_RejectsWhatIsNotADuration(string text)
    {
        // Given text that is not a duration / When it is parsed / Then parsing fails
        Assert.That(Durations.TryParse(text, out _), Is.False);
    }

    [Test]
    public void Load_WaitStep_ReadsItsDuration()
    {
        // Given a wait written in seconds
        var yaml = Header + """
            rules: [listenmoe.heartbeat.period]
            steps:
              - wait: 1.5s
            """;

        // When it is loaded
        var scenario = LoadValid(yaml);

        // Then the step waits 1.5 s
        Assert.That(scenario.Steps.Single(), Is.EqualTo(new WaitStep(scenario.Steps[0].Mark, TimeSpan.FromMilliseconds(1500))));
    }

    [Test]
    public void Load_ExpectationWithoutRuleInOneRuleScenario_GetsThatRule()
    {
        // Given a one-rule scenario whose expectations do not name a rule
        var yaml = Header + """
            rules: [listenmoe.connect.endpoint]
            steps:
              - expect_connect: { path: /gateway_v2, within: 15s }
              - wait: 100ms
              - expect_alive: { for: 700ms }
            """;

        // When it is loaded
        var scenario = LoadValid(yaml);

        // Then every expectation checks the scenario's rule, and actions check none
        using (Assert.EnterMultipleScope())
        {
            Assert.That(scenario.Steps[0].Rule, Is.EqualTo("listenmoe.connect.endpoint"));
            Assert.That(scenario.Steps[1].Rule, Is.Null);
            Assert.That(scenario.Steps[2].Rule, Is.EqualTo("listenmoe.connect.endpoint"));
        }
    }

    [Test]
    public void Load_ExpectationWithRule_KeepsItsOwnRule()
    {
        // Given a two-rule scenario whose expectations each name their rule
        var yaml = Header + """
            rules: [listenmoe.connect.endpoint, listenmoe.reconnect]
            steps:
              - expect_connect: { path: /gateway_v2, rule: listenmoe.connect.endpoint }
              - drop: {}
              - expect_connect: { path: /gateway_v2, rule: listenmoe.reconnect }
            """;

        // When it is loaded
        var scenario = LoadValid(yaml);

        // Then each expectation keeps the rule it names
        Assert.That(scenario.Steps.Select(s => s.Rule), Is.EqualTo(new[] { "listenmoe.connect.endpoint", null, "listenmoe.reconnect" }));
    }

    [Test]
    public void Load_CaptureThenVariable_IsAcceptedAndSubstitutesTheCapturedValue()
    {
        // Given an expectation that captures the song id, and a later send that uses it
        var yaml = Header + """
            rules: [listenmoe.track.refresh]
            steps:
              - expect: { json: { op: 2 }, capture: { songId: $.d.song.id } }
              - send: { template: track_update, with: { d: { song: { id: "${songId}", note: "was ${songId}" } } } }
            """;

        // When it is loaded and the captured value is taken from a frame and substituted
        var scenario = LoadValid(yaml);
        var expect = (ExpectStep)scenario.Steps[0];
        var send = (SendStep)scenario.Steps[1];
        var frame = JsonNode.Parse("""{"op":2,"d":{"song":{"id":4711}}}""");
        var values = expect.Captures.ToDictionary(c => c.Key, c => JsonPath.Select(frame, c.Value));
        var sent = Variables.Substitute(send.Payload.With, values);

        // Then a whole-string reference takes the value's type and a reference inside text is rendered into it
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expect.Captures, Is.EqualTo(new Dictionary<string, string> { ["songId"] = "$.d.song.id" }));
            Assert.That(sent?["d"]?["song"]?["id"]?.GetValueKind(), Is.EqualTo(System.Text.Json.JsonValueKind.Number));
            Assert.That(sent?.ToJsonString(), Is.EqualTo("""{"d":{"song":{"id":4711,"note":"was 4711"}}}"""));
        }
    }

    [Test]
    public void Variables_Substitute_LeavesUnknownReferencesAlone()
    {
        // Given text referring to a variable that was never captured
        var values = new Dictionary<string, JsonNode?> { ["known"] = JsonValue.Create("x") };

        // When it is substituted
        var text = Variables.Substitute("${known} and ${unknown}", values);

        // Then the known one is replaced and the unknown one stays as written
        Assert.That(text, Is.EqualTo("x and ${unknown}"));
    }

    [TestCase("$.d.song.id", ExpectedResult = true)]
    [TestCase("$.d.lastPlayed[0].title", ExpectedResult = true)]
    [TestCase("$", ExpectedResult = true)]
    [TestCase("d.song.id", ExpectedResult = false)]
    [TestCase("$.d..id", ExpectedResult = false)]
    [TestCase("$.d[x]", ExpectedResult = false)]
    public bool JsonPath_IsValid_AcceptsOnlyTheCaptureSubset(string path) => JsonPath.IsValid(path);

    [Test]
    public void JsonSubset_ExtraKeysInFrame_StillMatch()
    {
        // Given an expectation naming one key and a frame with more / When compared / Then they match
        Assert.That(JsonSubset.Matches(Json("""{"op":9}"""), Json("""{"op":9,"d":{"x":1}}""")), Is.True);
    }

    [Test]
    public void JsonSubset_MissingKeyInFrame_DoesNotMatch()
    {
        // Given an expectation naming a key the frame lacks / When compared / Then they do not match
        Assert.That(JsonSubset.Matches(Json("""{"op":1,"t":"TRACK_UPDATE"}"""), Json("""{"op":1}""")), Is.False);
    }

    [Test]
    public void JsonSubset_NestedObjects_MatchAsSubsetsToo()
    {
        // Given a nested expectation and a frame with extra nested keys / When compared / Then they match
        Assert.That(JsonSubset.Matches(Json("""{"d":{"song":{}}}"""), Json("""{"op":1,"d":{"song":{"id":1},"x":2}}""")), Is.True);
    }

    [TestCase("9", "9.0", ExpectedResult = true)]
    [TestCase("9.0", "9", ExpectedResult = true)]
    [TestCase("9", "9.5", ExpectedResult = false)]
    [TestCase("9", "\"9\"", ExpectedResult = false)]
    [TestCase("true", "true", ExpectedResult = true)]
    [TestCase("null", "null", ExpectedResult = true)]
    [TestCase("null", "0", ExpectedResult = false)]
    public bool JsonSubset_Scalars_CompareByValueAndNumbersNumerically(string expected, string actual) =>
        JsonSubset.Matches(Json($$"""{"v":{{expected}}}"""), Json($$"""{"v":{{actual}}}"""));

    [TestCase("[1,2]", "[1,2]", ExpectedResult = true)]
    [TestCase("[1,2]", "[1,2,3]", ExpectedResult = false)]
    [TestCase("[1,2,3]", "[1,2]", ExpectedResult = false)]
    [TestCase("[2,1]", "[1,2]", ExpectedResult = false)]
    [TestCase("[{\"id\":1}]", "[{\"id\":1,\"name\":\"a\"}]", ExpectedResult = true)]
    [TestCase("[]", "[]", ExpectedResult = true)]
    public bool JsonSubset_Arrays_MatchElementByElementWithTheSameLength(string expected, string actual) =>
        JsonSubset.Matches(Json(expected), Json(actual));

    [Test]
    public void Load_FaultsAndChaosAsMockOptions_AreTheirStepsBeforeAnyOther()
    {
        // Given wire faults and chaos set in the mock: block, beside a protocol option
        var scenario = LoadValid("""
            id: listenmoe/option/faults
            protocol: listenmoe
            rules: [listenmoe.connect.endpoint]
            mock:
              heartbeatInterval: 300ms
              wireFaults: { fragment: [1], ping_between: true }
              chaos: { duplicate: 0.25, seed: 7 }
            steps:
              - expect_connect: { path: /gateway_v2, within: 15s }
            """);

        // Then they are the steps of those names, first, so they are set before the client starts
        using (Assert.EnterMultipleScope())
        {
            Assert.That(scenario.Steps.Select(s => s.GetType().Name), Is.EqualTo(new[] { "WsFaultsStep", "ChaosStep", "ExpectConnectStep" }));
            Assert.That(((WsFaultsStep)scenario.Steps[0]).Settings.Fragments, Is.EqualTo(new[] { 1 }));
            Assert.That(((ChaosStep)scenario.Steps[1]).Settings.Seed, Is.EqualTo(7));
            Assert.That(scenario.Steps[1].Mark.Line, Is.EqualTo(7), "errors and transcripts point at the option's line");
            Assert.That(scenario.Mock.Keys, Is.EqualTo(new[] { "heartbeatInterval" }), "the protocol's options are only its own");
        }
    }

    private static JsonNode? Json(string text) => JsonNode.Parse(text);

    private static Scenario LoadValid(string yaml)
    {
        var (scenario, errors) = new ScenarioLoader(Specs.Default).Load("inline.yaml", yaml);
        Assert.That(errors.Select(e => e.ToString()), Is.Empty);
        return scenario!;
    }

    private static IEnumerable<TestCaseData> BuiltInScenarios() =>
        RepoFiles.BuiltInScenarios().Select(path => new TestCaseData(path).SetArgDisplayNames(RepoFiles.Relative(path)));
}
