using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MetricsGen.Runtime.Tests.Exporter;

/// <summary>
/// A test CA and certificates it issues, made with <see cref="CertificateRequest"/> and written as PEM files into a
/// temporary folder, so TLS tests need nothing but the .NET SDK.
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    private static readonly Lazy<TestCertificates> SharedSet = new(() =>
    {
        var set = new TestCertificates();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => set.Dispose();
        return set;
    });

    private int _serial;

    public TestCertificates(bool rsaServer = false)
    {
        Directory.CreateDirectory(Folder);
        Ca = CreateCa("MetricsGen Test CA");
        CaPath = Path.Combine(Folder, "ca.pem");
        File.WriteAllText(CaPath, Ca.ExportCertificatePem());
        CertificatePath = Path.Combine(Folder, "cert.pem");
        KeyPath = Path.Combine(Folder, "key.pem");
        IssueServer(rsaServer);
    }

    /// <summary>One ECDSA set for the whole test run (the TLS variants of the hostile-request tests).</summary>
    public static TestCertificates Shared => SharedSet.Value;

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "metricsgen-tls-" + Guid.NewGuid().ToString("N"));

    public X509Certificate2 Ca { get; }

    public string CaPath { get; }

    public string CertificatePath { get; }

    public string KeyPath { get; }

    /// <summary>The server certificate last written to <see cref="CertificatePath"/> (public part).</summary>
    public X509Certificate2 Server { get; private set; } = null!;

    public ExporterTlsOptions ServerOptions() => new() { CertificatePath = CertificatePath, KeyPath = KeyPath };

    public static X509Certificate2 CreateCa(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    /// <summary>Writes a new server certificate and key (SAN 127.0.0.1 and localhost) over the current files.</summary>
    public X509Certificate2 IssueServer(bool rsa = false, string? certificatePath = null, string? keyPath = null)
    {
        (X509Certificate2 certificate, string keyPem) = Issue(Ca, "localhost", rsa, "1.3.6.1.5.5.7.3.1", server: true);
        WriteRenewed(certificatePath ?? CertificatePath, certificate.ExportCertificatePem());
        WriteRenewed(keyPath ?? KeyPath, keyPem);
        if (certificatePath is null)
        {
            Server = certificate;
        }

        return certificate;
    }

    // The exporter notices renewed files by size and write time, and Linux file times are coarse (a few ms): a file
    // rewritten within one tick of its last write is dated a second later, as a real renewal (days later) would be.
    private static void WriteRenewed(string path, string text)
    {
        DateTime? previous = File.Exists(path) ? File.GetLastWriteTimeUtc(path) : null;
        File.WriteAllText(path, text);
        if (previous is { } old && File.GetLastWriteTimeUtc(path) <= old)
        {
            File.SetLastWriteTimeUtc(path, old.AddSeconds(1));
        }
    }

    /// <summary>A client certificate with key, issued by <paramref name="issuer"/> (the test CA by default).</summary>
    public X509Certificate2 IssueClient(X509Certificate2? issuer = null, string extendedUsage = "1.3.6.1.5.5.7.3.2")
    {
        (X509Certificate2 certificate, string keyPem) = Issue(issuer ?? Ca, "prometheus", rsa: false, extendedUsage, server: false);
        using X509Certificate2 withKey = X509Certificate2.CreateFromPem(certificate.ExportCertificatePem(), keyPem);

        // A PKCS#12 round trip gives the key a form every platform's TLS client can use.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private (X509Certificate2 Certificate, string KeyPem) Issue(X509Certificate2 issuer, string name, bool rsa, string extendedUsage, bool server)
    {
        AsymmetricAlgorithm key = rsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using (key)
        {
            CertificateRequest request = key is RSA rsaKey
                ? new CertificateRequest("CN=" + name, rsaKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                : new CertificateRequest("CN=" + name, (ECDsa)key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid(extendedUsage) }, false));
            if (server)
            {
                var names = new SubjectAlternativeNameBuilder();
                names.AddIpAddress(IPAddress.Loopback);
                names.AddDnsName("localhost");
                request.CertificateExtensions.Add(names.Build());
            }

            byte[] serial = BitConverter.GetBytes(System.Threading.Interlocked.Increment(ref _serial) + 1000);
            using ECDsa issuerKey = issuer.GetECDsaPrivateKey()!;
            X509Certificate2 certificate = request.Create(
                issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey), DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(30), serial);
            string keyPem = key is RSA r ? r.ExportRSAPrivateKeyPem() : ((ECDsa)key).ExportPkcs8PrivateKeyPem();
            return (certificate, keyPem);
        }
    }
}

/// <summary>How a test client speaks TLS: it trusts only the test CA and checks the name, as Prometheus would.</summary>
internal sealed class TlsClientSettings
{
    private readonly X509Certificate2 _ca;

    public TlsClientSettings(TestCertificates certificates) => _ca = certificates.Ca;

    public SslProtocols Protocols { get; init; } = SslProtocols.None;

    public X509Certificate2? ClientCertificate { get; init; }

    public SslClientAuthenticationOptions Options()
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(_ca);
        return new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = Protocols,
            CertificateChainPolicy = policy,
            ClientCertificates = ClientCertificate is null ? null : new X509CertificateCollection { ClientCertificate },
            RemoteCertificateValidationCallback = static (_, _, _, errors) => errors == SslPolicyErrors.None,
        };
    }
}
