namespace MetricsGen.AspNetCore;

/// <summary>Settings of the HTTP server metrics middleware (<c>UseHttpMetrics</c>). Read once, when it is added.</summary>
public sealed class HttpMetricsOptions
{
    /// <summary>
    /// Whether requests to <c>MapMetrics</c> endpoints are recorded too. Default false: scrapes are the monitoring
    /// system's traffic, not the application's, and would otherwise dominate the request counts of a quiet service.
    /// </summary>
    public bool RecordMetricsEndpoint { get; set; }

    /// <summary>
    /// The registry the metrics are registered with; null (the default) takes the container's
    /// <see cref="MetricRegistry"/>, or <see cref="MetricRegistry.Default"/> when the container has none.
    /// </summary>
    public MetricRegistry? Registry { get; set; }
}
