using System;
using System.Linq;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;
using static MetricsGen.Runtime.Tests.Meters.MeterTestSupport;

namespace MetricsGen.Runtime.Tests.Meters;

/// <summary>.NET's own meters, bridged as a user would: HttpClient's and the runtime's.</summary>
public sealed class BuiltInMeterTests
{
    [Fact]
    public async Task HttpClientRequestsBecomeTheRequestDurationHistogram()
    {
        var registry = new MetricRegistry();
        var warnings = new Warnings(registry);
        using IDisposable bridge = registry.AddMeters("System.Net.Http");

        // The runtime's own exporter is the local server the client talks to.
        await using var exporter = new PrometheusExporter(new PrometheusExporterOptions { Host = "127.0.0.1", Port = 0 }, new MetricRegistry());
        exporter.Start();
        using var client = new HttpClient();
        string baseUrl = $"http://127.0.0.1:{exporter.Port}";
        for (int i = 0; i < 3; i++)
        {
            await client.GetStringAsync(baseUrl + "/metrics");
        }

        using (HttpResponseMessage missing = await client.GetAsync(baseUrl + "/missing"))
        {
            Assert.Equal(404, (int)missing.StatusCode);
        }

        string text = Text(registry);
        Assert.Contains("# TYPE http_client_request_duration_seconds histogram\n", text);
        Assert.Contains("# TYPE http_client_active_requests gauge\n", text);
        Assert.Contains("# TYPE http_client_open_connections gauge\n", text);
        string port = $"server_port=\"{exporter.Port}\"";
        string ok = $"http_client_request_duration_seconds_count{{http_request_method=\"GET\",http_response_status_code=\"200\",network_protocol_version=\"1.1\",server_address=\"127.0.0.1\",{port},url_scheme=\"http\"}} 3";
        string notFound = $"http_client_request_duration_seconds_count{{error_type=\"404\",http_request_method=\"GET\",http_response_status_code=\"404\",network_protocol_version=\"1.1\",server_address=\"127.0.0.1\",{port},url_scheme=\"http\"}} 1";
        Assert.Contains(ok + "\n", text);
        Assert.Contains(notFound + "\n", text);

        // The buckets are the instrument's advice (0.005 s … 10 s), not the OpenTelemetry defaults.
        string[] bounds = Samples(text, "http_client_request_duration_seconds_bucket")
            .Where(line => line.Contains(port, StringComparison.Ordinal) && line.Contains("\"200\"", StringComparison.Ordinal))
            .Select(line => Regex.Match(line, "le=\"([^\"]+)\"").Groups[1].Value)
            .ToArray();
        Assert.Equal(new[] { "0.005", "0.01", "0.025", "0.05", "0.075", "0.1", "0.25", "0.5", "0.75", "1.0", "2.5", "5.0", "7.5", "10.0", "+Inf" }, bounds);
        Assert.Contains("# UNIT http_client_request_duration_seconds seconds\n", OpenMetrics(registry));
        Assert.Empty(warnings.All);
    }

    [Fact]
    public void TheRuntimeMeterIsBridgedWithOpenTelemetryNames()
    {
        var registry = new MetricRegistry();
        var warnings = new Warnings(registry);
        using IDisposable bridge = registry.AddMeters("System.Runtime");
        GC.Collect();

        string text = Text(registry);
        Assert.Contains("# TYPE dotnet_gc_collections_total counter\n", text);
        Assert.Matches(new Regex("\ndotnet_gc_collections_total\\{gc_heap_generation=\"gen2\"\\} [1-9][0-9]*\n"), text);
        Assert.Contains("# TYPE dotnet_gc_heap_total_allocated_bytes_total counter\n", text);
        Assert.Contains("# TYPE dotnet_process_memory_working_set_bytes gauge\n", text);
        Assert.Matches(new Regex("\ndotnet_process_cpu_time_seconds_total\\{cpu_mode=\"user\"\\} [0-9.e+-]+\n"), text);
        Assert.Matches(new Regex("\ndotnet_process_cpu_count [1-9][0-9]*\n"), text);
        Assert.Contains("# UNIT dotnet_gc_heap_total_allocated_bytes bytes\n", OpenMetrics(registry));
        Assert.Empty(warnings.All);
    }
}
