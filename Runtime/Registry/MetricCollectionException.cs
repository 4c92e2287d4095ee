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

    /// <summary>The <see cref="IMetricSource.SourceName"/> of the failing source.</summary>
    public string SourceName { get; }
}
