using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Conformance.Mocks.Hosting;

/// <summary>Where a mock listens and how long it waits for a client. Defaults: 127.0.0.1, an ephemeral port, 5 s sends.</summary>
public sealed class MockHostOptions
{
    private TimeSpan _sendTimeout = TimeSpan.FromSeconds(5);

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

    /// <summary>
    /// Per connection, how many bytes of client messages may be read and recorded ahead of the protocol's handling of
    /// them. Messages are read (and stamped) as they arrive while the handler may still be busy with an earlier one (a
    /// reply held back by a wire fault's delay); past this the mock stops reading until the handler catches up, and TCP
    /// pushes back on the client. Default: 4 MiB.
    /// </summary>
    public int MaxPendingBytes { get; set; } = 4 << 20;

    /// <summary>
    /// How long one send (a frame, or a close frame) may wait for the client to take it. A client that stops reading
    /// fills the socket buffers and would hold the send, and every later send on that connection, forever; past this
    /// the mock cuts the TCP connection and records <see cref="Transcripts.CloseInitiator.ClientStalled"/> with the
    /// bytes left unsent. Measured on the transcript's clock. <see cref="Timeout.InfiniteTimeSpan"/> waits forever.
    /// Default: 5 s.
    /// </summary>
    public TimeSpan SendTimeout
    {
        get => _sendTimeout;
        set => _sendTimeout = value > TimeSpan.Zero || value == Timeout.InfiniteTimeSpan
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "SendTimeout must be positive, or Timeout.InfiniteTimeSpan.");
    }

    /// <summary>
    /// When set, the mock does nothing of its own on its WebSocket endpoints: every upgrade is accepted without the
    /// protocol's checks (Origin, credentials, sessions), nothing is sent on connect and no client frame is answered.
    /// Frames are still read, recorded and judged, and the HTTP routes still answer; a scenario's steps are the only
    /// source of the mock's frames. For replaying a recorded session (<c>scripted: true</c>). Default: false.
    /// </summary>
    public bool Scripted { get; set; }

    /// <summary>A copy, for a mock that adjusts the options it was given (adds a TLS certificate) without changing them.</summary>
    internal MockHostOptions Copy() => (MockHostOptions)MemberwiseClone();
}
