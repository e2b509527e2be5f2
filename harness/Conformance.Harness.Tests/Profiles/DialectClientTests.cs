using Conformance.Fixtures;
using Conformance.Harness.Clients;
using Conformance.Harness.Running;
using Conformance.Harness.Scenarios;

namespace Conformance.Harness.Tests.Profiles;

/// <summary>
/// A client written for an older dialect of a protocol passes the scenario pinned to that dialect's profile, and the
/// same scenario under the protocol's default profile catches it on the rule the dialect breaks there: the profile is
/// what makes the difference, not the scenario.
/// </summary>
[Parallelizable(ParallelScope.Children)]
[Category("e2e")]
public sealed class DialectClientTests
{
    private static IEnumerable<TestCaseData> Dialects()
    {
        // A v1 client opens with op 0 auth, an op v2 clients never send.
        yield return Case("listenmoe", "gateway-v1", "authenticates", FixturePaths.ListenMoeNode + " --dialect gateway-v1", "listenmoe.frame.known-ops");
        // A client of the documentation takes only the number 1 as a successful ack, and drops the server's "1".
        yield return Case("plugdj", "documentation", "numeric-ack", FixturePaths.PlugDjNode() + " --dialect documentation", "plugdj.events.tolerate");
        // A client of the node's code reads RESUMED as an object, and finds no voice client in the documented list.
        yield return Case("discodo", "node", "resumed-object", FixturePaths.DiscodoNode() + " --dialect node", "discodo.resume.rejoin");
        // A client of the seed-era server resumes at /ws/resume?session=, which today's server answers with 404.
        yield return Case("nightingale", "seed-2024-01", "resume-and-events", FixturePaths.NightingaleNode() + " --dialect seed-2024-01", "nightingale.resume.path");
        // A client of the Rust prototype looks for event_type, so never sees Hello in {t, data}, and never sends Connected.
        yield return Case("podcast", "rust-2022", "handshake", FixturePaths.PodcastNode() + " --dialect rust-2022", "podcast.connected.send");
        // Likewise a client of the Kotlin backend, which looks for {type, content}.
        yield return Case("podcast", "kotlin-2022", "handshake", FixturePaths.PodcastNode() + " --dialect kotlin-2022", "podcast.connected.send");
    }

    [TestCaseSource(nameof(Dialects))]
    public async Task DialectClient_PassesUnderItsProfile_AndFailsUnderTheDefault(string protocol, string profile, string name, string client, string rule)
    {
        // Given the scenario pinned to a dialect's profile, and a client written for that dialect
        var path = Path.Combine(Specs.Default.Root, protocol, "profiles", profile, name + ".yaml");
        var scenario = ScenarioLoader.LoadFile(path);
        var features = FixtureFeatures.Reference(protocol);

        // When the client runs it under the profile, and runs the same steps under the protocol's default profile
        var pinned = new ScenarioRunner(new RunOptions { Profile = profile, Features = features }).RunAsync(scenario, new ClientSpec(client));
        var unpinned = new ScenarioRunner(new RunOptions { Features = features }).RunAsync(scenario with { Profile = null }, new ClientSpec(client));
        var (under, outside) = (await pinned, await unpinned);

        // Then it passes under its profile, and fails under the default on the rule its dialect breaks there
        using (Assert.EnterMultipleScope())
        {
            Assert.That(under.Verdict, Is.EqualTo(Verdict.Pass), under.Explain());
            Assert.That(outside.Verdict, Is.EqualTo(Verdict.Fail), outside.Explain());
            Assert.That(outside.Broken.Where(b => b.Verdict == Verdict.Fail).Select(b => b.Rule.Id), Does.Contain(rule), outside.Explain());
        }
    }

    private static TestCaseData Case(string protocol, string profile, string scenario, string client, string rule) =>
        new TestCaseData(protocol, profile, scenario, client, rule).SetArgDisplayNames($"{protocol} {profile}");
}
