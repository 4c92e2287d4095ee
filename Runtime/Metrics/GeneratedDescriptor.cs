using System;
using MetricsGen.Shared;

namespace MetricsGen.CompilerServices;

/// <summary>Creates the descriptors of generated metric classes; the runtime renders their header lines.</summary>
/// <remarks>For generated code, not for direct use; within a major version it only grows, because compiled libraries call it.</remarks>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public static class GeneratedDescriptor
{
    /// <summary>
    /// Creates a descriptor validated as <see cref="MetricDescriptor(string, MetricType, string, string?, System.Collections.Generic.IReadOnlyList{double}?)"/>
    /// is; generated code passes only the options that differ from their defaults.
    /// </summary>
    /// <param name="name">The exposed name (a counter's ends in <c>_total</c>, an info metric's in <c>_info</c>).</param>
    /// <param name="type">The metric type.</param>
    /// <param name="help">The help text.</param>
    /// <param name="unit">The OpenMetrics unit, or null.</param>
    /// <param name="buckets">Histogram bucket bounds, or null for the defaults.</param>
    /// <param name="quantiles">Summary quantiles, or null for count and sum only.</param>
    /// <param name="maxAgeSeconds">The length of a summary's sliding window.</param>
    /// <param name="ageBuckets">How many buckets a summary's window rotates through.</param>
    /// <param name="states">The states of a state set, in declaration order.</param>
    /// <param name="exemplars">Whether counter or histogram series take exemplars from <see cref="System.Diagnostics.Activity.Current"/>.</param>
    /// <param name="native">Whether a histogram keeps native (sparse exponential) buckets.</param>
    /// <param name="nativeBucketFactor">The largest growth factor from one native bucket to the next.</param>
    /// <param name="nativeZeroThreshold">Observations with a magnitude up to this go to the zero bucket.</param>
    /// <param name="nativeMaxBuckets">At most this many native buckets are exposed; more are merged.</param>
    public static MetricDescriptor Create(
        string name,
        MetricType type,
        string help,
        string? unit = null,
        double[]? buckets = null,
        double[]? quantiles = null,
        double maxAgeSeconds = MetricDefaults.SummaryMaxAgeSeconds,
        int ageBuckets = MetricDefaults.SummaryAgeBuckets,
        string[]? states = null,
        bool exemplars = false,
        bool native = false,
        double nativeBucketFactor = MetricDefaults.NativeBucketFactor,
        double nativeZeroThreshold = MetricDefaults.NativeZeroThreshold,
        int nativeMaxBuckets = MetricDefaults.NativeMaxBuckets)
    {
        SummaryWindow? window = type == MetricType.Summary
            ? new SummaryWindow(quantiles ?? Array.Empty<double>(), maxAgeSeconds, ageBuckets)
            : null;
        NativeHistogramSettings? nativeSettings = native ? new NativeHistogramSettings(nativeBucketFactor, nativeZeroThreshold, nativeMaxBuckets) : null;
        return new MetricDescriptor(name, type, help, unit, buckets, window, states, exemplars, nativeSettings);
    }
}
