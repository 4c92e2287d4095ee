using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using MetricsGen.Runtime.Tests.Exporter;
using Xunit;

namespace MetricsGen.Runtime.Tests;

/// <summary>
/// The exporter's TLS and basic-authentication example from docs/exporter.md and the README, written as a user
/// writes it, so a change of that contract breaks here. Only what the machine decides (port, certificate files,
/// the hash) is filled in.
/// </summary>
public sealed class ExporterDocsExampleTests
{
    [Fact]
    public async Task TheDocumentedTlsAndBasicAuthSetupRefusesAScrapeWithoutCredentials()
    {
        TestCertificates certificates = TestCertificates.Shared;
        var options = new PrometheusExporterOptions
        {
            Port = 9464,
            Tls = new ExporterTlsOptions { CertificatePath = certificates.CertificatePath, KeyPath = certificates.KeyPath },
        };
        options.BasicAuthUsers["prometheus"] = ExporterAuthTests.Hash;   // bcrypt hash, as htpasswd -B makes it
        options.Port = 0; // the documented 9464 may be taken on a build machine

        using var exporter = new PrometheusExporter(options, new MetricRegistry());
        exporter.Start();

        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        using var client = new HttpClient(handler);
        HttpResponseMessage response = await client.GetAsync($"https://127.0.0.1:{exporter.Port}/metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
