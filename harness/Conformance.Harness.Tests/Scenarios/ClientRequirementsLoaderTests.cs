using System.Text.Json.Nodes;
using Conformance.Harness.Scenarios;

namespace Conformance.Harness.Tests.Scenarios;

/// <summary>
/// <c>requires:</c> (client features) and <c>withhold:</c> (client variables) as the loader reads them, and the built-in
/// suites' use of them: a scenario that can only judge a client doing something optional says so.
/// </summary>
[TestFixture]
public sealed class ClientRequirementsLoaderTests
{
    [Test]
    public void Load_RequiresAndWithhold_AreReadInOrder()
    {
        // Given a plug.dj scenario that requires both features and withholds two variables
        var yaml = """
            id: plugdj/test/requirements
            protocol: plugdj
            rules: [plugdj.auth.token]
            requires: [chat, rest-login]
            withhold: [CONFORMANCE_TOKEN, CONFORMANCE_URL]
            steps:
              - expect_http: { method: GET, path: /_/auth/token, within: 15s }
            """;

        // When it is loaded
        var (scenario, errors) = new ScenarioLoader(Specs.Default).Load("requirements.yaml", yaml);

        // Then both lists are on the scenario as written
        using (Assert.EnterMultipleScope())
        {
            Assert.That(errors.Select(e => e.ToString()), Is.Empty);
            Assert.That(scenario!.Requires, Is.EqualTo(new[] { "chat", "rest-login" }));
            Assert.That(scenario.Withhold, Is.EqualTo(new[] { "CONFORMANCE_TOKEN", "CONFORMANCE_URL" }));
        }
    }

    [Test]
    public void Load_NoRequiresOrWithhold_RequiresNothingAndWithholdsNothing()
    {
        // Given a scenario without either key
        var yaml = """
            id: listenmoe/test/plain
            protocol: listenmoe
            rules: [listenmoe.connect.endpoint]
            steps:
              - expect_connect: { path: /gateway_v2 }
            """;

        // When it is loaded
        var (scenario, _) = new ScenarioLoader(Specs.Default).Load("plain.yaml", yaml);

        // Then both lists are empty
        Assert.That(scenario!.Requires.Concat(scenario.Withhold), Is.Empty);
    }

    [Test]
    public void Load_UnknownClientFeature_PointsAtItAndSuggestsTheClosest()
    {
        // Given a feature name with one letter missing
        var path = RepoFiles.Malformed("unknown-client-feature");

        // When the loader reads it
        var (scenario, errors) = new ScenarioLoader(Specs.Default).Load(path, File.ReadAllText(path));

        // Then the one error points at the name, line 4 column 12, and names the feature that was meant
        using (Assert.EnterMultipleScope())
        {
            Assert.That(errors.Select(e => e.ToString()), Is.EqualTo(new[] { $"{path}:4:12: unknown client feature 'rest-logn' for plugdj; did you mean 'rest-login'?" }));
            Assert.That(scenario, Is.Null);
        }
    }

    [Test]
    public void Load_WithheldVariableNotInTheContract_PointsAtItAndSuggestsTheClosest()
    {
        // Given a withheld variable with one letter missing
        var path = RepoFiles.Malformed("unknown-withheld-variable");

        // When the loader reads it
        var (_, errors) = new ScenarioLoader(Specs.Default).Load(path, File.ReadAllText(path));

        // Then the error points at it and suggests the variable the protocol provides
        Assert.That(errors.Select(e => e.ToString()), Is.EqualTo(new[] { $"{path}:5:12: unknown client variable 'CONFORMANCE_TOKN' for plugdj; did you mean 'CONFORMANCE_TOKEN'?" }));
    }

    [TestCaseSource(nameof(BuiltInScenarios))]
    public void BuiltInScenario_ThatJudgesAnOptionalClientAction_RequiresItsFeature(string path)
    {
        // Given a built-in scenario
        var scenario = ScenarioLoader.LoadFile(path);

        // When its expectations are looked at for things a client may leave undone: a REST login, a chat message, op 2
        var logsIn = scenario.Steps.OfType<ExpectHttpStep>().Any(s => s.Path is "/_/mobile/init" or "/_/auth/login" or "/_/auth/token");
        var chats = scenario.Steps.OfType<ExpectStep>().Any(s => s.Match.Json is JsonObject o && o["a"]?.ToString() == "chat");
        var asksForTrack = scenario.Protocol == "listenmoe" && scenario.Steps.OfType<ExpectStep>().Any(s => s.Match.Json is JsonObject o && o["op"]?.ToString() == "2");

        // Then each of those is a declared requirement, a REST login scenario withholds the token it would replace, and a
        // scenario that withholds the token leaves the client nothing but a REST login, so it requires one too
        var withholdsToken = scenario.Protocol == "plugdj" && scenario.Withhold.Contains("CONFORMANCE_TOKEN");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(scenario.Requires.Contains("rest-login"), Is.EqualTo(logsIn || withholdsToken), "requires rest-login");
            Assert.That(!logsIn || withholdsToken, Is.True, "a REST login scenario withholds CONFORMANCE_TOKEN");
            Assert.That(scenario.Requires.Contains("chat"), Is.EqualTo(chats), "requires chat");
            Assert.That(scenario.Requires.Contains("track-request"), Is.EqualTo(asksForTrack), "requires track-request");
        }
    }

    private static IEnumerable<TestCaseData> BuiltInScenarios() =>
        RepoFiles.BuiltInScenarios().Select(path => new TestCaseData(path).SetArgDisplayNames(RepoFiles.Relative(path)));
}
