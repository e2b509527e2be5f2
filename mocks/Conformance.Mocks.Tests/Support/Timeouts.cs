namespace Conformance.Mocks.Tests;

/// <summary>Bounds for waits that only end early when a test is failing.</summary>
internal static class Timeouts
{
    public static CancellationTokenSource Wait() => new(TestClient.DefaultTimeout);
}
