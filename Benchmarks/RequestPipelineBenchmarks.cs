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
/// Case 8: one GET /hello/{name} through a whole ASP.NET Core pipeline (TestServer, routing, a minimal API endpoint):
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
