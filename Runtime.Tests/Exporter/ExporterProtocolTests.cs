using System;
using System.Threading.Tasks;
using Xunit;

namespace MetricsGen.Runtime.Tests.Exporter;

public class ExporterProtocolTests
{
    private const string Prometheus2Accept =
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    private const string Prometheus3Accept =
        "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1";

    [Fact]
    public async Task GetServesTheTextFormatByDefault()
    {
        await using var server = new TestServer();
        RawResponse response = await server.GetAsync();

        Assert.Equal(200, response.Status);
        Assert.Equal(ExpositionFormats.PrometheusTextContentType, response.Header("Content-Type"));
        Assert.Equal("Accept, Accept-Encoding", response.Header("Vary"));
        Assert.Equal(response.Body.Length.ToString(), response.Header("Content-Length"));
        Assert.NotNull(response.Header("Date"));
        Assert.Null(response.Header("Content-Encoding"));
        // The exporter counts the scrape after serving it.
        string expected = server.Registry.GenerateLatest().Replace("{format=\"text\"} 1\n", "{format=\"text\"} 0\n");
        Assert.Equal(expected, response.Text);
        Assert.Contains("test_temperature_celsius{room=\"room-000000\"} 21.5\n", response.Text);
        Assert.Equal(ExpositionFormat.PrometheusText, server.Exporter.LastServedFormat);
    }

    [Theory]
    [InlineData(Prometheus2Accept)]
    [InlineData(Prometheus3Accept)]
    [InlineData("application/openmetrics-text")]
    [InlineData("application/openmetrics-text; version=0.0.1")]
    public async Task PrometheusAcceptHeadersGetOpenMetrics(string accept)
    {
        await using var server = new TestServer();
        RawResponse response = await server.GetAsync("/metrics", "Accept: " + accept);

        Assert.Equal(200, response.Status);
        Assert.Equal(ExpositionFormats.OpenMetricsContentType, response.Header("Content-Type"));
        Assert.EndsWith("# EOF\n", response.Text);
        Assert.Contains("# TYPE test_requests counter\n", response.Text);
        Assert.Equal(ExpositionFormat.OpenMetrics, server.Exporter.LastServedFormat);
    }

    [Theory]
    [InlineData("text/plain;version=0.0.4")]
    [InlineData("*/*")]
    [InlineData("application/openmetrics-text;version=1.0.0;q=0.2,text/plain;q=0.9")]
    [InlineData("application/openmetrics-text;version=2.0.0")]
    [InlineData("application/json")]
    public async Task OtherAcceptHeadersGetText(string accept)
    {
        await using var server = new TestServer();
        RawResponse response = await server.GetAsync("/metrics", "Accept: " + accept);

        Assert.Equal(200, response.Status);
        Assert.Equal(ExpositionFormats.PrometheusTextContentType, response.Header("Content-Type"));
        Assert.DoesNotContain("# EOF", response.Text);
    }

    [Theory]
    [InlineData("gzip", true)]
    [InlineData("deflate, gzip;q=0.5", true)]
    [InlineData("*", true)]
    [InlineData("gzip;q=0", false)]
    [InlineData("gzip;q=0, *", false)]
    [InlineData("identity", false)]
    [InlineData("br, *;q=0", false)]
    public async Task GzipFollowsAcceptEncoding(string acceptEncoding, bool gzip)
    {
        await using var server = new TestServer(source: new TestSource(gaugeSeries: 200));
        string plain = (await server.GetAsync()).Text;
        RawResponse response = await server.GetAsync("/metrics", "Accept-Encoding: " + acceptEncoding);

        Assert.Equal(200, response.Status);
        Assert.Equal("Accept, Accept-Encoding", response.Header("Vary"));
        if (gzip)
        {
            Assert.Equal("gzip", response.Header("Content-Encoding"));
            Assert.True(response.Body.Length < plain.Length);
            Assert.Equal(Gzip.WithoutExporterCounter(plain), Gzip.WithoutExporterCounter(System.Text.Encoding.UTF8.GetString(Gzip.Decompress(response.Body))));
        }
        else
        {
            Assert.Null(response.Header("Content-Encoding"));
            Assert.Equal(Gzip.WithoutExporterCounter(plain), Gzip.WithoutExporterCounter(response.Text));
        }
    }

    [Fact]
    public async Task GzippedOpenMetricsDecompressesToTheSameExposition()
    {
        await using var server = new TestServer();
        string plain = (await server.GetAsync("/metrics", "Accept: " + Prometheus3Accept)).Text;
        RawResponse response = await server.GetAsync("/metrics", "Accept: " + Prometheus3Accept, "Accept-Encoding: gzip");

        Assert.Equal("gzip", response.Header("Content-Encoding"));
        Assert.Equal(ExpositionFormats.OpenMetricsContentType, response.Header("Content-Type"));
        Assert.Equal(Gzip.WithoutExporterCounter(plain), Gzip.WithoutExporterCounter(System.Text.Encoding.UTF8.GetString(Gzip.Decompress(response.Body))));
    }

