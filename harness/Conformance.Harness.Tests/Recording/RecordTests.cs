using Conformance.Fixtures;
using Conformance.Harness.Clients;
using Conformance.Harness.Protocols;
using Conformance.Harness.Recording;
using Conformance.Harness.Running;
using Conformance.Harness.Scenarios;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Tests.Recording;

/// <summary>
/// <c>conformance record</c> end to end: a reference client's session with the protocol's own mock as the upstream is
/// recorded through the proxy; the scenario written from it loads, the same client passes it, and a client with one
/// fault is caught by the rule that fault breaks.
/// </summary>
[Parallelizable(ParallelScope.Children)]
[Category("e2e")]
public sealed class RecordTests
{
    private static IEnumerable<TestCaseData> Sessions()
    {
        yield return Case("listenmoe", FixturePaths.ListenMoeCSharp(), FixturePaths.ListenMoeCSharp("double-interval"), "listenmoe.heartbeat.period", ("heartbeatInterval", "250ms"));
        yield return Case("plugdj", FixturePaths.PlugDjNode(), FixturePaths.PlugDjNode("unknown-action"), "plugdj.frame.known-actions", ("keepAliveAfter", "300ms"));
        yield return Case("discodo", FixturePaths.DiscodoNode(), FixturePaths.DiscodoNode("ms-interval"), "discodo.heartbeat.period", ("heartbeatInterval", "300ms"));
        yield return Case("nightingale", FixturePaths.NightingaleNode(), FixturePaths.NightingaleNode("no-password"), "nightingale.auth.password", ("trackLength", "3m"));
        yield return Case("podcast", FixturePaths.PodcastNode(), FixturePaths.PodcastNode("unsealed"), "podcast.audio.sealed", ("simulatedListeners", "1"));
    }

    [TestCaseSource(nameof(Sessions))]
    public async Task Record_OfAReferenceClientsSession_WritesAScenarioItPassesAndAFaultyClientFails(
        string protocol, string reference, string faulty, string rule, string option, string value)
    {
        // Given the protocol's mock as the upstream server, and a recording of the reference client's session through the proxy
        var module = ProtocolRegistry.Find(protocol)!;
        var settings = module.CreateOptions();
        MockOptionBinder.Apply(settings, [new MockSetting(option, value, null, new SourceMark("test", 1, 1))]);
        var served = new Transcript();
        await using var upstream = await module.StartMockAsync(settings, new MockHostOptions(), served);
        var options = new RecordOptions(module, new Uri(upstream.Urls[module.Endpoints[0]]), $"{protocol}/recorded/session")
        {
            Client = new ClientSpec(reference),
            Environment = module.ClientEnvironment(upstream),
            Duration = TimeSpan.FromSeconds(2),
        };
        var session = await Recorder.RecordAsync(options);

        // When the scenario written from it is loaded, then run against the same client and against a faulty one
        var (scenario, errors) = new ScenarioLoader(Specs.Default).Load("recorded.yaml", session.Scenario);
        Assert.That(errors.Select(e => e.ToString()), Is.Empty, session.Scenario);
        var runner = new ScenarioRunner(new RunOptions { Features = FixtureFeatures.Reference(protocol) });
        var passing = runner.RunAsync(scenario!, new ClientSpec(reference));
        var failing = runner.RunAsync(scenario!, new ClientSpec(faulty));
        var (pass, fail) = (await passing, await failing);

        // Then the session was recorded, the reference client passes its replay, and the faulty client breaks its rule
        using (Assert.EnterMultipleScope())
        {
            Assert.That(session.Transcript.OfType<ConnectionOpened>(), Is.Not.Empty);
            Assert.That(session.Transcript.OfType<FrameRecorded>().Where(f => f.Direction == Direction.ServerToClient), Is.Not.Empty, "the server's frames");
            Assert.That(scenario!.Scripted, Is.EqualTo(module.Recording!.Scripted));
            if (module.Recording.Udp is not null)
            {
                // The UDP socket Hello announced was the proxy's, and the client's audio reached the server through it.
                var relayed = session.Transcript.OfType<DatagramRecorded>().Count(d => d.Direction == Direction.ClientToServer);
                Assert.That(relayed, Is.GreaterThan(0), "datagrams recorded");
                Assert.That(served.Snapshot().OfType<DatagramRecorded>().Count(d => d.Direction == Direction.ClientToServer), Is.EqualTo(relayed), "datagrams relayed");
            }
            Assert.That(pass.Verdict, Is.EqualTo(Verdict.Pass), pass.Explain() + "\n" + session.Scenario);
            Assert.That(fail.Broken.Where(b => !b.Inconclusive && b.Verdict is Verdict.Fail or Verdict.Warn).Select(b => b.Rule.Id), Does.Contain(rule),
                fail.Explain() + "\n" + session.Scenario);
        }
    }

    private static TestCaseData Case(string protocol, string reference, string faulty, string rule, (string Name, string Value) option) =>
        new TestCaseData(protocol, reference, faulty, rule, option.Name, option.Value).SetArgDisplayNames(protocol);
}
