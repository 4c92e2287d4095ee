using System;
using System.Diagnostics.Metrics;
using System.Net.Http;
using System.Threading.Tasks;
using MetricsGen.Runtime.Tests.Exporter;
using MetricsGen.Runtime.Tests.Lifecycle;
using MetricsGen.Runtime.Tests.Push;
using Xunit;

namespace MetricsGen.Runtime.Tests;

/// <summary>
/// The user code of the issues, written as the issues write it (names, namespaces, signatures), so that a change of
/// the public contract breaks this file first. Only values the machine decides (ports, file paths, hashes) are
/// passed in; everything else is the issue's text.
/// </summary>
public sealed class IssueExamplesTests
{
    [Fact]
    public void MetersBridgeAsTheIssueWritesIt()
    {
        var registry = new MetricRegistry();
        using var meter = new Meter("MyCompany.Orders");
        IDisposable bridge = registry.AddMeters("MyCompany.*", "System.Net.Http", "Microsoft.AspNetCore.Hosting");
        meter.CreateCounter<long>("orders.placed").Add(2);
        Assert.Contains("orders_placed_total 2\n", registry.GenerateLatest());
        bridge.Dispose();
        Assert.DoesNotContain("orders_placed_total", registry.GenerateLatest());
    }

    [Fact]
    public void SeriesLifecycleAsTheIssueWritesIt()
    {
        var metrics = new LifeMetrics(new MetricRegistry());
        metrics.Churn("id-5").Inc();
        bool removed = metrics.RemoveChurn("id-5");   // true when the series existed; it is no longer exposed
        metrics.ClearChurn();                         // every series of the metric, the overflow series included
        Assert.True(removed);
        Assert.False(metrics.RemoveChurn("id-5"));
    }

    [Fact]
    public async Task PushgatewayAsTheIssueWritesIt()
    {
        using var gateway = new FakeGateway();
        var registry = new MetricRegistry();
        var options = new PushgatewayOptions { Endpoint = gateway.Endpoint, Job = "nightly" };
        options.GroupingKey["instance"] = "db-1";
        options.GroupingKey["path"] = "/var/a b";
        var pusher = new PushgatewayClient(options, registry);   // registry optional: MetricRegistry.Default
        await pusher.PushAsync();      // PUT: replaces the whole group
        await pusher.PushAddAsync();   // POST: replaces only the families it sends
        await pusher.DeleteAsync();    // DELETE: removes the group
        Assert.Equal("PUT", (await gateway.NextAsync()).Method);
        Assert.Equal("POST", (await gateway.NextAsync()).Method);
        Assert.Equal("DELETE", (await gateway.NextAsync()).Method);
        pusher.Dispose();
    }

    [Fact]
    public async Task ExporterSecurityAsTheIssueWritesIt()
    {
        var registry = new MetricRegistry();
        TestCertificates certificates = TestCertificates.Shared;
        PrometheusExporterOptions options = IssueOptions(certificates.CertificatePath, certificates.KeyPath, ExporterAuthTests.Hash);
        options.Port = 0; // the issue's 9464 may be taken on a build machine
        using var exporter = new PrometheusExporter(options, registry);
        exporter.Start();

        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        using var client = new HttpClient(handler);
        HttpResponseMessage response = await client.GetAsync($"https://127.0.0.1:{exporter.Port}/metrics");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
    }

    /// <summary>The issue's options, with the machine's certificate files and a hash of our own.</summary>
    private static PrometheusExporterOptions IssueOptions(string certificatePath, string keyPath, string hash)
    {
        var options = new PrometheusExporterOptions
        {
            Port = 9464,
            Tls = new ExporterTlsOptions { CertificatePath = certificatePath, KeyPath = keyPath },
        };
        options.BasicAuthUsers["prometheus"] = hash;   // bcrypt hash, as htpasswd -B makes it
        return options;
    }
}
