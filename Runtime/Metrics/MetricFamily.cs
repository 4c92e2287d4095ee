using System;
using System.ComponentModel;
using System.Threading;

namespace MetricsGen.CompilerServices;

/// <summary>
/// The series of one metric family in creation order. Series are only ever added, so a scrape reads them
/// without locks while other threads create new ones.
/// </summary>
/// <typeparam name="TSeries">The series type.</typeparam>
/// <remarks>For generated code; may change between versions.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class MetricFamily<TSeries>
    where TSeries : MetricSeries
{
    private readonly object _addLock = new();
    private TSeries[] _series = Array.Empty<TSeries>();
    private int _count;

    private protected MetricFamily(MetricDescriptor descriptor, MetricType expected)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (descriptor.Type != expected)
        {
            throw new ArgumentException($"Metric '{descriptor.Name}' is a {descriptor.Type}, not a {expected}.", nameof(descriptor));
        }

        Descriptor = descriptor;
    }

    /// <summary>What this family is.</summary>
    public MetricDescriptor Descriptor { get; }

    /// <summary>How many series exist.</summary>
    internal int Count => Volatile.Read(ref _count);

    /// <summary>The series at <paramref name="index"/>, in creation order.</summary>
    internal TSeries this[int index] => index < Count ? Volatile.Read(ref _series)[index] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>Creates a series without labels.</summary>
    public TSeries AddUnlabelled() => Add(Array.Empty<byte>());

    /// <summary>
    /// Returns the series in <paramref name="slot"/>, creating it with <paramref name="labels"/> when the slot is empty.
    /// Used by generated code for closed (enum and bool) label sets.
    /// </summary>
    public TSeries GetOrAdd(ref TSeries? slot, byte[] labels)
    {
        lock (_addLock)
        {
            TSeries? existing = Volatile.Read(ref slot);
            if (existing is not null)
            {
                return existing;
            }

            TSeries created = AddLocked(labels);
            Volatile.Write(ref slot, created);
            return created;
        }
    }

    /// <summary>Creates and appends a series with the encoded label set <paramref name="labels"/>.</summary>
    public TSeries Add(byte[] labels)
    {
        lock (_addLock)
        {
            return AddLocked(labels);
        }
    }

    private protected abstract TSeries Create(byte[] labels);

    internal ReadOnlySpan<TSeries> Snapshot()
    {
        int count = Volatile.Read(ref _count);

        // The array is replaced before the count grows, so this array holds at least `count` series.
        return Volatile.Read(ref _series).AsSpan(0, count);
    }

    private TSeries AddLocked(byte[] labels)
    {
        TSeries created = Create(labels);
        TSeries[] series = _series;
        if (_count == series.Length)
        {
            Array.Resize(ref series, Math.Max(4, series.Length * 2));
            Volatile.Write(ref _series, series);
        }

        series[_count] = created;
        Volatile.Write(ref _count, _count + 1);
        return created;
    }
}

/// <summary>The series of a counter family.</summary>
/// <remarks>For generated code; may change between versions.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class CounterFamily : MetricFamily<Counter>
{
    /// <summary>Creates an empty family.</summary>
    public CounterFamily(MetricDescriptor descriptor)
        : base(descriptor, MetricType.Counter)
    {
    }

    private protected override Counter Create(byte[] labels) => new(Descriptor, labels);
}

/// <summary>The series of a gauge family.</summary>
/// <remarks>For generated code; may change between versions.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class GaugeFamily : MetricFamily<Gauge>
{
    /// <summary>Creates an empty family.</summary>
    public GaugeFamily(MetricDescriptor descriptor)
        : base(descriptor, MetricType.Gauge)
    {
    }

    private protected override Gauge Create(byte[] labels) => new(Descriptor, labels);
}

/// <summary>The series of a histogram family.</summary>
/// <remarks>For generated code; may change between versions.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class HistogramFamily : MetricFamily<Histogram>
{
    /// <summary>Creates an empty family.</summary>
    public HistogramFamily(MetricDescriptor descriptor)
        : base(descriptor, MetricType.Histogram)
    {
    }

    private protected override Histogram Create(byte[] labels) => new(Descriptor, labels);
}

/// <summary>The series of a summary family.</summary>
/// <remarks>For generated code; may change between versions.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class SummaryFamily : MetricFamily<Summary>
{
    /// <summary>Creates an empty family.</summary>
    public SummaryFamily(MetricDescriptor descriptor)
        : base(descriptor, MetricType.Summary)
    {
    }

    private protected override Summary Create(byte[] labels) => new(Descriptor, labels);
}

/// <summary>The series of a state set family.</summary>
/// <typeparam name="TEnum">The enum whose declared members are the states.</typeparam>
/// <remarks>For generated code; may change between versions.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class StateSetFamily<TEnum> : MetricFamily<StateSet<TEnum>>
    where TEnum : struct, Enum
{
    private readonly TEnum[] _states;

    /// <summary>Creates an empty family whose states are <paramref name="states"/>, in the descriptor's order.</summary>
    public StateSetFamily(MetricDescriptor descriptor, TEnum[] states)
        : base(descriptor, MetricType.StateSet)
    {
        ArgumentNullException.ThrowIfNull(states);
        if (states.Length != descriptor.States.Count)
        {
            throw new ArgumentException($"State set '{descriptor.Name}' names {descriptor.States.Count} states but got {states.Length} values.", nameof(states));
        }

        _states = states;
    }

    private protected override StateSet<TEnum> Create(byte[] labels) => new(Descriptor, labels, _states);
}

/// <summary>
/// An info family: one series whose labels are replaced by each <see cref="Set"/>; nothing is exposed before
/// the first one.
/// </summary>
/// <remarks>For generated code; may change between versions.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class InfoFamily
{
    private byte[]? _labels;

    /// <summary>Creates a family with no labels set yet.</summary>
    public InfoFamily(MetricDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (descriptor.Type != MetricType.Info)
        {
            throw new ArgumentException($"Metric '{descriptor.Name}' is a {descriptor.Type}, not an Info.", nameof(descriptor));
        }

        Descriptor = descriptor;
    }

    /// <summary>What this family is.</summary>
    public MetricDescriptor Descriptor { get; }

    /// <summary>Replaces the encoded label set of the one series.</summary>
    public void Set(byte[] labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        Volatile.Write(ref _labels, labels);
    }

    /// <summary>The current label set, or null before the first <see cref="Set"/>.</summary>
    internal byte[]? Labels => Volatile.Read(ref _labels);
}
