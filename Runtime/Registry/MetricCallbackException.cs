using System;
using System.ComponentModel;

namespace MetricsGen.CompilerServices;

/// <summary>
/// A callback metric failed at scrape time: its member threw, or a counter read a negative or NaN value. The
/// registry turns it into a <see cref="MetricCollectionException"/> naming the source and the metric.
/// </summary>
/// <remarks>For generated code, not for direct use; within a major version it only grows, because compiled libraries call it.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class MetricCallbackException : Exception
{
    /// <summary>Creates the exception for <paramref name="metricName"/>, caused by <paramref name="inner"/>.</summary>
    public MetricCallbackException(string metricName, Exception inner)
        : base($"The callback of metric '{metricName}' failed: {inner.Message}", inner)
    {
        MetricName = metricName;
    }

    /// <summary>The exposed name of the metric whose callback failed.</summary>
    public string MetricName { get; }
}
