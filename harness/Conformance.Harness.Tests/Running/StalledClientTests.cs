using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Conformance.Fixtures;
using Conformance.Harness.Clients;
using Conformance.Harness.Running;
using Conformance.Harness.Scenarios;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Tests.Running;

/// <summary>
/// A client that stops reading while the mock sends it 10 MiB: the send timeout cuts it, the step that could not send
/// says why, and a scenario running beside it in the same process is not held up.
/// </summary>
public sealed partial class StalledClientTests
{
    private const int Megabyte = 1 << 20;

    /// <summary>
    /// Connect, then ten scripted sends of 1 MiB each: far more than the socket buffers of a client that does not read
    /// hold. Loaded once: reading 10 MiB of YAML takes a while.
    /// </summary>
    private static readonly Lazy<Scenario> TenMegabytes = new(() =>
    {
        var yaml = new StringBuilder()
            .AppendLine("id: listenmoe/test/stops-reading")
            .AppendLine("protocol: listenmoe")
            .AppendLine("rules: [listenmoe.connect.endpoint]")
            .AppendLine("timeout: 30s")
            .AppendLine("steps:")
            .AppendLine("  - expect_connect: { within: 15s }");
        for (var i = 0; i < 10; i++)
        {
            yaml.Append("  - send: { text: ").Append('x', Megabyte).AppendLine(" }");
        }

        return TestScenarios.Parse(yaml.ToString(), "stops-reading.yaml");
    });

    [Test]
    public async Task Run_ClientStopsReading_SendStepFailsNamingTheStall()
    {
        // Given a client that upgrades and never reads, a mock whose sends time out after 500 ms, and 10 x 1 MiB to send
        var options = new RunOptions { Host = () => new MockHostOptions { SendTimeout = TimeSpan.FromMilliseconds(500) } };

        // When the scenario runs
        var result = await new ScenarioRunner(options).RunAsync(TenMegabytes.Value, StopsReading());

        // Then a send step fails because the client stopped reading, and the transcript records the stall as data
        var failed = result.Steps.Single(s => s.Status == StepStatus.Failed);
        var closed = result.Transcript.OfType<ConnectionClosed>().Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail), result.Explain());
            Assert.That(failed.Step, Is.TypeOf<SendStep>());
            Assert.That(failed.Message, Does.Match(@"^cannot send: connection 1 has ended; the mock cut connection 1 at \d+ms because the client stopped reading: \d+ bytes unsent after 0\.5 s"));
            Assert.That(result.Explain(), Does.Contain("the client stopped reading"));
            Assert.That(result.Errors, Is.Empty, "the send timeout, not the scenario timeout, ended it");
            Assert.That(closed.By, Is.EqualTo(CloseInitiator.ClientStalled));
            Assert.That(closed.Stall?.Timeout, Is.EqualTo(TimeSpan.FromMilliseconds(500)));
            Assert.That(result.Transcript.OfType<ProcessExited>().Single().StoppedByHarness, Is.True);
        }
    }

    [Test]
    [Category("e2e")]
    public async Task Run_StalledClientBesideTheReferenceClient_OnlyTheStalledOneFailsAndNothingIsLeft()
    {
        // Given, in one process with the default send timeout, a client that stops reading while it is sent 10 MiB and
        // the LISTEN.moe reference client on an ordinary scenario
        var runner = new ScenarioRunner(new RunOptions());
        var gateway = ScenarioSource.Load([Path.Combine(Specs.Default.Root, "listenmoe", "scenarios", "connect", "gateway.yaml")], Specs.Default).Scenarios.Single();

        // When both run at once
        var results = await Task.WhenAll(
            runner.RunAsync(TenMegabytes.Value, StopsReading()),
            runner.RunAsync(gateway, new ClientSpec(FixturePaths.ListenMoeNode)));

        // Then the stalled run fails naming the stall, the other passes, and the stalled client's process and port are gone
        var (stalled, reference) = (results[0], results[1]);
        var line = stalled.Transcript.OfType<ProcessOutput>().Select(o => StalledLine().Match(o.Line)).Single(m => m.Success);
        var pid = int.Parse(line.Groups["pid"].Value, CultureInfo.InvariantCulture);
        var port = int.Parse(line.Groups["port"].Value, CultureInfo.InvariantCulture);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(stalled.Verdict, Is.EqualTo(Verdict.Fail), stalled.Explain());
            Assert.That(stalled.Explain(), Does.Contain("because the client stopped reading").And.Contain("unsent after 5 s"));
            Assert.That(stalled.Errors, Is.Empty, "the send timeout, not the scenario timeout, ended it");
            Assert.That(reference.Verdict, Is.EqualTo(Verdict.Pass), reference.Explain());
            Assert.That(File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].StartsWith('Z'), Is.False, "the stalled client's process is gone");
            Assert.That(() => Bind(port), Throws.Nothing, "the stalled mock's port is free again");
        }
    }

    private static ClientSpec StopsReading() => new(FixturePaths.Misbehaving("stops-reading.js")) { GracePeriod = TimeSpan.FromMilliseconds(500) };

    private static void Bind(int port)
    {
        using var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        listener.Stop();
    }

    [GeneratedRegex(@"^stalled pid=(?<pid>\d+) port=(?<port>\d+)$")]
    private static partial Regex StalledLine();
}
