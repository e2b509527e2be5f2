using Conformance.Fixtures;
using Conformance.Harness.Clients;
using Conformance.Harness.Monitors;
using Conformance.Harness.Protocols;
using Conformance.Harness.Running;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Tests.Running;

/// <summary>
/// Whatever breaks after a scenario's steps (a monitor, a rule the catalogue lacks, the snapshot) ends that scenario as
/// an Error with the reason, never the client's fault, and never stops the rest of the suite.
/// </summary>
public sealed class JudgementErrorTests
{
    private const string Scenario = """
        id: listenmoe/test/judged
        protocol: listenmoe
        rules: [listenmoe.connect.endpoint]
        steps:
          - wait: 10ms
        """;

    [Test]
    public void Build_MonitorThrows_ErrorNamesTheMonitorAndTheOtherMonitorsStillJudge()
    {
        // Given a protocol whose first monitor throws and whose second passes a rule
        var module = new FakeModule(new ThrowingMonitor(), new ReportingMonitor("listenmoe.frame.json"));
        var builder = new VerdictBuilder(Specs.Default.Rules("listenmoe"), strict: false);

        // When a run is judged
        var rules = builder.Build(TestScenarios.Parse(Scenario), module, [], Context());

        // Then the error names the monitor and its exception, and the other rules are judged all the same
        using (Assert.EnterMultipleScope())
        {
            Assert.That(builder.Errors.Single(), Does.StartWith("harness: monitor ThrowingMonitor failed: System.InvalidOperationException: the monitor broke"));
            Assert.That(rules.Select(r => (r.Rule.Id, r.Verdict)), Is.EquivalentTo(new[]
            {
                ("listenmoe.connect.endpoint", Verdict.Pass), ("listenmoe.frame.json", Verdict.Pass),
            }));
        }
    }

    [Test]
    public void Build_MonitorReportsARuleTheCatalogueLacks_ErrorNamesMonitorRuleAndFile()
    {
        // Given a monitor that reports a rule rules.yaml does not list, twice, beside one it does
        var module = new FakeModule(new ReportingMonitor("listenmoe.nonesuch", "listenmoe.nonesuch", "listenmoe.frame.json"));
        var builder = new VerdictBuilder(Specs.Default.Rules("listenmoe"), strict: false);

        // When a run is judged
        var rules = builder.Build(TestScenarios.Parse(Scenario), module, [], Context());

        // Then one error says which monitor named which rule where, and the listed rules are judged
        using (Assert.EnterMultipleScope())
        {
            Assert.That(builder.Errors, Is.EqualTo(new[]
            {
                "harness: monitor ReportingMonitor reported rule 'listenmoe.nonesuch', which specs/listenmoe/rules.yaml does not list",
            }));
            Assert.That(rules.Select(r => r.Rule.Id), Is.EquivalentTo(new[] { "listenmoe.connect.endpoint", "listenmoe.frame.json" }));
        }
    }

    [Test]
    public async Task Suite_CatalogueLacksTheMonitoredRules_EveryScenarioIsAnErrorAndTheSuiteFinishes()
    {
        // Given a rules.yaml without the heartbeat and frame rules the LISTEN.moe monitors report, two scenarios in
        // parallel, and the reference client, which beats and so gives the monitors something to report
        var specs = Directory.CreateTempSubdirectory("conformance-specs-");
        Directory.CreateDirectory(Path.Combine(specs.FullName, "listenmoe"));
        await File.WriteAllTextAsync(Path.Combine(specs.FullName, "listenmoe", "rules.yaml"), """
            - id: listenmoe.connect.endpoint
              level: MUST
              text: Connects to the endpoint it was given.
              source: seed 000
            """);
        var scenarios = new[] { 1, 2 }.Select(n => TestScenarios.Parse($$"""
            id: listenmoe/test/unlisted-{{n}}
            protocol: listenmoe
            rules: [listenmoe.connect.endpoint]
            mock: { heartbeatInterval: 100ms }
            steps:
              - expect_connect: { within: 15s }
              - wait: 400ms
            """)).ToList();

        try
        {
            // When the suite runs
            var results = await new SuiteRunner(new RunOptions { Specs = new Specs(specs.FullName) }, parallel: 2)
                .RunAsync(scenarios, new ClientSpec(FixturePaths.ListenMoeNode));

            // Then each scenario is an Error that names the monitor and the rule, and both finished
            Assert.That(results, Has.Count.EqualTo(2));
            foreach (var result in results)
            {
                using (Assert.EnterMultipleScope())
                {
                    Assert.That(result.Verdict, Is.EqualTo(Verdict.Error), result.Explain());
                    Assert.That(result.Errors, Has.Some.EqualTo(
                        "harness: monitor HeartbeatMonitor reported rule 'listenmoe.heartbeat.first-beat', which specs/listenmoe/rules.yaml does not list"));
                    Assert.That(result.Rules.Single().Rule.Id, Is.EqualTo("listenmoe.connect.endpoint"));
                }
            }
        }
        finally
        {
            specs.Delete(recursive: true);
        }
    }

