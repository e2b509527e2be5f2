using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Conformance.Fixtures;
using Conformance.Harness.Clients;
using Conformance.Harness.Running;
using Conformance.Mocks.Transcripts;

namespace Conformance.Harness.Tests.Clients;

/// <summary>A hung, crashed or silent client gets a verdict that says so, and nothing it started outlives the run.</summary>
public sealed partial class ClientProcessTests
{
    private const string NeverConnects = """
        id: listenmoe/test/never-connects
        protocol: listenmoe
        rules: [listenmoe.connect.endpoint]
        steps:
          - expect_connect: { within: 1500ms }
        """;

    [Test]
    public async Task Run_ClientIgnoresSigterm_WholeProcessTreeIsKilled()
    {
        // Given a client that ignores SIGTERM and starts two children that ignore it too
        var client = new ClientSpec(FixturePaths.Misbehaving("hang.sh")) { GracePeriod = TimeSpan.FromMilliseconds(300) };

        // When a scenario runs against it and ends
        var result = await new ScenarioRunner(new RunOptions()).RunAsync(TestScenarios.Parse(NeverConnects), client);

        // Then the verdict says it never connected, and none of its processes is left
        var pids = result.Transcript.OfType<ProcessOutput>()
            .Select(o => PidLine().Match(o.Line)).Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.That(pids, Has.Count.EqualTo(3), "hang.sh prints its own pid and its two children's");
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail));
        Assert.That(result.Explain(), Does.Contain("no client connection"));
        Assert.That(pids.Where(IsAlive), Is.Empty, "processes of the client that outlived the run");
        Assert.That(result.Transcript.OfType<ProcessExited>().Single().Killed, Is.True);
    }

    [Test]
    public async Task Run_ClientLeavesADetachedGrandchildThatIgnoresSigterm_ItIsKilledToo()
    {
        // Given a client that starts a grandchild in a session of its own (out of its process group), which ignores
        // SIGTERM, and exits at once so that the grandchild's parent becomes init
        var client = new ClientSpec(FixturePaths.Misbehaving("detached-grandchild.sh")) { GracePeriod = TimeSpan.FromMilliseconds(300) };

        // When a scenario runs against it and ends
        var result = await new ScenarioRunner(new RunOptions()).RunAsync(TestScenarios.Parse(NeverConnects), client);

        // Then the grandchild did not outlive the run
        var grandchild = result.Transcript.OfType<ProcessOutput>().Select(o => PidLine().Match(o.Line)).Single(m => m.Success);
        var pid = int.Parse(grandchild.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail));
        Assert.That(IsAlive(pid), Is.False, $"the detached grandchild {pid} outlived the run");
    }

    [Test]
    public async Task Run_ClientCrashesAtStart_VerdictNamesExitCodeAndStderr()
    {
        // Given a client that exits 7 at once after printing "boom" on stderr
        var client = new ClientSpec(FixturePaths.Misbehaving("crash.sh"));

        // When a scenario waits for it to connect
        var result = await new ScenarioRunner(new RunOptions()).RunAsync(TestScenarios.Parse(NeverConnects), client);

        // Then the failure says the process exited, with its code and stderr, long before the window ran out
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail));
        var message = result.Rules.Single(r => r.Rule.Id == "listenmoe.connect.endpoint").Messages.Single();
        Assert.That(message, Does.Contain("exited with code 7").And.Contain("boom"));
        Assert.That(result.Transcript.OfType<ProcessExited>().Single().StoppedByHarness, Is.False);
    }

    [Test]
    public async Task Run_ClientStartsChildren_ChildrenAreStoppedWithIt()
    {
        // Given a client command that backgrounds a long sleep in its own subshell
        var marker = $"conformance-test-{Guid.NewGuid():N}";
        var client = new ClientSpec($"(exec -a {marker} sleep 300) & echo started; wait") { GracePeriod = TimeSpan.FromMilliseconds(500) };

        // When a scenario runs and ends
        await new ScenarioRunner(new RunOptions()).RunAsync(TestScenarios.Parse(NeverConnects), client);

        // Then no process carrying the marker is left
        Assert.That(ProcessesWithMarker(marker), Is.Empty);
    }

    [Test]
    public async Task Run_ClientFloodsStdoutAndStderrWithoutEnd_VerdictSaysSoOutputIsBoundedAndNothingIsLeft()
    {
        // Given a client that never connects and writes without end: lines on stdout, one endless line on stderr
        var client = new ClientSpec(FixturePaths.Misbehaving("floods-output.sh")) { GracePeriod = TimeSpan.FromMilliseconds(300) };

        // When a scenario waits for it to connect
        var result = await new ScenarioRunner(new RunOptions()).RunAsync(TestScenarios.Parse(NeverConnects), client);

        // Then the verdict says it never connected; each stream's record holds no more than the head and the tail, with a
        // note of the bytes left out between; and neither of its processes is left
        var output = result.Transcript.OfType<ProcessOutput>().ToList();
        var pids = output.Select(o => PidLine().Match(o.Line)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        var dropped = result.Transcript.OfType<ProcessOutputDropped>().ToDictionary(d => d.Stream);
        TestContext.Out.WriteLine(string.Join(Environment.NewLine, dropped.Values.Select(d => d.Describe())));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail));
            Assert.That(result.Explain(), Does.Contain("no client connection"));
            foreach (var stream in new[] { OutputStream.Stdout, OutputStream.Stderr })
            {
                var recorded = output.Where(o => o.Stream == stream).Sum(o => Encoding.UTF8.GetByteCount(o.Line) + 1L);
                Assert.That(recorded, Is.LessThanOrEqualTo(OutputCapture.DefaultHeadBytes + OutputCapture.DefaultTailBytes), $"{stream} recorded");
                Assert.That(dropped.GetValueOrDefault(stream)?.Bytes, Is.GreaterThan(0), $"{stream}: a note of the bytes left out");
            }

            Assert.That(dropped[OutputStream.Stdout].Describe(), Does.EndWith("the harness keeps the first 64 KiB and the last 64 KiB of each output stream"));
            Assert.That(pids, Has.Count.EqualTo(2), "floods-output.sh prints its own pid and its child's");
            Assert.That(pids.Where(IsAlive), Is.Empty, "processes of the client that outlived the run");
        }
    }

    private static bool IsAlive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        return File.Exists(stat) && !File.ReadAllText(stat).Split(") ")[1].StartsWith('Z');
    }

    private static List<string> ProcessesWithMarker(string marker) =>
        [.. Directory.EnumerateDirectories("/proc")
            .Where(d => int.TryParse(Path.GetFileName(d), out _))
            .Select(d => { try { return File.ReadAllText(Path.Combine(d, "cmdline")); } catch (IOException) { return ""; } })
            .Where(c => c.Contains(marker, StringComparison.Ordinal))];

    [GeneratedRegex(@"pid=(\d+)")]
    private static partial Regex PidLine();
}
