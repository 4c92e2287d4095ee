using System;
using MetricsGen.AspNetCore;
using Microsoft.AspNetCore.Http;

// In ASP.NET Core's namespace so a web project's implicit usings find UseHttpMetrics without a using of ours.
namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds MetricsGen's HTTP server request metrics to the request pipeline.</summary>
public static class MetricsGenApplicationBuilderExtensions
{
    /// <summary>
    /// Records <c>http_server_request_duration_seconds</c> (histogram) and <c>http_server_active_requests</c> (gauge)
    /// for the requests that pass this point, labelled as OpenTelemetry's HTTP semantic conventions: method (unknown
    /// ones as <c>_OTHER</c>), status code, route template (empty when no endpoint matched; never the path), scheme,
    /// protocol version and, for an unhandled exception, its type. <c>MapMetrics</c> endpoints and endpoints with
    /// ASP.NET Core's <c>DisableHttpMetrics()</c> are not recorded. It replaces ASP.NET Core's
    /// <c>Microsoft.AspNetCore.Hosting</c> meter, which is therefore not bridged; ASP.NET Core's other meters
    /// (Kestrel, routing, …) are, unless <see cref="MetricsGen.AspNetCore.AspNetCoreMetersOptions"/> says otherwise.
    /// </summary>
    /// <param name="app">The application.</param>
    /// <returns><paramref name="app"/>.</returns>
    public static IApplicationBuilder UseHttpMetrics(this IApplicationBuilder app) => Use(app, new HttpMetricsOptions());

    /// <summary>Like <see cref="UseHttpMetrics(IApplicationBuilder)"/>, with options.</summary>
    /// <param name="app">The application.</param>
    /// <param name="configure">Sets the registry and whether the metrics endpoint is recorded.</param>
    /// <returns><paramref name="app"/>.</returns>
    public static IApplicationBuilder UseHttpMetrics(this IApplicationBuilder app, Action<HttpMetricsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new HttpMetricsOptions();
        configure(options);
        return Use(app, options);
    }

    private static IApplicationBuilder Use(IApplicationBuilder app, HttpMetricsOptions options)
    {
        ArgumentNullException.ThrowIfNull(app);
        MetricsGen.MetricRegistry registry = options.Registry ?? MetricsGenServices.RegistryOf(app.ApplicationServices);
        HttpServerMetrics metrics = MetricsGenServices.HttpServerMetricsOf(registry);
        MetricsGenServices.BridgeAspNetCoreMeters(app.ApplicationServices, registry);
        bool recordMetricsEndpoint = options.RecordMetricsEndpoint;
        return app.Use((RequestDelegate next) => new HttpMetricsMiddleware(next, metrics, recordMetricsEndpoint).InvokeAsync);
    }
}