    [Test]
    public void Build_StepFailedOnARefusalAMonitorFoundBroken_IsThatRulesFailureNotTheSteps()
    {
        // Given an upgrade the mock refused, a step that failed waiting for a connection because of it, and a monitor
        // that reports the refused upgrade as breaking another rule
        var transcript = new Transcript();
        var refused = transcript.Append(new ConnectionRefused("gateway", "/gateway_v2", 400, "bad query"));
        var step = TestScenarios.Parse(Scenario).Steps[0];
        var failed = new StepOutcome(1, step, StepStatus.Failed, "no client connection") { Causes = [refused] };
        var module = new FakeModule(new BlamingMonitor("listenmoe.frame.json", refused));
        var builder = new VerdictBuilder(Specs.Default.Rules("listenmoe"), strict: false);

        // When the run is judged
        var rules = builder.Build(TestScenarios.Parse(Scenario), module, [failed], Context());

        // Then the failure is the monitor's rule's, and the step's own rule passes
        Assert.That(rules.Select(r => (r.Rule.Id, r.Verdict)), Is.EquivalentTo(new[]
        {
            ("listenmoe.connect.endpoint", Verdict.Pass), ("listenmoe.frame.json", Verdict.Fail),
        }));
    }

    [Test]
    public void Build_StepFailedWithCausesNoMonitorBlames_IsTheStepsRulesFailure()
    {
        // Given the same failed step, and a monitor that finds nothing wrong with the refusal
        var transcript = new Transcript();
        var refused = transcript.Append(new ConnectionRefused("gateway", "/gateway_v2", 400, "bad query"));
        var failed = new StepOutcome(1, TestScenarios.Parse(Scenario).Steps[0], StepStatus.Failed, "no client connection") { Causes = [refused] };
        var builder = new VerdictBuilder(Specs.Default.Rules("listenmoe"), strict: false);

        var rules = builder.Build(TestScenarios.Parse(Scenario), new FakeModule(new ReportingMonitor("listenmoe.frame.json")), [failed], Context());

        Assert.That(rules.Select(r => (r.Rule.Id, r.Verdict)), Is.EquivalentTo(new[]
        {
            ("listenmoe.connect.endpoint", Verdict.Fail), ("listenmoe.frame.json", Verdict.Pass),
        }));
    }

    [Test]
    public async Task Run_SnapshotCannotBeWritten_IsAnErrorWithTheReason()
    {
        // Given a snapshot folder that is a file, so no snapshot can be written under it
        var notAFolder = Path.GetTempFileName();

        try
        {
            // When a scenario runs with snapshots on
            var result = await new ScenarioRunner(new RunOptions { SnapshotDirectory = notAFolder })
                .RunAsync(TestScenarios.Parse(Scenario), new ClientSpec("true"));

            // Then it is an Error saying the snapshot failed, not an exception
            using (Assert.EnterMultipleScope())
            {
                Assert.That(result.Verdict, Is.EqualTo(Verdict.Error));
                Assert.That(result.Errors, Has.Some.StartsWith("harness: the snapshot could not be rendered or verified: System.IO."));
            }
        }
        finally
        {
            File.Delete(notAFolder);
        }
    }

    private static MonitorContext Context() => new(TestScenarios.Parse(Scenario), [], TimeSpan.FromSeconds(1));

    private sealed class ThrowingMonitor : IRuleMonitor
    {
        public IEnumerable<RuleFinding> Check(MonitorContext context)
        {
            yield return new RuleFinding("listenmoe.frame.shape", Violated: false, "judged before the fault");
            throw new InvalidOperationException("the monitor broke");
        }
    }

    private sealed class ReportingMonitor(params string[] rules) : IRuleMonitor
    {
        public IEnumerable<RuleFinding> Check(MonitorContext context) => rules.Select(r => new RuleFinding(r, Violated: false, "checked"));
    }

    private sealed class BlamingMonitor(string rule, TranscriptEntry evidence) : IRuleMonitor
    {
        public IEnumerable<RuleFinding> Check(MonitorContext context) => [new RuleFinding(rule, Violated: true, "blamed") { Evidence = [evidence] }];
    }

    /// <summary>The LISTEN.moe module with other monitors.</summary>
    private sealed class FakeModule(params IRuleMonitor[] monitors) : IProtocolModule
    {
        private readonly IProtocolModule _real = ProtocolRegistry.Find("listenmoe")!;

        public string Id => _real.Id;

        public IReadOnlyList<string> Endpoints => _real.Endpoints;

        public IReadOnlyCollection<string> Templates => _real.Templates;

        public Type OptionsType => _real.OptionsType;

        public IReadOnlyList<IRuleMonitor> Monitors => monitors;

        public IReadOnlyList<string> ClientVariables => _real.ClientVariables;

        public IReadOnlyList<ClientFeature> Features => _real.Features;

        public ProtocolDescription Description => _real.Description;

        public object CreateOptions() => _real.CreateOptions();

        public Task<ProtocolMock> StartMockAsync(object options, MockHostOptions host, Transcript transcript) => _real.StartMockAsync(options, host, transcript);

        public bool IsHeartbeat(FrameRecorded frame) => _real.IsHeartbeat(frame);

        public IReadOnlyDictionary<string, string> ClientEnvironment(ProtocolMock mock) => _real.ClientEnvironment(mock);
    }
}
