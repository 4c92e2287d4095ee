using System;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace MetricsGen.AspNetCore.Tests;

/// <summary>UseHttpMetrics on a TestServer: the label set, the exclusions and the active-requests gauge.</summary>
public sealed class HttpMetricsTests
{
    private const string Duration = "http_server_request_duration_seconds_count";
    private const string Active = "http_server_active_requests";

    private static async Task<(WebApplication App, HttpClient Client)> StartAsync(
        MetricRegistry registry, Action<WebApplication> map, Action<HttpMetricsOptions>? configure = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton(registry);
        WebApplication app = builder.Build();
        if (configure is null)
        {
            app.UseHttpMetrics();
        }
        else
        {
            app.UseHttpMetrics(configure);
        }

        map(app);
        await app.StartAsync();
        return (app, app.GetTestClient());
    }

    [Fact]
    public async Task TheRouteLabelIsTheTemplateNeverThePath()
    {
        var registry = new MetricRegistry();
        var (app, client) = await StartAsync(registry, a => a.MapGet("/hello/{name}", (string name) => "hi " + name));
        await using (app)
        {
            Assert.Equal("hi bob", await client.GetStringAsync("/hello/bob"));
            Assert.Equal("hi alice", await client.GetStringAsync("/hello/alice"));

            string text = registry.GenerateLatest();
            Assert.Equal(2, Exposition.Value(text, Duration,
                "http_request_method=\"GET\"", "http_response_status_code=\"200\"", "http_route=\"/hello/{name}\"", "url_scheme=\"http\"", "error_type=\"\""));
            Assert.DoesNotContain("/hello/bob", text, StringComparison.Ordinal);
            Assert.DoesNotContain("/hello/alice", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AnUnknownMethodIsOtherAndAnUnmatchedRouteIsEmpty()
    {
        var registry = new MetricRegistry();
        var (app, client) = await StartAsync(registry, a => a.MapGet("/hello/{name}", (string name) => "hi " + name));
        await using (app)
        {
            using var custom = new HttpRequestMessage(new HttpMethod("BREW"), "/coffee");
            Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(custom)).StatusCode);
            using var lower = new HttpRequestMessage(new HttpMethod("get"), "/nowhere/at/all");
            await client.SendAsync(lower);

            string text = registry.GenerateLatest();
            Assert.Equal(2, Exposition.Value(text, Duration, "http_request_method=\"_OTHER\"", "http_response_status_code=\"404\"", "http_route=\"\""));
            Assert.DoesNotContain("BREW", text, StringComparison.Ordinal);
            Assert.DoesNotContain("http_request_method=\"get\"", text, StringComparison.Ordinal);
            Assert.DoesNotContain("/coffee", text, StringComparison.Ordinal);
            Assert.DoesNotContain("/nowhere", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TheMetricsEndpointIsNotRecordedByDefault()
    {
        var registry = new MetricRegistry();
        var (app, client) = await StartAsync(registry, a =>
        {
            a.MapGet("/ping", () => "pong");
            a.MapMetrics();
        });
        await using (app)
        {
            await client.GetStringAsync("/ping");
            string scraped = await client.GetStringAsync("/metrics");
            await client.GetStringAsync("/metrics");

            string text = registry.GenerateLatest();
            Assert.Equal(1, Exposition.Value(text, Duration, "http_route=\"/ping\""));
            Assert.Empty(Exposition.Lines(text, Duration, "http_route=\"/metrics\""));
            Assert.Contains("http_route=\"/ping\"", scraped, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TheMetricsEndpointIsRecordedWhenTheOptionSaysSo()
    {
        var registry = new MetricRegistry();
        var (app, client) = await StartAsync(registry, a => a.MapMetrics(), options => options.RecordMetricsEndpoint = true);
        await using (app)
        {
            await client.GetStringAsync("/metrics");
            await client.GetStringAsync("/metrics");

            Assert.Equal(2, Exposition.Value(registry.GenerateLatest(), Duration, "http_route=\"/metrics\"", "http_response_status_code=\"200\""));
        }
    }

    [Fact]
    public async Task ActiveRequestsGoUpWhileARequestRunsAndBackDown()
    {
        var registry = new MetricRegistry();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (app, client) = await StartAsync(registry, a => a.MapPost("/slow", async () =>
        {
            entered.SetResult();
            await release.Task;
            return "done";
        }));
        await using (app)
        {
            Task<HttpResponseMessage> pending = client.PostAsync("/slow", null);
            await entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(1, Exposition.Value(registry.GenerateLatest(), Active, "http_request_method=\"POST\"", "url_scheme=\"http\""));

            release.SetResult();
            Assert.Equal(HttpStatusCode.OK, (await pending).StatusCode);
            string text = registry.GenerateLatest();
            Assert.Equal(0, Exposition.Value(text, Active, "http_request_method=\"POST\""));
            Assert.Equal(1, Exposition.Value(text, Duration, "http_request_method=\"POST\"", "http_route=\"/slow\""));
        }
    }

    [Fact]
    public async Task AnUnhandledExceptionIsRecordedAs500WithItsType()
    {
        var registry = new MetricRegistry();
        var (app, client) = await StartAsync(registry, a =>
        {
            a.MapGet("/boom/{id:int}", (int id) => id > 0 ? throw new InvalidOperationException("boom") : "never");
            a.MapGet("/boom-async", async context =>
            {
                await Task.Yield();
                throw new TimeoutException("late");
            });
        });
        await using (app)
        {
            // TestServer rethrows what escapes the pipeline to the client; the server would answer 500.
            await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetAsync("/boom/7"));
            await Assert.ThrowsAsync<TimeoutException>(() => client.GetAsync("/boom-async"));

            string text = registry.GenerateLatest();
            Assert.Equal(1, Exposition.Value(text, Duration,
                "http_response_status_code=\"500\"", "http_route=\"/boom/{id:int}\"", "error_type=\"System.InvalidOperationException\""));
            Assert.Equal(1, Exposition.Value(text, Duration,
                "http_response_status_code=\"500\"", "http_route=\"/boom-async\"", "error_type=\"System.TimeoutException\""));
            Assert.Equal(0, Exposition.Value(text, Active, "http_request_method=\"GET\""));
        }
    }

    [Fact]
    public async Task DisableHttpMetricsOptsAnEndpointOut()
    {
        var registry = new MetricRegistry();
        var (app, client) = await StartAsync(registry, a =>
        {
            a.MapGet("/health", () => "ok").DisableHttpMetrics();
            a.MapGet("/work", () => "done");
        });
        await using (app)
        {
            await client.GetStringAsync("/health");
            await client.GetStringAsync("/work");

            string text = registry.GenerateLatest();
            Assert.Empty(Exposition.Lines(text, Duration, "http_route=\"/health\""));
            Assert.Equal(1, Exposition.Value(text, Duration, "http_route=\"/work\""));
        }
    }

    [Fact]
    public async Task TheFamiliesFollowTheOpenTelemetryNamesAndAspNetCoreBuckets()
    {
        var registry = new MetricRegistry();
        var (app, client) = await StartAsync(registry, a => a.MapGet("/x", () => "x"));
        await using (app)
        {
            await client.GetStringAsync("/x");
            string text = registry.GenerateLatest(ExpositionFormat.OpenMetrics);
            Assert.Contains("# TYPE http_server_request_duration_seconds histogram\n# UNIT http_server_request_duration_seconds seconds\n", text, StringComparison.Ordinal);
            Assert.Contains("# TYPE http_server_active_requests gauge\n", text, StringComparison.Ordinal);
            foreach (string le in new[] { "0.005", "0.01", "0.025", "0.05", "0.075", "0.1", "0.25", "0.5", "0.75", "1.0", "2.5", "5.0", "7.5", "10.0", "+Inf" })
            {
                Assert.Single(Exposition.Lines(text, "http_server_request_duration_seconds_bucket", "http_route=\"/x\"", $"le=\"{le}\""));
            }

            Assert.Equal(15, Exposition.Lines(text, "http_server_request_duration_seconds_bucket", "http_route=\"/x\"").Count);
        }
    }
}
