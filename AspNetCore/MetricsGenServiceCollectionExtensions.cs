using System;
using System.Diagnostics.CodeAnalysis;
using MetricsGen;
using MetricsGen.AspNetCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

// In the container's namespace so implicit usings find AddMetricSource and AddPrometheusExporter.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers MetricsGen metric classes and the standalone exporter with dependency injection.</summary>
public static class MetricsGenServiceCollectionExtensions
{
    /// <summary>
    /// Registers <typeparamref name="T"/> (a <c>[GatewayMetric]</c> class) as a singleton created with the
    /// container's <see cref="MetricRegistry"/> (<see cref="MetricRegistry.Default"/> unless the app registered its
    /// own); its other constructor parameters, if any, come from the container. It is created when the host starts,
    /// so its families are in the first scrape. A second call for the same type does nothing.
    /// </summary>
    /// <typeparam name="T">The metric class; its generated constructor takes the registry.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddMetricSource<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>(
        this IServiceCollection services)
        where T : class, IMetricSource
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<T>(static provider => ActivatorUtilities.CreateInstance<T>(provider, MetricsGenServices.RegistryOf(provider)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<MetricSourceActivation, MetricSourceActivation<T>>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, MetricSourceActivator>());
        return services;
    }

    /// <summary>
    /// Runs a standalone <see cref="PrometheusExporter"/> (its own port, outside Kestrel) with the host: started when
    /// the host starts (a port in use fails the start), stopped — port released — when it stops. It serves the
    /// container's <see cref="MetricRegistry"/> (or <see cref="MetricRegistry.Default"/>) and is itself resolvable
    /// from the container (for its <see cref="PrometheusExporter.Port"/>). For worker services, or to keep metrics
    /// off the application's port. Only the first call's options count.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets host, port, path and limits; the defaults are <see cref="PrometheusExporterOptions"/>'s.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddPrometheusExporter(this IServiceCollection services, Action<PrometheusExporterOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(provider =>
        {
            var options = new PrometheusExporterOptions();
            configure?.Invoke(options);
            return new PrometheusExporter(options, MetricsGenServices.RegistryOf(provider));
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PrometheusExporterHostedService>());
        return services;
    }
}
