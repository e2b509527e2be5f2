using Conformance.Testing;

namespace Conformance.Harness.Tests;

/// <summary>
/// This assembly's tests judge heartbeat timing against real clients: they hold <see cref="HeavyTestGate"/> shared while
/// they run, so the mock fuzz tests of the other test assembly wait for them (and they for a fuzz run already going).
/// </summary>
[SetUpFixture]
public sealed class TimingTestsGate
{
    private IDisposable? _gate;

    [OneTimeSetUp]
    public async Task EnterAsync() => _gate = await HeavyTestGate.EnterAsync(alone: false, TimeSpan.FromMinutes(10));

    [OneTimeTearDown]
    public void Leave() => _gate?.Dispose();
}
