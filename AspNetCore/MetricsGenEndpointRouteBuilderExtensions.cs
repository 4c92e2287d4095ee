using System;
using MetricsGen;
using MetricsGen.AspNetCore;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

// In ASP.NET Core's namespace so a web project's implicit usings find MapMetrics without a using of ours.
namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps a Prometheus <c>/metrics</c> endpoint on the application's own server.</summary>
public static class MetricsGenEndpointRouteBuilderExtensions
{
    private static readonly string[] Methods = { HttpMethods.Get, HttpMethods.Head };

    /// <summary>
    /// Serves the container's <see cref="MetricRegistry"/> (or <see cref="MetricRegistry.Default"/>) on GET and HEAD
    /// <paramref name="pattern"/>, with the standalone exporter's semantics: protobuf, OpenMetrics 1.0.0 or text 0.0.4 by
    /// q-value negotiation of <c>Accept</c>, gzip when <c>Accept-Encoding</c> allows it, <c>name[]</c> filters,
    /// <c>Vary</c>, 503 beyond 4 concurrent scrapes, and 500 naming a failing source instead of a partial body.
    /// ASP.NET Core's own meters are bridged into the registry (see <see cref="MetricsGen.AspNetCore.AspNetCoreMetersOptions"/>).
    /// </summary>
    /// <param name="endpoints">The application or route group.</param>
    /// <param name="pattern">The route pattern. Default <c>"/metrics"</c>.</param>
    /// <returns>The endpoint's convention builder, for <c>RequireAuthorization</c>, <c>RequireHost</c> and the like.</returns>
    // RS0027 would have the optional parameter on the longest overload; this one-argument form is the public contract.
#pragma warning disable RS0027
    public static IEndpointConventionBuilder MapMetrics(this IEndpointRouteBuilder endpoints, string pattern = "/metrics") =>
        Map(endpoints, pattern, new MetricsEndpointOptions());
#pragma warning restore RS0027

    /// <summary>Like <see cref="MapMetrics(IEndpointRouteBuilder, string)"/>, with options.</summary>
    /// <param name="endpoints">The application or route group.</param>
    /// <param name="pattern">The route pattern.</param>
    /// <param name="configure">Sets the registry, the concurrency limit and the error callback.</param>
    /// <returns>The endpoint's convention builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="MetricsEndpointOptions.MaxConcurrentScrapes"/> is not positive.</exception>
    public static IEndpointConventionBuilder MapMetrics(this IEndpointRouteBuilder endpoints, string pattern, Action<MetricsEndpointOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new MetricsEndpointOptions();
        configure(options);
        if (options.MaxConcurrentScrapes <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(configure), options.MaxConcurrentScrapes, "MaxConcurrentScrapes must be positive.");
        }

        return Map(endpoints, pattern, options);
    }

    private static IEndpointConventionBuilder Map(IEndpointRouteBuilder endpoints, string pattern, MetricsEndpointOptions options)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);

        IServiceProvider services = endpoints.ServiceProvider;
        MetricRegistry registry = options.Registry ?? MetricsGenServices.RegistryOf(services);
        MetricsGenServices.BridgeAspNetCoreMeters(services, registry);
        ILogger logger = services.GetService<ILoggerFactory>()?.CreateLogger("MetricsGen.AspNetCore.MetricsEndpoint") ?? NullLogger.Instance;
        var endpoint = new MetricsEndpoint(registry, options, logger);

        // The RequestDelegate overload: no request-delegate generation, nothing reflected, NativeAOT-clean.
        return endpoints.MapMethods(pattern, Methods, (RequestDelegate)endpoint.HandleAsync)
            .WithMetadata(MetricsEndpointMetadata.Instance)
            .WithDisplayName("MetricsGen " + pattern);
    }
}
