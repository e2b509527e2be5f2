using Conformance.Testing;

namespace Conformance.NUnit.Tests;

/// <summary>
/// The reference clients' suites here are judged on heartbeat timing, like the Harness tests: this assembly holds
/// <see cref="HeavyTestGate"/> shared while it runs, so the mock fuzz tests, which load both cores, wait for it.
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
