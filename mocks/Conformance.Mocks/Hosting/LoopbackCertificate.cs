using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Conformance.Mocks.Hosting;

/// <summary>
/// A self-signed certificate for 127.0.0.1, ::1 and localhost, made once per process, for mocks of services that are
/// only reachable over TLS (plug.dj's REST API is https only, and some clients cannot speak anything else). Clients
/// trust it through <see cref="PemPath"/> (for Node: <c>NODE_EXTRA_CA_CERTS</c>).
/// </summary>
public static class LoopbackCertificate
{
    private static readonly Lazy<X509Certificate2> LazyCertificate = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<string> LazyPemPath = new(WritePem, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The certificate, with its private key.</summary>
    public static X509Certificate2 Certificate => LazyCertificate.Value;

    /// <summary>A PEM file holding the certificate (not the key), written to the temp folder on first use.</summary>
    public static string PemPath => LazyPemPath.Value;

    private static X509Certificate2 Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=conformance loopback", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());

        // Its own issuer, so it can stand as the trust anchor a client is told to accept.
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
    }

    private static string WritePem()
    {
        var path = Path.Combine(Path.GetTempPath(), $"conformance-loopback-{Environment.ProcessId}.pem");
        File.WriteAllText(path, Certificate.ExportCertificatePem());
        return path;
    }
}
