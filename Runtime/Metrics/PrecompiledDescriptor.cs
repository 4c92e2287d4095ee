using System;
using System.Collections.Generic;
using System.ComponentModel;

namespace MetricsGen.CompilerServices;

/// <summary>Creates the descriptors of generated metric classes, whose header lines the generator encoded already.</summary>
/// <remarks>For generated code; may change between versions.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class PrecompiledDescriptor
{
    /// <summary>
    /// Creates a descriptor that takes <paramref name="textHeader"/> and <paramref name="openMetricsHeader"/> as its
    /// header lines instead of encoding them; everything else is validated as for
    /// <see cref="MetricDescriptor(string, MetricType, string, string?, IReadOnlyList{double}?)"/>.
    /// </summary>
    /// <param name="name">The exposed name (a counter's ends in <c>_total</c>, an info metric's in <c>_info</c>).</param>
    /// <param name="type">The metric type.</param>
    /// <param name="help">The help text.</param>
    /// <param name="unit">The OpenMetrics unit, or null.</param>
    /// <param name="buckets">Histogram bucket bounds, or null for the defaults.</param>
    /// <param name="textHeader">The header lines in the Prometheus text format.</param>
    /// <param name="openMetricsHeader">The header lines in OpenMetrics.</param>
    /// <param name="quantiles">Summary quantiles, or null for count and sum only.</param>
    /// <param name="maxAgeSeconds">The length of a summary's sliding window.</param>
    /// <param name="ageBuckets">How many buckets a summary's window rotates through.</param>
    /// <param name="states">The states of a state set, in declaration order.</param>
    /// <param name="exemplars">Whether counter or histogram series keep exemplars.</param>
    /// <param name="native">Whether a histogram keeps native (sparse exponential) buckets.</param>
    /// <param name="nativeBucketFactor">The largest growth factor from one native bucket to the next.</param>
    /// <param name="nativeZeroThreshold">Observations with a magnitude up to this go to the zero bucket.</param>
    /// <param name="nativeMaxBuckets">At most this many native buckets are exposed; more are merged.</param>
    public static MetricDescriptor Create(
        string name,
        MetricType type,
        string help,
        string? unit,
        IReadOnlyList<double>? buckets,
        ReadOnlySpan<byte> textHeader,
        ReadOnlySpan<byte> openMetricsHeader,
        double[]? quantiles = null,
        double maxAgeSeconds = 600,
        int ageBuckets = 5,
        string[]? states = null,
        bool exemplars = false,
        bool native = false,
        double nativeBucketFactor = NativeHistogramSettings.DefaultBucketFactor,
        double nativeZeroThreshold = NativeHistogramSettings.DefaultZeroThreshold,
        int nativeMaxBuckets = NativeHistogramSettings.DefaultMaxBuckets)
    {
        SummaryWindow? window = type == MetricType.Summary
            ? new SummaryWindow(quantiles ?? Array.Empty<double>(), maxAgeSeconds, ageBuckets)
            : null;
        NativeHistogramSettings? nativeSettings = native ? new NativeHistogramSettings(nativeBucketFactor, nativeZeroThreshold, nativeMaxBuckets) : null;
        return new MetricDescriptor(name, type, help, unit, buckets, textHeader, openMetricsHeader, window, states, exemplars, nativeSettings);
    }
}
