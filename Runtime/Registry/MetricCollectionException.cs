using System;

namespace MetricsGen;

/// <summary>Thrown when a metric source fails while an exposition is produced.</summary>
public sealed class MetricCollectionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MetricCollectionException(string sourceName, Exception inner)
        : base($"Metric source '{sourceName}' failed during collection: {inner.Message}", inner)
    {
        SourceName = sourceName;
    }

    /// <summary>Creates the exception for one metric of the source (a callback metric that threw, for example).</summary>
    public MetricCollectionException(string sourceName, string metricName, Exception inner)
        : base($"Metric '{metricName}' of source '{sourceName}' failed during collection: {inner.Message}", inner)
    {
        SourceName = sourceName;
        MetricName = metricName;
    }

    /// <summary>The <see cref="IMetricSource.SourceName"/> of the failing source.</summary>
    public string SourceName { get; }

    /// <summary>The name of the failing metric, when the failure is known to be one metric's; otherwise null.</summary>
    public string? MetricName { get; }
}
