using System;
using System.Collections.Generic;
using System.Threading;
using MetricsGen.CompilerServices;

namespace MetricsGen.Meters;

/// <summary>How an instrument's values arrive, which decides what a measurement does to its series.</summary>
internal enum RecordMode : byte
{
    /// <summary>Added (<c>Counter&lt;T&gt;</c>, <c>UpDownCounter&lt;T&gt;</c>).</summary>
    Add,

    /// <summary>The current value (<c>Gauge&lt;T&gt;</c>, observable gauges and up-down counters).</summary>
    Set,

    /// <summary>The total so far, read at scrape (<c>ObservableCounter&lt;T&gt;</c>).</summary>
    SetTotal,

    /// <summary>One observation (<c>Histogram&lt;T&gt;</c>).</summary>
    Observe,
}

/// <summary>
/// One Prometheus family made of bridged instruments: registered in the registry as a source of its own, so the
/// registry refuses clashes with every other family, and written by the same <see cref="ExpositionWriter"/> methods
/// as generated families (all formats, the overflow series and the limit behave alike). Instruments of several meters
/// that map to the same name, type, unit and mode share it.
/// </summary>
internal abstract class BridgedFamily : IMetricSource
{
    private readonly MetricDescriptor[] _metrics;

    private protected BridgedFamily(MetricDescriptor descriptor, RecordMode mode, string? unit)
    {
        Descriptor = descriptor;
        Mode = mode;
        InstrumentUnit = unit ?? string.Empty;
        _metrics = new[] { descriptor };
    }

    public MetricDescriptor Descriptor { get; }

    public RecordMode Mode { get; }

    /// <summary>The unit as the first instrument declared it; instruments with another unit do not share the family.</summary>
    public string InstrumentUnit { get; }

    /// <summary>How many instruments record into the family (changed under the bridge's lock).</summary>
    public int Instruments { get; set; }

    /// <summary>How many of them are observable (read at scrape).</summary>
    public int ObservableInstruments { get; set; }

    public string SourceName => "meters:" + Descriptor.Name;

    public IReadOnlyList<MetricDescriptor> Metrics => _metrics;

    public static BridgedFamily Create(MetricDescriptor descriptor, RecordMode mode, string? unit, MetricRegistry registry) => descriptor.Type switch
    {
        MetricType.Counter => new CounterBridge(new CounterFamily(descriptor), mode, unit, registry),
        MetricType.Gauge => new GaugeBridge(new GaugeFamily(descriptor), mode, unit, registry),
        _ => new HistogramBridge(new HistogramFamily(descriptor), mode, unit, registry),
    };

    /// <summary>Whether an instrument of this shape may share the family.</summary>
    public bool Accepts(MetricType type, RecordMode mode, string? unit, ReadOnlySpan<double> buckets) =>
        type == Descriptor.Type && mode == Mode && string.Equals(unit ?? string.Empty, InstrumentUnit, StringComparison.Ordinal)
        && buckets.SequenceEqual(Descriptor.Buckets);

    /// <summary>The state the listener hands back with each measurement of one instrument.</summary>
    public abstract Recorder CreateRecorder(MetricRegistry registry);

    public abstract void Collect(ref ExpositionWriter writer);

    /// <summary>What every bridge has: its family, limited like a generated one, and the tag map over it.</summary>
    private abstract class TypedBridge<TSeries> : BridgedFamily
        where TSeries : MetricSeries
    {
        private protected TypedBridge(MetricFamily<TSeries> family, RecordMode mode, string? unit, MetricRegistry registry, bool histogram)
            : base(family.Descriptor, mode, unit)
        {
            family.Configure(registry, registry.DefaultMaxSeries);
            Series = new TagSeriesMap<TSeries>(family, histogram);
        }

        private protected TagSeriesMap<TSeries> Series { get; }
    }

    // One class per family type, because each is written by its own ExpositionWriter overload.
    private sealed class CounterBridge : TypedBridge<Counter>
    {
        private readonly CounterFamily _family;

        public CounterBridge(CounterFamily family, RecordMode mode, string? unit, MetricRegistry registry)
            : base(family, mode, unit, registry, histogram: false) => _family = family;

