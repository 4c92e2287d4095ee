using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;

namespace MetricsGen;

/// <summary>
/// What a connection needs of TLS. An interface, so that an application that never creates
/// <see cref="ExporterTlsOptions"/> never constructs <see cref="TlsEndpoint"/>, and NativeAOT leaves SslStream and
/// the X.509 code out of its binary (several megabytes).
/// </summary>
internal interface ITlsEndpoint
{
    /// <summary>Runs the server handshake on <paramref name="socket"/>; the caller owns and disposes the returned stream.</summary>
    Task<Stream> AuthenticateAsync(Socket socket, CancellationToken cancel);

    /// <summary>Sends the TLS close_notify on a stream from <see cref="AuthenticateAsync"/>.</summary>
    Task ShutdownAsync(Stream stream);
}

/// <summary>
/// The TLS side of an exporter: loads certificate, key, chain and client CAs from PEM files, notices when the files
/// change on disk (checked at every new connection, so a renewed certificate is served without a restart) and runs
/// the server handshake. A reload that fails keeps the previous certificate and is reported once per change.
/// </summary>
internal sealed class TlsEndpoint : ITlsEndpoint
{
    // Client authentication (RFC 5280 §4.2.1.12), which exporter-toolkit also requires of client certificates.
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    private readonly ExporterTlsOptions _options;
    private readonly Action<Exception> _report;
    private readonly object _reloading = new();
    private TlsMaterial _current;
    private string _failedStamp = string.Empty;

    private TlsEndpoint(ExporterTlsOptions options, Action<Exception> report, TlsMaterial material)
    {
        _options = options;
        _report = report;
        _current = material;
    }

    /// <summary>Loads the files; throws <see cref="InvalidOperationException"/> naming the file that is missing or unusable.</summary>
    public static ITlsEndpoint Create(ExporterTlsOptions options, Action<Exception> report) =>
        new TlsEndpoint(options, report, TlsMaterial.Load(options, Stamp(options)));

    /// <inheritdoc/>
    public async Task<Stream> AuthenticateAsync(Socket socket, CancellationToken cancel)
    {
        TlsMaterial material = Refresh();
        var stream = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
        try
        {
            await stream.AuthenticateAsServerAsync(material.ServerOptions, cancel).ConfigureAwait(false);
            return stream;
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc/>
    public Task ShutdownAsync(Stream stream) => ((SslStream)stream).ShutdownAsync();

    // Reloads when a file's size or modification time changed since the last load (or failed attempt). File times are
    // coarse (a few ms on Linux), so a rewrite of the same size within one tick of the previous write goes unseen until
    // the next change; renewals write new files long after the old ones, and reading the files on every handshake to
    // compare their contents would cost far more.
    private TlsMaterial Refresh()
    {
        TlsMaterial material = Volatile.Read(ref _current);
        string stamp = Stamp(_options);
        if (stamp == material.Stamp)
        {
            return material;
        }

        lock (_reloading)
        {
            material = _current;
            if (stamp == material.Stamp || stamp == _failedStamp)
            {
                return material;
            }

            try
            {
                TlsMaterial renewed = TlsMaterial.Load(_options, stamp);
                Volatile.Write(ref _current, renewed);
                _failedStamp = string.Empty;
                return renewed;
            }
            catch (InvalidOperationException error)
            {
                // Half-written during a renewal, for example: keep serving the old certificate, try again on the next change.
                _failedStamp = stamp;
                _report(error);
                return material;
            }
        }
    }

    private static string Stamp(ExporterTlsOptions options) =>
        string.Concat(FileStamp(options.CertificatePath), "|", FileStamp(options.KeyPath), "|", FileStamp(options.ChainPath), "|", FileStamp(options.ClientCaPath));

    private static string FileStamp(string? path)
    {
        if (path is null)
        {
            return string.Empty;
        }

        var info = new FileInfo(path);
        return info.Exists
            ? string.Concat(info.LastWriteTimeUtc.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture), ":", info.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))
            : "missing";
    }

    /// <summary>One loaded set of files and the handshake settings made from it.</summary>
    private sealed class TlsMaterial
    {
        private TlsMaterial(string stamp, X509Certificate2 certificate, SslServerAuthenticationOptions serverOptions)
        {
            Stamp = stamp;
            Certificate = certificate;
            ServerOptions = serverOptions;
        }

        public string Stamp { get; }

        public X509Certificate2 Certificate { get; }

        public SslServerAuthenticationOptions ServerOptions { get; }

