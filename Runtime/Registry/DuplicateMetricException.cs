using System;

namespace MetricsGen;

/// <summary>Thrown when a registration would expose a metric name that is already registered.</summary>
public sealed class DuplicateMetricException : InvalidOperationException
{
    /// <summary>Creates the exception for <paramref name="metricName"/>.</summary>
    public DuplicateMetricException(string metricName, string? sourceName = null)
        : base(sourceName is null
            ? $"Duplicated timeseries in registry: metric '{metricName}' is already registered."
            : $"Duplicated timeseries in registry: metric '{metricName}' of '{sourceName}' is already registered.")
    {
        MetricName = metricName;
    }

    /// <summary>The clashing name.</summary>
    public string MetricName { get; }
}
