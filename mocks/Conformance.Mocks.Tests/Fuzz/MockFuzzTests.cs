using System.Diagnostics;
using System.Globalization;
using Conformance.Mocks.Hosting;
using Conformance.Mocks.Transcripts;
using Conformance.Testing;

namespace Conformance.Mocks.Tests.Fuzz;

/// <summary>
/// Issue 12, "the harness never misbehaves": every protocol mock, started for real, takes 100,000 random client messages
/// over many connections without an exception escaping, records every message it read exactly as sent, and still
/// serves a conforming client afterwards. The seed is printed; <c>CONFORMANCE_FUZZ_SEED</c> replays the messages (how
/// they interleave with the mock's own timers is up to the machine).
/// </summary>
[Category("fuzz")]
[Category("e2e")]
public sealed class MockFuzzTests
{
    /// <summary>Small, so an oversize message (closed with 1009) costs little to send.</summary>
    private const int MaxMessageBytes = 64 * 1024;

    private const int Frames = 100_000;

    private IDisposable? _gate;

    /// <summary>Waits until no test that judges timing runs (they would turn inconclusive under this load), then keeps them waiting.</summary>
    [OneTimeSetUp]
    public async Task EnterAsync()
    {
        TestContext.Progress.WriteLine("fuzz: waiting until no timing test runs (HeavyTestGate)");
        _gate = await HeavyTestGate.EnterAsync(alone: true, TimeSpan.FromMinutes(30));
    }

    [OneTimeTearDown]
    public void Leave() => _gate?.Dispose();

    [TestCaseSource(nameof(Targets))]
    public async Task RandomClientFrames_NoFaultNoLostFrame_AndTheMockKeepsServing(string protocol)
    {
        var target = AllTargets.Single(t => t.Protocol == protocol);

        // Given the real mock, on a Kestrel socket on 127.0.0.1
        var seed = FuzzSeed.Mix(FuzzSeed.Value, target.Protocol);
        TestContext.Progress.WriteLine(
            $"{target.Protocol}: fuzz seed {FuzzSeed.Value} (replay with {FuzzSeed.Variable}={FuzzSeed.Value.ToString(CultureInfo.InvariantCulture)})");
        var mock = await target.StartAsync(new MockHostOptions { MaxMessageBytes = MaxMessageBytes });
        try
        {
            // When fuzz clients send random messages, pipelined, from several connections at once, until the mock has read 100,000
            var clock = Stopwatch.StartNew();
            var run = new FuzzRun(target, mock, seed, MaxMessageBytes) { FrameTarget = Frames };
            await run.RunAsync();
            await EveryConnectionEndedAsync(mock);
            var fuzzing = clock.Elapsed;

            // Then no exception escaped the mock, every message it read is recorded as sent, and it still serves
            var audit = TranscriptAudit.Check(mock.Transcript.Snapshot(), run.Connections, MaxMessageBytes);
            TestContext.Progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{target.Protocol}: {run.Sent} messages ({run.Tally()}) over {run.Connections.Count} connections " +
                $"({run.EndedByMock} ended by the mock and replaced, {run.Refused} upgrades refused, {run.Dropped} dropped by the client); " +
                $"{audit.Recorded} recorded, {audit.Unread} unread when their connection ended; " +
                $"{run.Connections.Sum(c => c.Received)} of the mock's messages read; {fuzzing.TotalSeconds:0.0} s"));
            using (Assert.EnterMultipleScope())
            {
                Assert.That(audit.Recorded, Is.GreaterThanOrEqualTo(Frames));
                Assert.That(mock.Host.Faults.Select(Where).Distinct(), Is.Empty, "exceptions that escaped the mock's handlers");
                Assert.That(audit.Problems.Take(20), Is.Empty, $"messages not recorded as sent ({audit.Problems.Count} problems)");
                Assert.That(run.CloseUnanswered.Order(), Is.Empty, "connections whose close the mock did not answer");
                Assert.That(run.OversizeUnanswered.Order(), Is.Empty, "connections the mock did not close after a message over its limit");
            }

            await target.ProveServingAsync(mock);
        }
        finally
        {
            await mock.DisposeAsync();
        }
    }

    private static readonly FuzzTarget[] AllTargets =
        [new ListenMoeFuzzTarget(), new PlugDjFuzzTarget(), new DiscodoFuzzTarget(), new NightingaleFuzzTarget(), new PodcastFuzzTarget()];

    private static IEnumerable<TestCaseData> Targets() =>
        AllTargets.Select(t => new TestCaseData(t.Protocol).SetArgDisplayNames(t.Protocol).SetCategory(t.Protocol));

    /// <summary>An exception by its type, message and the mock's frame that threw it, so a repeated fault is listed once.</summary>
    private static string Where(Exception fault) =>
        $"{fault.GetType().Name}: {fault.Message} " +
        (fault.StackTrace?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("at Conformance.", StringComparison.Ordinal)) ?? "");

    /// <summary>Waits until the mock has recorded the end of every connection it opened (its read loops have all finished).</summary>
    private static async Task EveryConnectionEndedAsync(ProtocolMock mock)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        foreach (var opened in mock.Transcript.Snapshot().OfType<ConnectionOpened>())
        {
            var closed = await mock.Transcript.WaitForAsync<ConnectionClosed>(opened.Index, c => c.Connection == opened.Connection, timeout.Token);
            Assert.That(closed, Is.Not.Null, $"the mock never recorded the end of connection {opened.Connection}");
        }
    }
}
