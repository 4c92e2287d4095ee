using System;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;

namespace MetricsGen.AspNetCore;

/// <summary>How the package finds its registry and keeps its own metric classes to one instance per registry.</summary>
internal static class MetricsGenServices
{
    // One instance per registry: several hosts in one process (WebApplicationFactory tests, a second app) share
    // MetricRegistry.Default, and a second registration of the same families would throw DuplicateMetricException.
    private static readonly ConditionalWeakTable<MetricRegistry, HttpServerMetrics> HttpServer = new();
    private static readonly ConditionalWeakTable<MetricRegistry, ScrapeMetrics> Scrapes = new();

    /// <summary>The container's <see cref="MetricRegistry"/>, or <see cref="MetricRegistry.Default"/> when it has none.</summary>
    public static MetricRegistry RegistryOf(IServiceProvider services) =>
        services.GetService<MetricRegistry>() ?? MetricRegistry.Default;

    public static HttpServerMetrics HttpServerMetricsOf(MetricRegistry registry) =>
        HttpServer.GetValue(registry, static r => new HttpServerMetrics(r));

    public static ScrapeMetrics ScrapeMetricsOf(MetricRegistry registry) =>
        Scrapes.GetValue(registry, static r => new ScrapeMetrics(r));
}
