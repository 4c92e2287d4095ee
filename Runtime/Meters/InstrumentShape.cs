using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace MetricsGen.Meters;

/// <summary>What an instrument becomes in Prometheus: its type, how its values arrive and, for histograms, its buckets.</summary>
internal readonly struct InstrumentShape
{
    /// <summary>The OpenTelemetry SDK's default explicit bucket boundaries, used when an instrument gives no advice.</summary>
    public static readonly double[] DefaultBuckets = { 0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000 };

    private InstrumentShape(MetricType type, RecordMode mode, double[]? buckets)
    {
        Type = type;
        Mode = mode;
        Buckets = buckets;
    }

    public MetricType Type { get; }

    public RecordMode Mode { get; }

    /// <summary>Histogram bucket bounds; null for other types.</summary>
    public double[]? Buckets { get; }

    public string TypeName => Type switch
    {
        MetricType.Counter => "counter",
        MetricType.Gauge => "gauge",
        _ => "histogram",
    };

    /// <summary>The shape of <paramref name="instrument"/>, or null for an instrument type the bridge does not know.</summary>
    public static InstrumentShape? Of(Instrument instrument)
    {
        InstrumentShape? shape = Of<long>(instrument) ?? Of<double>(instrument) ?? Of<int>(instrument) ?? Of<float>(instrument)
            ?? Of<short>(instrument) ?? Of<byte>(instrument) ?? Of<decimal>(instrument);
        return shape is { Mode: RecordMode.SetTotal } && IsUpDownCounterPublishedAsCounter(instrument)
            ? new InstrumentShape(MetricType.Gauge, RecordMode.Set, null)
            : shape;
    }

    /// <summary>
    /// .NET 9 and 10 publish two instruments of <c>System.Runtime</c> as observable counters that the OpenTelemetry
    /// semantic conventions (and .NET's own documentation) define as up-down counters: values that go down. They are
    /// bridged as the gauges they are (<c>dotnet_thread_pool_thread_count</c>, <c>dotnet_thread_pool_queue_length</c>),
    /// the names <see cref="DotNetRuntimeCollector"/> writes, so one instrument has one name whichever way it is read.
    /// </summary>
    private static bool IsUpDownCounterPublishedAsCounter(Instrument instrument) =>
        instrument.Meter.Name == "System.Runtime"
        && instrument.Name is "dotnet.thread_pool.thread.count" or "dotnet.thread_pool.queue.length";

    private static InstrumentShape? Of<T>(Instrument instrument)
        where T : struct => instrument switch
    {
        Counter<T> => new InstrumentShape(MetricType.Counter, RecordMode.Add, null),
        UpDownCounter<T> => new InstrumentShape(MetricType.Gauge, RecordMode.Add, null),
        Histogram<T> histogram => new InstrumentShape(MetricType.Histogram, RecordMode.Observe, BucketsOf(histogram)),
#if NET9_0_OR_GREATER
        Gauge<T> => new InstrumentShape(MetricType.Gauge, RecordMode.Set, null),
#endif
        ObservableCounter<T> => new InstrumentShape(MetricType.Counter, RecordMode.SetTotal, null),
        ObservableUpDownCounter<T> => new InstrumentShape(MetricType.Gauge, RecordMode.Set, null),
        ObservableGauge<T> => new InstrumentShape(MetricType.Gauge, RecordMode.Set, null),
        _ => null,
    };

    // The advice's boundaries (.NET 9+) when they are usable bucket bounds (finite, strictly ascending), else the
    // OpenTelemetry SDK's defaults, as the SDK does with advice it cannot use.
    private static double[] BucketsOf<T>(Histogram<T> histogram)
        where T : struct
    {
#if NET9_0_OR_GREATER
        IReadOnlyList<T>? advised = histogram.Advice?.HistogramBucketBoundaries;
        if (advised is { Count: > 0 })
        {
            var bounds = new double[advised.Count];
            for (int i = 0; i < bounds.Length; i++)
            {
                bounds[i] = Convert.ToDouble(advised[i], CultureInfo.InvariantCulture);
                if (!double.IsFinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1]))
                {
                    return DefaultBuckets;
                }
            }

            return bounds;
        }
#else
        _ = histogram;
#endif
        return DefaultBuckets;
    }
}
