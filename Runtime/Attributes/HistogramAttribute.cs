using System;

namespace MetricsGen;

/// <summary>
/// Declares a histogram: observations counted into buckets. The member returns <see cref="MetricsGen.Histogram"/>.
/// Parameters of the member are its labels, in order.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class HistogramAttribute : MetricAttribute
{
    /// <summary>Declares the metric with a name taken from the member name.</summary>
    public HistogramAttribute() : base(null) { }

    /// <summary>Declares the metric with the given name (the class prefix is added to it).</summary>
    /// <param name="name">The metric name, <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>.</param>
    public HistogramAttribute(string name) : base(name) { }

    /// <summary>
    /// Bucket upper bounds, strictly ascending and finite; <c>+Inf</c> is implicit.
    /// When omitted, the Prometheus client defaults are used (.005 … 10).
    /// </summary>
    public double[]? Buckets { get; set; }

    /// <summary>
    /// Keep the latest exemplar of each series bucket (OpenMetrics only). Plain calls attach the trace and span of a
    /// recorded <see cref="System.Diagnostics.Activity.Current"/>; the overloads taking an <see cref="Exemplar"/> set one
    /// explicitly. Off by default; histograms without it pay nothing for the feature.
    /// </summary>
    public bool Exemplars { get; set; }
}
