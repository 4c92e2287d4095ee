using System;
using MetricsGen.CompilerServices;

namespace MetricsGen;

/// <summary>One time series of a family: a metric with one set of label values.</summary>
public abstract class MetricSeries
{
    private protected MetricSeries(MetricDescriptor descriptor, byte[] labels)
    {
        Descriptor = descriptor;
        LabelBytes = labels;
    }

    /// <summary>The family this series belongs to.</summary>
    public MetricDescriptor Descriptor { get; }

    /// <summary>The label set as written between the braces, escaped and UTF-8 encoded once at creation.</summary>
    internal byte[] LabelBytes { get; }

    /// <summary>The label set as it appears in the exposition, for diagnostics (<c>a="x",b="y"</c>).</summary>
    public string Labels => System.Text.Encoding.UTF8.GetString(LabelBytes);

    /// <summary>Where the series lives and when it was last updated; only for series of expiring families.</summary>
    internal abstract SeriesHome? Home { get; }

    private protected static void ThrowIfNaN(double value, string metric, string paramName)
    {
        if (double.IsNaN(value))
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"Metric '{metric}' does not accept NaN.");
        }
    }
}