        public static TlsMaterial Load(ExporterTlsOptions options, string stamp)
        {
            string certificatePem = ReadPem(options.CertificatePath, "certificate (Tls.CertificatePath)");
            string keyPem = ReadPem(options.KeyPath, "private key (Tls.KeyPath)");
            var chain = new X509Certificate2Collection();
            X509Certificate2 certificate;
            try
            {
                // The first certificate is the server's; any after it form the chain, as in a fullchain.pem.
                chain.ImportFromPem(certificatePem);
            }
            catch (CryptographicException error)
            {
                throw Unusable(options.CertificatePath, "certificate (Tls.CertificatePath)", error);
            }

            if (chain.Count == 0)
            {
                throw Unusable(options.CertificatePath, "certificate (Tls.CertificatePath)", new CryptographicException("No CERTIFICATE block in the file."));
            }

            try
            {
                certificate = X509Certificate2.CreateFromPem(certificatePem, keyPem);
            }
            catch (Exception error) when (error is CryptographicException or ArgumentException)
            {
                // ArgumentException: a key that does not belong to the certificate.
                throw new InvalidOperationException(
                    $"The TLS private key file '{options.KeyPath}' (Tls.KeyPath) holds no unencrypted RSA or ECDSA key matching the certificate in '{options.CertificatePath}': {error.Message}",
                    error);
            }

            certificate = UsableBySslStream(certificate);
            chain.RemoveAt(0);
            if (options.ChainPath is not null)
            {
                chain.AddRange(ReadCertificates(options.ChainPath, "chain (Tls.ChainPath)"));
            }

            var serverOptions = new SslServerAuthenticationOptions
            {
                ServerCertificateContext = SslStreamCertificateContext.Create(certificate, chain, offline: true),
                EnabledSslProtocols = options.MinimumVersion == SslProtocols.Tls13 ? SslProtocols.Tls13 : SslProtocols.Tls12 | SslProtocols.Tls13,
                ApplicationProtocols = new List<SslApplicationProtocol> { SslApplicationProtocol.Http11 },
                AllowRenegotiation = false,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            };

            if (options.ClientCaPath is not null)
            {
                X509Certificate2Collection authorities = ReadCertificates(options.ClientCaPath, "client CA (Tls.ClientCaPath)");
                var policy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    RevocationMode = X509RevocationMode.NoCheck,
                };
                policy.CustomTrustStore.AddRange(authorities);
                policy.ApplicationPolicy.Add(new Oid(ClientAuthOid));
                serverOptions.ClientCertificateRequired = true;
                serverOptions.CertificateChainPolicy = policy;

                // SslStream builds the client's chain with the policy above; any error (no certificate, unknown CA,
                // expired, not for client authentication) fails the handshake.
                serverOptions.RemoteCertificateValidationCallback = static (_, certificate, _, errors) =>
                    certificate is not null && errors == SslPolicyErrors.None;
            }

            return new TlsMaterial(stamp, certificate, serverOptions);
        }

        private static string ReadPem(string path, string what)
        {
            try
            {
                return File.ReadAllText(path);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                throw new InvalidOperationException($"Cannot read the TLS {what} file '{path}': {error.Message}", error);
            }
        }

        private static X509Certificate2Collection ReadCertificates(string path, string what)
        {
            string pem = ReadPem(path, what);
            var certificates = new X509Certificate2Collection();
            try
            {
                certificates.ImportFromPem(pem);
            }
            catch (CryptographicException error)
            {
                throw Unusable(path, what, error);
            }

            return certificates.Count > 0
                ? certificates
                : throw Unusable(path, what, new CryptographicException("No CERTIFICATE block in the file."));
        }

        private static InvalidOperationException Unusable(string path, string what, Exception error) =>
            new($"The TLS {what} file '{path}' holds no usable PEM certificate: {error.Message}", error);

        // On Windows, SChannel cannot use the ephemeral key of a certificate made from PEM: a PKCS#12 round trip
        // gives it one it can. Elsewhere (OpenSSL) the certificate serves as it is.
        private static X509Certificate2 UsableBySslStream(X509Certificate2 certificate)
        {
            if (!OperatingSystem.IsWindows())
            {
                return certificate;
            }

            byte[] pkcs12 = certificate.Export(X509ContentType.Pkcs12);
            certificate.Dispose();
#if NET9_0_OR_GREATER
            return X509CertificateLoader.LoadPkcs12(pkcs12, null);
#else
            return new X509Certificate2(pkcs12);
#endif
        }
    }
}
