using System;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Xunit;

namespace MetricsGen.AspNetCore.Tests;

/// <summary>The middleware's own work allocates nothing once a request's series exist.</summary>
public sealed class AllocationTests
{
    [Fact]
    public void TheMiddlewareAllocatesNothingPerRequestOnceTheSeriesExist()
    {
        var registry = new MetricRegistry();
        HttpServerMetrics metrics = MetricsGenServices.HttpServerMetricsOf(registry);
        var middleware = new HttpMetricsMiddleware(static _ => Task.CompletedTask, metrics, recordMetricsEndpoint: false);
        var endpoint = new RouteEndpoint(static _ => Task.CompletedTask, RoutePatternFactory.Parse("/hello/{name}"), 0, EndpointMetadataCollection.Empty, "hello");
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Get;
        context.Request.Protocol = HttpProtocol.Http11;
        context.Request.Scheme = "http";
        context.Request.Path = "/hello/bob";
        context.Response.StatusCode = 200;
        context.SetEndpoint(endpoint);

        // Warm-up: creates the series and lets the JIT finish its tiers (whose own work is not the middleware's).
        Assert.True(Run(middleware, context, 5_000));

        long before = GC.GetAllocatedBytesForCurrentThread();
        bool allSynchronous = Run(middleware, context, 10_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allSynchronous);
        Assert.Equal(0, allocated);
        Assert.Equal(15_000, Exposition.Value(registry.GenerateLatest(), "http_server_request_duration_seconds_count", "http_route=\"/hello/{name}\""));
    }

    // The next delegate completes synchronously, so every call completes before it returns.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool Run(HttpMetricsMiddleware middleware, HttpContext context, int requests)
    {
        bool allSynchronous = true;
        for (int i = 0; i < requests; i++)
        {
            allSynchronous &= middleware.InvokeAsync(context).IsCompletedSuccessfully;
        }

        return allSynchronous;
    }

    [Theory]
    [InlineData("GET", "Get")]
    [InlineData("HEAD", "Head")]
    [InlineData("POST", "Post")]
    [InlineData("PUT", "Put")]
    [InlineData("DELETE", "Delete")]
    [InlineData("PATCH", "Patch")]
    [InlineData("OPTIONS", "Options")]
    [InlineData("CONNECT", "Connect")]
    [InlineData("TRACE", "Trace")]
    [InlineData("get", "Other")]
    [InlineData("PROPFIND", "Other")]
    [InlineData("", "Other")]
    public void MethodsOutsideTheKnownSetAreOther(string method, string expected) =>
        Assert.Equal(expected, HttpMetricsMiddleware.MethodOf(method).ToString());
}