        public override Recorder CreateRecorder(MetricRegistry registry) =>
            Mode == RecordMode.SetTotal ? new CounterTotal(this, registry, Series) : new CounterAdd(this, registry, Series);

        public override void Collect(ref ExpositionWriter writer) => writer.Write(_family);
    }

    private sealed class GaugeBridge : TypedBridge<Gauge>
    {
        private readonly GaugeFamily _family;

        public GaugeBridge(GaugeFamily family, RecordMode mode, string? unit, MetricRegistry registry)
            : base(family, mode, unit, registry, histogram: false) => _family = family;

        public override Recorder CreateRecorder(MetricRegistry registry) =>
            Mode == RecordMode.Add ? new GaugeAdd(this, registry, Series) : new GaugeSet(this, registry, Series);

        public override void Collect(ref ExpositionWriter writer) => writer.Write(_family);
    }

    private sealed class HistogramBridge : TypedBridge<Histogram>
    {
        private readonly HistogramFamily _family;

        public HistogramBridge(HistogramFamily family, RecordMode mode, string? unit, MetricRegistry registry)
            : base(family, mode, unit, registry, histogram: true) => _family = family;

        public override Recorder CreateRecorder(MetricRegistry registry) => new HistogramObserve(this, registry, Series);

        public override void Collect(ref ExpositionWriter writer) => writer.Write(_family);
    }

    private sealed class CounterAdd : Recorder
    {
        private readonly TagSeriesMap<Counter> _series;

        public CounterAdd(BridgedFamily family, MetricRegistry registry, TagSeriesMap<Counter> series)
            : base(family, registry) => _series = series;

        public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (value >= 0)
            {
                _series.Find(tags).Inc(value);
            }
            else
            {
                ReportInvalid(value, "a counter only adds values that are zero or positive");
            }
        }
    }

    private sealed class CounterTotal : Recorder
    {
        private readonly TagSeriesMap<Counter> _series;

        public CounterTotal(BridgedFamily family, MetricRegistry registry, TagSeriesMap<Counter> series)
            : base(family, registry) => _series = series;

        public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (value >= 0)
            {
                _series.Find(tags).SetObserved(value);
            }
            else
            {
                ReportInvalid(value, "an observable counter's total is zero or positive");
            }
        }
    }

    private sealed class GaugeAdd : Recorder
    {
        private readonly TagSeriesMap<Gauge> _series;

        public GaugeAdd(BridgedFamily family, MetricRegistry registry, TagSeriesMap<Gauge> series)
            : base(family, registry) => _series = series;

        public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => _series.Find(tags).Inc(value);
    }

    private sealed class GaugeSet : Recorder
    {
        private readonly TagSeriesMap<Gauge> _series;

        public GaugeSet(BridgedFamily family, MetricRegistry registry, TagSeriesMap<Gauge> series)
            : base(family, registry) => _series = series;

        public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => _series.Find(tags).Set(value);
    }

    private sealed class HistogramObserve : Recorder
    {
        private readonly TagSeriesMap<Histogram> _series;

        public HistogramObserve(BridgedFamily family, MetricRegistry registry, TagSeriesMap<Histogram> series)
            : base(family, registry) => _series = series;

        public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (!double.IsNaN(value))
            {
                _series.Find(tags).Observe(value);
            }
            else
            {
                ReportInvalid(value, "a histogram does not count NaN");
            }
        }
    }
}

/// <summary>
/// What the listener hands back with every measurement of one instrument (its state object): the way into the
/// family's series, with no lookup of the instrument. Never throws into the instrument's caller: values the family
/// cannot take are dropped and reported once.
/// </summary>
internal abstract class Recorder
{
    private readonly MetricRegistry _registry;
    private int _invalidReported;

    private protected Recorder(BridgedFamily family, MetricRegistry registry)
    {
        Family = family;
        _registry = registry;
    }

    public BridgedFamily Family { get; }

    public abstract void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags);

    private protected void ReportInvalid(double value, string rule)
    {
        if (Interlocked.Exchange(ref _invalidReported, 1) == 0)
        {
            _registry.ReportWarning(new ArgumentOutOfRangeException(
                "value",
                value,
                $"Metric '{Family.Descriptor.Name}' dropped the measurement {value}: {rule}. Further ones are dropped without a report."));
        }
    }
}
