using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MetricsGen.Benchmarks;

/// <summary>
/// Case 9: one GET /hello/{name} through a whole ASP.NET Core pipeline (TestServer, routing, a minimal API endpoint):
/// without HTTP metrics, with MetricsGen's UseHttpMetrics, and with prometheus-net's. The differences to the baseline
/// are the middlewares' own cost; TestServer's own work (and allocations) is the same in all three.
/// </summary>
[MemoryDiagnoser]
public class RequestPipelineBenchmarks
{
    private WebApplication _plain = null!;
    private WebApplication _metricsGen = null!;
    private WebApplication _prometheusNet = null!;
    private TestServer _plainServer = null!;
    private TestServer _metricsGenServer = null!;
    private TestServer _prometheusNetServer = null!;

    [GlobalSetup]
    public void Setup()
    {
        _plain = Start(static _ => { });
        _metricsGen = Start(static app => app.UseHttpMetrics());
        _prometheusNet = Start(static app => Prometheus.HttpMetricsMiddlewareExtensions.UseHttpMetrics(app));
        _plainServer = _plain.GetTestServer();
        _metricsGenServer = _metricsGen.GetTestServer();
        _prometheusNetServer = _prometheusNet.GetTestServer();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _plain.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _metricsGen.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _prometheusNet.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true)]
    public Task<HttpContext> NoMetrics() => Send(_plainServer);

    [Benchmark]
    public Task<HttpContext> MetricsGenUseHttpMetrics() => Send(_metricsGenServer);

    [Benchmark]
    public Task<HttpContext> PrometheusNetUseHttpMetrics() => Send(_prometheusNetServer);

    private static Task<HttpContext> Send(TestServer server) => server.SendAsync(static context =>
    {
        context.Request.Method = HttpMethods.Get;
        context.Request.Path = "/hello/bob";
    });

    private static WebApplication Start(System.Action<WebApplication> addMetrics)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(new MetricRegistry());
        WebApplication app = builder.Build();
        addMetrics(app);
        app.MapGet("/hello/{name}", static (string name) => "hi " + name);
        app.StartAsync().GetAwaiter().GetResult();
        return app;
    }
}

/// <summary>
/// Case 9b: the middlewares alone, without TestServer's thread hops (whose noise hides them above): a reused
/// HttpContext whose endpoint is already matched goes through [the middleware] then a terminal delegate that answers
/// 200 synchronously. What is measured is the middleware's own time and allocation per request.
/// </summary>
[MemoryDiagnoser]
public class HttpMetricsMiddlewareBenchmarks
{
    private RequestDelegate _plain = null!;
    private RequestDelegate _metricsGen = null!;
    private RequestDelegate _prometheusNet = null!;
    private DefaultHttpContext _context = null!;

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRouting();
        services.AddSingleton(new MetricRegistry());
        System.IServiceProvider provider = services.BuildServiceProvider();
        _plain = Build(provider, static _ => { });
        _metricsGen = Build(provider, static app => app.UseHttpMetrics());
        _prometheusNet = Build(provider, static app => Prometheus.HttpMetricsMiddlewareExtensions.UseHttpMetrics(app));

        var endpoint = new Microsoft.AspNetCore.Routing.RouteEndpoint(
            static _ => Task.CompletedTask,
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternFactory.Parse("/hello/{name}"),
            0,
            EndpointMetadataCollection.Empty,
            "hello");
        _context = new DefaultHttpContext { RequestServices = provider };
        _context.Request.Method = HttpMethods.Get;
        _context.Request.Path = "/hello/bob";
        _context.Request.Protocol = "HTTP/1.1";
        _context.Request.Scheme = "http";
        _context.Request.RouteValues["name"] = "bob";
        _context.SetEndpoint(endpoint);
    }

    [Benchmark(Baseline = true)]
    public Task NoMetrics() => _plain(_context);

    [Benchmark]
    public Task MetricsGenUseHttpMetrics() => _metricsGen(_context);

    [Benchmark]
    public Task PrometheusNetUseHttpMetrics() => _prometheusNet(_context);

    private static RequestDelegate Build(System.IServiceProvider provider, System.Action<IApplicationBuilder> addMetrics)
    {
        var app = new ApplicationBuilder(provider);
        addMetrics(app);
        app.Run(static context =>
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            return Task.CompletedTask;
        });
        return app.Build();
    }
}