    [Fact]
    public async Task HeadHasContentLengthButNoBody()
    {
        await using var server = new TestServer();
        using RawClient client = await server.ConnectAsync();
        RawResponse get = await client.RoundTripAsync(RawClient.Request("GET", "/metrics"));
        RawResponse head = await client.RoundTripAsync(RawClient.Request("HEAD", "/metrics"), head: true);

        Assert.Equal(200, head.Status);
        Assert.Equal(get.Header("Content-Length"), head.Header("Content-Length"));
        Assert.Equal(get.Header("Content-Type"), head.Header("Content-Type"));

        // Had the HEAD response carried a body, it would be read here as the next status line.
        RawResponse after = await client.RoundTripAsync(RawClient.Request("GET", "/metrics"));
        Assert.Equal(200, after.Status);
        Assert.Equal(get.Body.Length, after.Body.Length);
    }

    [Theory]
    [InlineData("/metrics")]
    [InlineData("*")]
    public async Task OptionsListsTheAllowedMethods(string target)
    {
        await using var server = new TestServer();
        using RawClient client = await server.ConnectAsync();
        RawResponse response = await client.RoundTripAsync(RawClient.Request("OPTIONS", target));

        Assert.Equal(200, response.Status);
        Assert.Equal("GET, HEAD, OPTIONS", response.Header("Allow"));
        Assert.Equal("0", response.Header("Content-Length"));
        Assert.Equal(200, (await client.RoundTripAsync(RawClient.Request("GET", "/metrics"))).Status);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    [InlineData("get")]
    public async Task OtherMethodsGet405WithAllow(string method)
    {
        await using var server = new TestServer();
        using RawClient client = await server.ConnectAsync();
        RawResponse response = await client.RoundTripAsync(RawClient.Request(method, "/metrics"));

        Assert.Equal(405, response.Status);
        Assert.Equal("GET, HEAD, OPTIONS", response.Header("Allow"));
        Assert.Equal(response.Body.Length.ToString(), response.Header("Content-Length"));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/metrics/")]
    [InlineData("/Metrics")]
    [InlineData("/favicon.ico")]
    [InlineData("/metricsx?name[]=a")]
    public async Task OtherPathsGet404(string target)
    {
        await using var server = new TestServer();
        RawResponse response = await server.GetAsync(target);

        Assert.Equal(404, response.Status);
        Assert.StartsWith("text/plain", response.Header("Content-Type"));
        Assert.Contains("/metrics", response.Text);
    }

    [Fact]
    public async Task ConfiguredPathIsServed()
    {
        await using var server = new TestServer(o => o.Path = "/prometheus/scrape");
        Assert.Equal(200, (await server.GetAsync("/prometheus/scrape")).Status);
        Assert.Equal(404, (await server.GetAsync("/metrics")).Status);
    }

    [Fact]
    public async Task AbsoluteFormTargetIsAccepted()
    {
        await using var server = new TestServer();
        RawResponse response = await server.GetAsync("http://127.0.0.1/metrics?x=1");
        Assert.Equal(200, response.Status);
    }

    [Theory]
    [InlineData("/metrics?name[]=test_requests_total", true, false)]
    [InlineData("/metrics?name%5B%5D=test_requests_total", true, false)]
    [InlineData("/metrics?name[]=test_temperature_celsius", false, true)]
    [InlineData("/metrics?name[]=test_temperature_celsius&name[]=test_requests_total", true, true)]
    [InlineData("/metrics?name%5b%5d=test_temperature_celsius&other=1", false, true)]
    [InlineData("/metrics?name[]=nothing_here", false, false)]
    [InlineData("/metrics?unrelated=1", true, true)]
    public async Task NameParametersRestrictTheFamilies(string target, bool requests, bool temperature)
    {
        await using var server = new TestServer();
        RawResponse response = await server.GetAsync(target);

        Assert.Equal(200, response.Status);
        Assert.Equal(requests, response.Text.Contains("test_requests_total 7\n"));
        Assert.Equal(temperature, response.Text.Contains("test_temperature_celsius{"));
    }

    [Fact]
    public async Task KeepAliveServesManyRequestsOnOneConnection()
    {
        await using var server = new TestServer();
        using RawClient client = await server.ConnectAsync();
        for (int i = 0; i < 5; i++)
        {
            RawResponse response = await client.RoundTripAsync(RawClient.Request("GET", "/metrics"));
            Assert.Equal(200, response.Status);
            Assert.Null(response.Header("Connection"));
        }

        Assert.False(await client.IsClosedAsync(TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public async Task PipelinedRequestsAreAnsweredInOrder()
    {
        await using var server = new TestServer();
        using RawClient client = await server.ConnectAsync();
        await client.SendAsync(RawClient.Request("GET", "/nope") + RawClient.Request("GET", "/metrics") + RawClient.Request("OPTIONS", "/metrics"));

        Assert.Equal(404, (await client.ReadResponseAsync()).Status);
        Assert.Equal(200, (await client.ReadResponseAsync()).Status);
        Assert.Equal("GET, HEAD, OPTIONS", (await client.ReadResponseAsync()).Header("Allow"));
    }

    [Fact]
    public async Task ConnectionCloseIsHonoured()
    {
        await using var server = new TestServer();
        using RawClient client = await server.ConnectAsync();
        RawResponse response = await client.RoundTripAsync(RawClient.Request("GET", "/metrics", "Connection: close"));

        Assert.Equal(200, response.Status);
        Assert.Equal("close", response.Header("Connection"));
        Assert.True(await client.IsClosedAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Http10ClosesUnlessKeepAliveIsAsked()
    {
        await using var server = new TestServer();
        using (RawClient client = await server.ConnectAsync())
        {
            RawResponse response = await client.RoundTripAsync("GET /metrics HTTP/1.0\r\n\r\n");
            Assert.Equal(200, response.Status);
            Assert.Equal("close", response.Header("Connection"));
            Assert.True(await client.IsClosedAsync(TimeSpan.FromSeconds(5)));
        }

        using (RawClient client = await server.ConnectAsync())
        {
            RawResponse response = await client.RoundTripAsync("GET /metrics HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            Assert.Equal(200, response.Status);
            Assert.Equal("keep-alive", response.Header("Connection"));
            Assert.Equal(200, (await client.RoundTripAsync("GET /metrics HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")).Status);
            Assert.False(await client.IsClosedAsync(TimeSpan.FromMilliseconds(100)));
        }
    }

    [Fact]
    public async Task ContentLengthZeroIsNotABody()
    {
        await using var server = new TestServer();
        using RawClient client = await server.ConnectAsync();
        Assert.Equal(200, (await client.RoundTripAsync(RawClient.Request("GET", "/metrics", "Content-Length: 0"))).Status);
        Assert.Equal(200, (await client.RoundTripAsync(RawClient.Request("GET", "/metrics"))).Status);
    }

    [Fact]
    public async Task FailingSourceGets500NamingItAndTheNextScrapeWorks()
    {
        await using var server = new TestServer();
        server.Source.SourceName = "CheckoutMetrics";
        server.Source.Throw = true;
        using RawClient client = await server.ConnectAsync();
        RawResponse failed = await client.RoundTripAsync(RawClient.Request("GET", "/metrics"));

        Assert.Equal(500, failed.Status);
        Assert.StartsWith("text/plain", failed.Header("Content-Type"));
        Assert.Contains("CheckoutMetrics", failed.Text);
        Assert.DoesNotContain("# HELP", failed.Text);
        var reported = Assert.IsType<MetricCollectionException>(Assert.Single(server.Errors.Snapshot()));
        Assert.Equal("CheckoutMetrics", reported.SourceName);

        server.Source.Throw = false;
        RawResponse next = await client.RoundTripAsync(RawClient.Request("GET", "/metrics"));
        Assert.Equal(200, next.Status);
        Assert.Contains("test_requests_total 7", next.Text);
    }

    [Fact]
    public async Task FailingSourceInAGzipScrapeGets500Uncompressed()
    {
        await using var server = new TestServer();
        server.Source.Throw = true;
        RawResponse failed = await server.GetAsync("/metrics", "Accept-Encoding: gzip");
        Assert.Equal(500, failed.Status);
        Assert.Null(failed.Header("Content-Encoding"));
        Assert.Contains("TestSource", failed.Text);
    }

    [Fact]
    public async Task ExporterCountsScrapesByFormat()
    {
        await using var server = new TestServer();
        await server.GetAsync("/metrics", "Accept: " + Prometheus2Accept);
        await server.GetAsync("/metrics", "Accept: " + Prometheus3Accept);
        RawResponse text = await server.GetAsync();

        Assert.Contains("metricsgen_exporter_scrapes_total{format=\"openmetrics\"} 2\n", text.Text);
        Assert.Contains("metricsgen_exporter_scrapes_total{format=\"text\"} 0\n", text.Text);
        Assert.Equal(ExpositionFormat.PrometheusText, server.Exporter.LastServedFormat);
    }

    [Fact]
    public async Task ThrowingErrorCallbackDoesNotBreakTheServer()
    {
        await using var server = new TestServer(o => o.OnError = _ => throw new InvalidOperationException("callback"));
        server.Source.Throw = true;
        Assert.Equal(500, (await server.GetAsync()).Status);
        server.Source.Throw = false;
        Assert.Equal(200, (await server.GetAsync()).Status);
    }
}
