using System;

namespace MetricsGen.AspNetCore;

/// <summary>Settings of a <c>MapMetrics</c> endpoint. Read once, when the endpoint is mapped.</summary>
public sealed class MetricsEndpointOptions
{
    /// <summary>
    /// The registry to serve; null (the default) takes the container's <see cref="MetricRegistry"/>, or
    /// <see cref="MetricRegistry.Default"/> when the container has none.
    /// </summary>
    public MetricRegistry? Registry { get; set; }

    /// <summary>
    /// Scrapes collected at the same time at most; beyond it a scrape gets 503, as with
    /// <see cref="PrometheusExporterOptions.MaxConcurrentScrapes"/>. Default 4.
    /// </summary>
    public int MaxConcurrentScrapes { get; set; } = 4;

    /// <summary>
    /// Receives every problem reported on the endpoint's registry (<see cref="MetricRegistry.Warning"/>), from
    /// <c>MapMetrics</c> on: the <see cref="MetricCollectionException"/> of a scrape answered with 500 because a source
    /// failed (also logged at Error level), and the registry's other warnings. A subscription to that one stream, so
    /// each problem reaches it once; it runs on the thread that met the problem, and exceptions it throws are
    /// swallowed. Default null.
    /// </summary>
    public Action<Exception>? OnError { get; set; }
}
