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

    /// <summary>
    /// Keep native (sparse exponential) buckets as well, which Prometheus scrapes over the protobuf format: high
    /// resolution at a fixed cost, no bucket layout to choose. Without <see cref="Buckets"/> the histogram is native
    /// only; its text form is then <c>_count</c>, <c>_sum</c> and the <c>+Inf</c> bucket. Off by default.
    /// </summary>
    public bool Native { get; set; }

    /// <summary>
    /// The largest growth from one native bucket boundary to the next (default 1.1); the schema is the coarsest
    /// whose factor does not exceed it (1.1 gives schema 3). Must be greater than 1.
    /// </summary>
    public double NativeBucketFactor { get; set; } = Shared.MetricDefaults.NativeBucketFactor;

    /// <summary>Observations with a magnitude up to this count into the zero bucket (default 2^-128). At least 0.</summary>
    public double NativeZeroThreshold { get; set; } = Shared.MetricDefaults.NativeZeroThreshold;

    /// <summary>
    /// At most this many native buckets are exposed (default 160); beyond, neighbouring buckets are merged
    /// (the schema lowered). At least 1.
    /// </summary>
    public int NativeMaxBuckets { get; set; } = Shared.MetricDefaults.NativeMaxBuckets;
}
