using System;

namespace MetricsGen;

/// <summary>
/// Reported once per metric through <see cref="MetricRegistry.Warning"/> when a lookup of a new label set first finds
/// the metric at its series limit. Never thrown: from then on such lookups return the metric's overflow series
/// (label <c>metricsgen_overflow="true"</c>), so nothing recorded is lost.
/// </summary>
public sealed class SeriesLimitExceededException : Exception
{
    /// <summary>Creates the report for <paramref name="metricName"/> at <paramref name="maxSeries"/> series.</summary>
    public SeriesLimitExceededException(string metricName, int maxSeries)
        : base($"Metric '{metricName}' reached its limit of {maxSeries} series; new label sets are counted in its overflow series {{metricsgen_overflow=\"true\"}}.")
    {
        MetricName = metricName;
        MaxSeries = maxSeries;
    }

    /// <summary>The metric's exposed name.</summary>
    public string MetricName { get; }

    /// <summary>The metric's series limit.</summary>
    public int MaxSeries { get; }
}
