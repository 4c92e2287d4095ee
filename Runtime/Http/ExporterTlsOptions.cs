using System;
using System.Security.Authentication;

namespace MetricsGen;

/// <summary>
/// TLS for a <see cref="PrometheusExporter"/>, like the <c>tls_server_config</c> of Prometheus' exporter-toolkit:
/// a certificate and key from PEM files, TLS 1.2 at least, and optionally client certificates verified against a
/// CA. The files are read by <see cref="PrometheusExporter.Start"/> and read again when they change on disk, so a
/// renewed certificate is served to new connections without a restart.
/// </summary>
public sealed class ExporterTlsOptions
{
    /// <summary>Creates TLS options; set at least <see cref="CertificatePath"/> and <see cref="KeyPath"/>.</summary>
    public ExporterTlsOptions()
    {
        // The TLS code is reachable only from here, so NativeAOT drops it from applications that never use TLS.
        // With the feature switch off, the trimmer also removes it from applications that do mention TLS options
        // (such as a CLI that offers --tls-cert) but are published without TLS.
        if (IsSupported)
        {
            EndpointFactory ??= TlsEndpoint.Create;
        }
    }

    /// <summary>
    /// The <c>MetricsGen.Exporter.TlsSupport</c> feature switch (MSBuild: <c>&lt;MetricsGenTlsSupport&gt;false&lt;/MetricsGenTlsSupport&gt;</c>):
    /// true unless an application turned it off to publish without the TLS code (about 3.5 MB of NativeAOT binary).
    /// </summary>
#if NET9_0_OR_GREATER
    [System.Diagnostics.CodeAnalysis.FeatureSwitchDefinition(FeatureSwitch)]
#endif
    internal static bool IsSupported { get; } = !AppContext.TryGetSwitch(FeatureSwitch, out bool enabled) || enabled;

    internal const string FeatureSwitch = "MetricsGen.Exporter.TlsSupport";

    internal static Func<ExporterTlsOptions, Action<Exception>, ITlsEndpoint>? EndpointFactory { get; private set; }

    /// <summary>
    /// The server certificate, a PEM file. Certificates after the first in the file are sent as its chain
    /// (as a <c>fullchain.pem</c> holds them). Required.
    /// </summary>
    public string CertificatePath { get; set; } = string.Empty;

    /// <summary>The certificate's private key, a PEM file (RSA or ECDSA; PKCS#8, PKCS#1 or SEC 1; not encrypted). Required.</summary>
    public string KeyPath { get; set; } = string.Empty;

    /// <summary>Optional PEM file of intermediate certificates sent after the server certificate. Default null.</summary>
    public string? ChainPath { get; set; }

    /// <summary>
    /// The lowest TLS version accepted: <see cref="SslProtocols.Tls12"/> (the default; TLS 1.2 and 1.3) or
    /// <see cref="SslProtocols.Tls13"/> (TLS 1.3 only).
    /// </summary>
    public SslProtocols MinimumVersion { get; set; } = SslProtocols.Tls12;

    /// <summary>
    /// When set, a PEM file of CA certificates: every client must present a certificate that chains to one of them
    /// and allows client authentication (exporter-toolkit's <c>RequireAndVerifyClientCert</c>); other clients fail
    /// the handshake. Default null: no client certificate is asked for.
    /// </summary>
    public string? ClientCaPath { get; set; }

    internal ExporterTlsOptions Validated()
    {
        if (!IsSupported)
        {
            throw new NotSupportedException(
                "TLS support was removed from this application (MetricsGenTlsSupport=false, feature switch " + FeatureSwitch + ").");
        }

        if (string.IsNullOrWhiteSpace(CertificatePath))
        {
            throw new ArgumentException("Tls.CertificatePath must name the server certificate's PEM file.", nameof(CertificatePath));
        }

        if (string.IsNullOrWhiteSpace(KeyPath))
        {
            throw new ArgumentException("Tls.KeyPath must name the private key's PEM file.", nameof(KeyPath));
        }

        if (MinimumVersion is not (SslProtocols.Tls12 or SslProtocols.Tls13))
        {
            throw new ArgumentOutOfRangeException(nameof(MinimumVersion), MinimumVersion, "The minimum TLS version must be Tls12 or Tls13.");
        }

        return (ExporterTlsOptions)MemberwiseClone();
    }
}
