using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Conformance.Mocks.Hosting;

/// <summary>Where a mock listens. Defaults: 127.0.0.1, an ephemeral port.</summary>
public sealed class MockHostOptions
{
    /// <summary>Address to bind. Default: loopback, so a mock is never reachable from outside the machine.</summary>
    public IPAddress Address { get; set; } = IPAddress.Loopback;

    /// <summary>Port to bind; 0 (the default) picks a free ephemeral port.</summary>
    public int Port { get; set; }

    /// <summary>
    /// When set, the host also listens with TLS (HTTPS and WSS) on a second ephemeral port of the same address, with this
    /// certificate; <see cref="MockHost.HttpsUrl"/> is then its base address. Default: none (plain HTTP only).
    /// </summary>
    public X509Certificate2? TlsCertificate { get; set; }

    /// <summary>Largest client message the mock accepts before closing with 1009. Default: 1 MiB.</summary>
    public int MaxMessageBytes { get; set; } = 1 << 20;
}
