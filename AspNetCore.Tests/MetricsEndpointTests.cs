using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace MetricsGen.AspNetCore.Tests;

/// <summary>MapMetrics on a real Kestrel loopback port: the standalone exporter's semantics.</summary>
public sealed class MetricsEndpointTests
{
    // The Accept headers real Prometheus servers send (see the shared notes).
    private const string Prometheus2Accept =
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
    private const string Prometheus3Accept =
        "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1";

    private sealed class Server : IAsyncDisposable
    {
        public required WebApplication App { get; init; }

        public required HttpClient Client { get; init; }

        public required ShopMetrics Shop { get; init; }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }

    private static async Task<Server> StartAsync(MetricRegistry registry, Action<MetricsEndpointOptions>? configure = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton(registry);
        builder.Services.AddMetricSource<ShopMetrics>();
        WebApplication app = builder.Build();
        if (configure is null)
        {
            app.MapMetrics();
        }
        else
        {
            app.MapMetrics("/metrics", configure);
        }

        await app.StartAsync();
        var client = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None })
        {
            BaseAddress = new Uri(app.Urls.Single()),
        };
        ShopMetrics shop = app.Services.GetRequiredService<ShopMetrics>();
        shop.Greetings(Tier.Free).Inc(3);
        return new Server { App = app, Client = client, Shop = shop };
    }

    private static async Task<HttpResponseMessage> GetAsync(Server server, string path, string? accept = null, string? acceptEncoding = null, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        if (acceptEncoding is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        }

        return await server.Client.SendAsync(request);
    }

    [Theory]
    [InlineData(Prometheus2Accept, ExpositionFormats.OpenMetricsContentType)]
    [InlineData(Prometheus3Accept, ExpositionFormats.OpenMetricsContentType)]
    [InlineData(null, ExpositionFormats.PrometheusTextContentType)]
    [InlineData("text/plain", ExpositionFormats.PrometheusTextContentType)]
    [InlineData("application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4", ExpositionFormats.PrometheusTextContentType)]
    [InlineData("application/openmetrics-text; version=2.0.0", ExpositionFormats.PrometheusTextContentType)]
    public async Task NegotiatesTheFormatByQValues(string? accept, string expectedContentType)
    {
        await using Server server = await StartAsync(new MetricRegistry());
        using HttpResponseMessage response = await GetAsync(server, "/metrics", accept);
        string body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expectedContentType, response.Content.Headers.ContentType!.ToString());
        Assert.Equal(Encoding.UTF8.GetByteCount(body), response.Content.Headers.ContentLength);
        if (expectedContentType == ExpositionFormats.OpenMetricsContentType)
        {
            Assert.EndsWith("# EOF\n", body, StringComparison.Ordinal);
            Assert.Contains("shop_greetings_total{tier=\"free\"} 3\n", body, StringComparison.Ordinal);
        }
        else
        {
            Assert.DoesNotContain("# EOF", body, StringComparison.Ordinal);
            Assert.Contains("shop_greetings_total{tier=\"free\"} 3\n", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ServesProtobufWhenTheScraperNamesItFirst()
    {
        var registry = new MetricRegistry();
        await using Server server = await StartAsync(registry);
        using HttpResponseMessage response = await GetAsync(server, "/metrics",
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6,application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.2");
        byte[] body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(ExpositionFormats.ProtobufContentType, response.Content.Headers.ContentType!.ToString());
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);

        // Delimited MetricFamily messages: the first byte is a varint length, the message starts with field 1 (name).
        Assert.True(body.Length > 2);
        Assert.Equal(0x0A, body[body[0] < 0x80 ? 1 : 2]);
        Assert.Contains("shop_greetings_total", Encoding.UTF8.GetString(body), StringComparison.Ordinal);
        Assert.Equal(1, Exposition.Value(registry.GenerateLatest(), "metricsgen_aspnetcore_scrapes_total", "format=\"protobuf\""));
    }

    [Fact]
    public async Task CountsScrapesByNegotiatedFormat()
    {
        var registry = new MetricRegistry();
        await using Server server = await StartAsync(registry);
        (await GetAsync(server, "/metrics", Prometheus3Accept)).Dispose();
        (await GetAsync(server, "/metrics", Prometheus2Accept)).Dispose();
        (await GetAsync(server, "/metrics")).Dispose();

        string text = registry.GenerateLatest();
        Assert.Equal(2, Exposition.Value(text, "metricsgen_aspnetcore_scrapes_total", "format=\"openmetrics\""));
        Assert.Equal(1, Exposition.Value(text, "metricsgen_aspnetcore_scrapes_total", "format=\"text\""));
    }

    [Fact]
    public async Task GzipsWhenAskedAndSaysVary()
    {
        await using Server server = await StartAsync(new MetricRegistry());
        using HttpResponseMessage plain = await GetAsync(server, "/metrics?name[]=shop_greetings_total");
        using HttpResponseMessage zipped = await GetAsync(server, "/metrics?name[]=shop_greetings_total", acceptEncoding: "gzip");
        using HttpResponseMessage refused = await GetAsync(server, "/metrics?name[]=shop_greetings_total", acceptEncoding: "gzip;q=0, identity");

        byte[] compressed = await zipped.Content.ReadAsByteArrayAsync();
        Assert.Equal(new[] { "gzip" }, zipped.Content.Headers.ContentEncoding);
        Assert.Equal(compressed.Length, zipped.Content.Headers.ContentLength);
        using var gunzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var reader = new StreamReader(gunzip, Encoding.UTF8);
        Assert.Equal(await plain.Content.ReadAsStringAsync(), await reader.ReadToEndAsync());
        Assert.Empty(plain.Content.Headers.ContentEncoding);
        Assert.Empty(refused.Content.Headers.ContentEncoding);
        foreach (HttpResponseMessage response in new[] { plain, zipped, refused })
        {
            Assert.Equal(new[] { "Accept", "Accept-Encoding" }, response.Headers.Vary);
        }
    }

    [Fact]
    public async Task HeadAnswersTheHeadersWithoutABody()
    {
        await using Server server = await StartAsync(new MetricRegistry());
        using HttpResponseMessage head = await GetAsync(server, "/metrics?name[]=shop_greetings_total", Prometheus2Accept, method: HttpMethod.Head);
        using HttpResponseMessage get = await GetAsync(server, "/metrics?name[]=shop_greetings_total", Prometheus2Accept);

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(ExpositionFormats.OpenMetricsContentType, head.Content.Headers.ContentType!.ToString());
        Assert.Equal(get.Content.Headers.ContentLength, head.Content.Headers.ContentLength);
        Assert.True(head.Content.Headers.ContentLength > 0);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task OtherMethodsAreRefused()
    {
        await using Server server = await StartAsync(new MetricRegistry());
        using HttpResponseMessage post = await server.Client.PostAsync("/metrics", new StringContent("x"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }

    [Fact]
    public async Task NameFiltersRestrictTheFamilies()
    {
        var registry = new MetricRegistry();
        await using Server server = await StartAsync(registry);
        (await GetAsync(server, "/metrics")).Dispose();
        using HttpResponseMessage one = await GetAsync(server, "/metrics?name[]=shop_greetings_total");
        using HttpResponseMessage encoded = await GetAsync(server, "/metrics?name%5B%5D=metricsgen_aspnetcore_scrapes_total&name[]=shop_greetings_total");
        string oneBody = await one.Content.ReadAsStringAsync();
        string bothBody = await encoded.Content.ReadAsStringAsync();

        Assert.Contains("shop_greetings_total{tier=\"free\"} 3", oneBody, StringComparison.Ordinal);
        Assert.DoesNotContain("metricsgen_aspnetcore_scrapes_total", oneBody, StringComparison.Ordinal);
        Assert.Contains("shop_greetings_total{tier=\"free\"} 3", bothBody, StringComparison.Ordinal);
        Assert.Contains("metricsgen_aspnetcore_scrapes_total{format=\"text\"}", bothBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailingSourceGets500NamingItAndNoPartialBody()
    {
        var registry = new MetricRegistry();
        var errors = new List<Exception>();
        await using Server server = await StartAsync(registry, options => options.OnError = errors.Add);
        var failing = new FailingSource();
        registry.Register(failing);

        using HttpResponseMessage response = await GetAsync(server, "/metrics", Prometheus2Accept);
        string body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("Metric source 'FailingSource' failed during collection.\n", body);
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        MetricCollectionException failure = Assert.IsType<MetricCollectionException>(Assert.Single(errors));
        Assert.Equal("FailingSource", failure.SourceName);

        // The sources before the failing one were written into the buffer, never onto the wire.
        Assert.DoesNotContain("shop_greetings_total", body, StringComparison.Ordinal);
        // A failed scrape is not counted as served.
        registry.Unregister(failing);
        Assert.Equal(0, Exposition.Value(registry.GenerateLatest(), "metricsgen_aspnetcore_scrapes_total", "format=\"openmetrics\""));
    }

    [Fact]
    public async Task AFailureReachesRegistryWarningAndOnErrorOnceEach()
    {
        var registry = new MetricRegistry();
        var errors = new List<Exception>();
        var warnings = new List<Exception>();
        registry.Warning += warnings.Add;
        await using Server server = await StartAsync(registry, options => options.OnError = errors.Add);
        registry.Register(new FailingSource());

        using HttpResponseMessage response = await GetAsync(server, "/metrics", null);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);

        // OnError is a subscription to the registry's one stream: the same exception, once in each.
        Exception reported = Assert.Single(warnings);
        Assert.IsType<MetricCollectionException>(reported);
        Assert.Same(reported, Assert.Single(errors));
    }

    [Fact]
    public async Task ScrapesBeyondTheConcurrencyLimitGet503()
    {
        var registry = new MetricRegistry();
        await using Server server = await StartAsync(registry, options => options.MaxConcurrentScrapes = 1);
        var blocking = new BlockingSource();
        registry.Register(blocking);

        Task<HttpResponseMessage> first = GetAsync(server, "/metrics");
        Assert.True(blocking.Entered.Wait(TimeSpan.FromSeconds(30)), "the first scrape never reached the blocking source");
        using HttpResponseMessage second = await GetAsync(server, "/metrics");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.Equal("Too many concurrent scrapes; try again later.\n", await second.Content.ReadAsStringAsync());

        blocking.Release.Set();
        using HttpResponseMessage firstResponse = await first;
        Assert.Equal(HttpStatusCode.OK, firstResponse.StatusCode);

        // The slot is free again once the first scrape ended.
        using HttpResponseMessage third = await GetAsync(server, "/metrics");
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
    }

    [Fact]
    public async Task TheConventionBuilderIsReturned()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton(new MetricRegistry());
        await using WebApplication app = builder.Build();
        app.MapMetrics("/internal/metrics").RequireHost("metrics.invalid");
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/internal/metrics")).StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/internal/metrics");
        request.Headers.Host = "metrics.invalid";
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
        await app.StopAsync();
    }
}
