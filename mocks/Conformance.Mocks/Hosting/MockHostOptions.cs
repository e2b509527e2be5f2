using System.Net;

namespace Conformance.Mocks.Hosting;

/// <summary>Where a mock listens. Defaults: 127.0.0.1, an ephemeral port.</summary>
public sealed class MockHostOptions
{
    /// <summary>Address to bind. Default: loopback, so a mock is never reachable from outside the machine.</summary>
    public IPAddress Address { get; set; } = IPAddress.Loopback;

    /// <summary>Port to bind; 0 (the default) picks a free ephemeral port.</summary>
    public int Port { get; set; }

    /// <summary>Largest client message the mock accepts before closing with 1009. Default: 1 MiB.</summary>
    public int MaxMessageBytes { get; set; } = 1 << 20;
}
