using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Threading.Tasks;
using MetricsGen.Runtime.Tests.Exporter;
using Xunit;

namespace MetricsGen.Runtime.Tests.Protobuf;

/// <summary>The exporter serves protobuf when a scraper names it with the best quality, as Prometheus does for native histograms.</summary>
public sealed class ProtobufExporterTests
{
    // What Prometheus 3 sends with scrape_native_histograms (PrometheusProto first), and what 2.x sends with
    // --enable-feature=native-histograms.
    private const string Prometheus3NativeAccept =
        "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6,application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1";

    private const string Prometheus2NativeAccept =
        "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    [Theory]
    [InlineData(Prometheus3NativeAccept, false)]
    [InlineData(Prometheus2NativeAccept, true)]
    public async Task ProtobufIsServedWhenNamedFirst(string accept, bool gzip)
    {
        await using var server = new TestServer();
        string[] headers = gzip ? new[] { "Accept: " + accept, "Accept-Encoding: gzip" } : new[] { "Accept: " + accept };
        RawResponse response = await server.GetAsync("/metrics", headers);

        Assert.Equal(200, response.Status);
        Assert.Equal(ExpositionFormats.ProtobufContentType, response.Header("Content-Type"));
        byte[] body = response.Body;
        if (gzip)
        {
            Assert.Equal("gzip", response.Header("Content-Encoding"));
            using var unzip = new GZipStream(new MemoryStream(body), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            unzip.CopyTo(plain);
            body = plain.ToArray();
        }

        var families = WireMessage.ReadDelimited(body);
        Assert.Contains(families, family => family.String(1) == "test_requests_total" && family.Varint(3) == 0);
        Assert.Equal(ExpositionFormat.Protobuf, server.Exporter.LastServedFormat);
    }

    [Theory]
    [InlineData("application/vnd.google.protobuf")]
    [InlineData("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=text")]
    [InlineData("application/*")]
    [InlineData("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.1,text/plain;version=0.0.4;q=0.5")]
    public async Task ProtobufIsNeverAGuess(string accept)
    {
        await using var server = new TestServer();
        RawResponse response = await server.GetAsync("/metrics", "Accept: " + accept);
        Assert.NotEqual(ExpositionFormats.ProtobufContentType, response.Header("Content-Type"));
    }

    [Fact]
    public async Task NameFiltersApplyToProtobuf()
    {
        await using var server = new TestServer();
        RawResponse response = await server.GetAsync("/metrics?name[]=test_requests_total", "Accept: " + Prometheus3NativeAccept);
        var families = WireMessage.ReadDelimited(response.Body);
        Assert.Equal(new[] { "test_requests_total" }, families.Select(family => family.String(1)).ToArray());
    }
}
