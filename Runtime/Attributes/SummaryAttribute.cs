using System;

namespace MetricsGen;

/// <summary>
/// Declares a summary: the count and sum of observations, and optionally quantiles over a sliding window. The
/// member returns <see cref="MetricsGen.Summary"/>. Parameters of the member are its labels, in order;
/// <c>quantile</c> is reserved.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class SummaryAttribute : MetricAttribute
{
    /// <summary>Declares the metric with a name taken from the member name.</summary>
    public SummaryAttribute() : base(null) { }

    /// <summary>Declares the metric with the given name (the class prefix is added to it).</summary>
    /// <param name="name">The metric name, <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>.</param>
    public SummaryAttribute(string name) : base(name) { }

    /// <summary>
    /// Quantiles to expose, each in (0, 1), strictly ascending (for example 0.5, 0.9, 0.99), each within 1 % rank
    /// error. When omitted, the summary exposes only <c>_sum</c> and <c>_count</c> and costs two atomic adds.
    /// </summary>
    public double[]? Quantiles { get; set; }

    /// <summary>The length of the sliding window the quantiles cover, in seconds. Default 600.</summary>
    public double MaxAgeSeconds { get; set; } = Shared.MetricDefaults.SummaryMaxAgeSeconds;

    /// <summary>How many buckets the window rotates through (it slides in steps of MaxAgeSeconds / AgeBuckets). Default 5.</summary>
    public int AgeBuckets { get; set; } = Shared.MetricDefaults.SummaryAgeBuckets;
}
