using System;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MetricsGen.AspNetCore;

/// <summary>How the package finds its registry and keeps its own metric classes to one instance per registry.</summary>
internal static class MetricsGenServices
{
    // One instance per registry: several hosts in one process (WebApplicationFactory tests, a second app) share
    // MetricRegistry.Default, and a second registration of the same families would throw DuplicateMetricException.
    private static readonly ConditionalWeakTable<MetricRegistry, HttpServerMetrics> HttpServer = new();
    private static readonly ConditionalWeakTable<MetricRegistry, ScrapeMetrics> Scrapes = new();

    // One bridge per registry, for the registry's lifetime: the listener takes the meters of every host in the process
    // (each host's IMeterFactory makes its own Kestrel meter of the same name; their instruments share the families).
    private static readonly ConditionalWeakTable<MetricRegistry, object> AspNetCoreMeters = new();
    private static readonly object Disabled = new();

    /// <summary>The container's <see cref="MetricRegistry"/>, or <see cref="MetricRegistry.Default"/> when it has none.</summary>
    public static MetricRegistry RegistryOf(IServiceProvider services) =>
        services.GetService<MetricRegistry>() ?? MetricRegistry.Default;

    public static HttpServerMetrics HttpServerMetricsOf(MetricRegistry registry) =>
        HttpServer.GetValue(registry, static r => new HttpServerMetrics(r));

    public static ScrapeMetrics ScrapeMetricsOf(MetricRegistry registry) =>
        Scrapes.GetValue(registry, static r => new ScrapeMetrics(r));

    /// <summary>
    /// Bridges ASP.NET Core's own meters into <paramref name="registry"/> unless the app turned it off
    /// (<see cref="AspNetCoreMetersOptions"/>); the first call per registry decides, later ones do nothing.
    /// </summary>
    public static void BridgeAspNetCoreMeters(IServiceProvider services, MetricRegistry registry) =>
        AspNetCoreMeters.GetValue(registry, r =>
        {
            AspNetCoreMetersOptions options = services.GetService<IOptions<AspNetCoreMetersOptions>>()?.Value ?? new AspNetCoreMetersOptions();
            return options.Enabled && options.Meters.Any(name => !name.StartsWith('!'))
                ? r.AddMeters(options.Meters.ToArray())
                : Disabled;
        });
}
