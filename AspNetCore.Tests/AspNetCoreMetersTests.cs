using System;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using MetricsGen.AspNetCore;
using Xunit;

namespace MetricsGen.AspNetCore.Tests;

/// <summary>
/// ASP.NET Core's own meters on real Kestrel: exposed with no line of the app's, the Hosting meter's two instruments
/// recorded once (by UseHttpMetrics), and the opt-out.
/// </summary>
public sealed class AspNetCoreMetersTests
{
    private static async Task<(WebApplication App, string BaseUrl, int Port)> StartAsync(MetricRegistry registry, Action<WebApplicationBuilder>? configure = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton(registry);
        configure?.Invoke(builder);
        WebApplication app = builder.Build();

        // The README's minimal web app, and nothing else of MetricsGen's.
        app.UseHttpMetrics();
        app.MapGet("/hello/{name}", (string name) => "hi " + name);
        app.MapMetrics();
        await app.StartAsync();
        string url = app.Urls.Single();
        return (app, url, new Uri(url).Port);
    }

    // Each request on a connection of its own, closed after the response, as a browser-less client would.
    private static async Task GetOnNewConnectionAsync(HttpClient client, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.ConnectionClose = true;
        using HttpResponseMessage response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    private static double Sum(string text, string sample, string labelFragment) =>
        Exposition.Lines(text, sample, labelFragment).Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public async Task KestrelAndRoutingMetersAreExposedAndRequestsAreRecordedOnce()
    {
        var registry = new MetricRegistry();
        var (app, url, port) = await StartAsync(registry);
        await using (app)
        {
            using var client = new HttpClient();
            for (int i = 0; i < 3; i++)
            {
                await GetOnNewConnectionAsync(client, url + "/hello/n" + i);
            }

            // Kestrel records a connection's duration when it has closed the connection, just after the response.
            string portLabel = $"server_port=\"{port}\"";
            string text = registry.GenerateLatest();
            var deadline = Stopwatch.StartNew();
            while (Sum(text, "kestrel_connection_duration_seconds_count", portLabel) < 3 && deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(20);
                text = registry.GenerateLatest();
            }

            Assert.Equal(3, Sum(text, "kestrel_connection_duration_seconds_count", portLabel));
            Assert.Contains("# TYPE kestrel_connection_duration_seconds histogram\n", text);
            Assert.Contains("# TYPE kestrel_active_connections gauge\n", text);
            Assert.Contains("# TYPE kestrel_queued_connections gauge\n", text);
            Assert.NotEmpty(Exposition.Lines(text, "kestrel_active_connections", portLabel));
            Assert.NotEmpty(Exposition.Lines(text, "kestrel_queued_connections", portLabel));
            Assert.True(Sum(text, "aspnetcore_routing_match_attempts_total", "match_status=\"success\"") >= 3);

            // The Hosting meter is not bridged: UseHttpMetrics' families are the only ones, and count each request once.
            Assert.Single(Regex.Matches(text, "# TYPE http_server_request_duration_seconds "));
            Assert.Single(Regex.Matches(text, "# TYPE http_server_active_requests "));
            Assert.Equal(3, Exposition.Value(text, "http_server_request_duration_seconds_count", "http_route=\"/hello/{name}\""));
            Assert.Contains(registry.Sources, source => source.SourceName.StartsWith("meters(Microsoft.AspNetCore.*,!Microsoft.AspNetCore.Hosting)", StringComparison.Ordinal));

            // Served by MapMetrics too, in OpenTelemetry's names.
            string scraped = await client.GetStringAsync(url + "/metrics");
            Assert.Contains("\nkestrel_active_connections{", scraped);
        }
    }

    [Fact]
    public async Task TheBridgeCanBeTurnedOffAndItsMeterListChanged()
    {
        var off = new MetricRegistry();
        var (app, url, _) = await StartAsync(off, b => b.Services.Configure<AspNetCoreMetersOptions>(o => o.Enabled = false));
        await using (app)
        {
            using var client = new HttpClient();
            await GetOnNewConnectionAsync(client, url + "/hello/x");
            string text = off.GenerateLatest();
            Assert.DoesNotContain("kestrel_", text);
            Assert.DoesNotContain("aspnetcore_routing", text);
            Assert.Equal(1, Exposition.Value(text, "http_server_request_duration_seconds_count", "http_route=\"/hello/{name}\""));
        }

        var kestrelOnly = new MetricRegistry();
        var (other, otherUrl, otherPort) = await StartAsync(kestrelOnly, b => b.Services.Configure<AspNetCoreMetersOptions>(o =>
        {
            o.Meters.Clear();
            o.Meters.Add("Microsoft.AspNetCore.Server.Kestrel");
        }));
        await using (other)
        {
            using var client = new HttpClient();
            await GetOnNewConnectionAsync(client, otherUrl + "/hello/y");
            string text = kestrelOnly.GenerateLatest();
            Assert.NotEmpty(Exposition.Lines(text, "kestrel_active_connections", $"server_port=\"{otherPort}\""));
            Assert.DoesNotContain("aspnetcore_routing", text);
        }
    }

    [Fact]
    public async Task AWebAppServingMetricsElsewhereGetsTheMetersAtHostStart()
    {
        var registry = new MetricRegistry();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton(registry);
        builder.Services.AddMetricSource<ShopMetrics>();
        WebApplication app = builder.Build();
        app.MapGet("/", () => "ok");
        await app.StartAsync();
        await using (app)
        {
            int port = new Uri(app.Urls.Single()).Port;
            using var client = new HttpClient();
            await GetOnNewConnectionAsync(client, app.Urls.Single() + "/");
            Assert.NotEmpty(Exposition.Lines(registry.GenerateLatest(), "kestrel_active_connections", $"server_port=\"{port}\""));
        }
    }
}
