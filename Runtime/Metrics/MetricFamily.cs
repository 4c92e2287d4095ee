using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Threading;

namespace MetricsGen.CompilerServices;

/// <summary>
/// The series of one metric family in creation order, with the family's lifecycle: its cardinality limit and
/// overflow series, removal, and expiry of idle series. A scrape reads an immutable list without locks; adding a
/// series appends to it, removing one publishes a new list.
/// </summary>
/// <remarks>
/// A family of a closed label set (enum and bool labels) also indexes its series by slot, one per combination of
/// label values (<see cref="Find(int)"/>); other label sets are indexed by a <see cref="KeyedFamily{TKey, TSeries}"/>
/// around the family. For generated code, not for direct use; within a major version it only grows, because compiled libraries call it.
/// </remarks>
/// <typeparam name="TSeries">The series type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class MetricFamily<TSeries>
    where TSeries : MetricSeries
{
    /// <summary>The label set of the overflow series, the one series a family at its limit hands out.</summary>
    internal static readonly byte[] OverflowLabels = "metricsgen_overflow=\"true\""u8.ToArray();

    // The family's lock. A keyed index (KeyedFamily) takes its own lock first, then this one.
    private readonly object _addLock = new();
    private SeriesList _list = SeriesList.Empty;

    // One slot per combination of a closed label set's values; empty for other families. Written under the lock.
    private readonly TSeries?[] _slots;
    private TSeries? _unlabelled;

    // Series that count against the limit: every listed series but the overflow series.
    private int _limitedCount;
    private int _maxSeries = int.MaxValue;
    private TSeries? _overflow;
    private int _overflowReported;
    private MetricRegistry? _registry;
    private bool _configured;

    // Zero when the family does not expire series.
    private long _expireAfterMilliseconds;
    private Func<long> _clock = MetricRegistry.SystemClock;

    private protected MetricFamily(MetricDescriptor descriptor, MetricType expected, int slots)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (descriptor.Type != expected)
        {
            throw new ArgumentException($"Metric '{descriptor.Name}' is a {descriptor.Type}, not a {expected}.", nameof(descriptor));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(slots);
        Descriptor = descriptor;
        _slots = slots == 0 ? Array.Empty<TSeries?>() : new TSeries?[slots];
    }

    /// <summary>What this family is.</summary>
    public MetricDescriptor Descriptor { get; }

    /// <summary>Whether the family holds as many series as its limit allows: a new label set gets the overflow series.</summary>
    internal bool IsFull => Volatile.Read(ref _limitedCount) >= _maxSeries;

    /// <summary>How many series are exposed, the overflow series included.</summary>
    internal int Count => Snapshot().Length;

    /// <summary>The limit on series (the overflow series aside); <see cref="int.MaxValue"/> when unlimited.</summary>
    internal int MaxSeries => _maxSeries;

    /// <summary>The overflow series, or null before the first lookup over the limit.</summary>
    internal TSeries? OverflowSeries => Volatile.Read(ref _overflow);

    internal bool Expires => _expireAfterMilliseconds > 0;

    internal Func<long> Clock => _clock;

    /// <summary>The series at <paramref name="index"/>, in creation order.</summary>
    internal TSeries this[int index]
    {
        get
        {
            ReadOnlySpan<TSeries> series = Snapshot();
            return (uint)index < (uint)series.Length ? series[index] : throw new ArgumentOutOfRangeException(nameof(index));
        }
    }

    /// <summary>
    /// Sets the family's lifecycle; called once by the generated constructor, before any series is created.
    /// </summary>
    /// <param name="registry">The registry the family is exposed by: it receives the overflow warning.</param>
    /// <param name="maxSeries">The most series the family holds before new label sets share the overflow series; null for no limit.</param>
    /// <param name="expireAfterSeconds">Removes series not updated for this long (checked at scrape); null for never.</param>
    public void Configure(MetricRegistry registry, int? maxSeries, double? expireAfterSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (maxSeries < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxSeries), maxSeries, $"Metric '{Descriptor.Name}' needs MaxSeries >= 1.");
        }

        if (expireAfterSeconds is { } seconds && !(seconds > 0 && double.IsFinite(seconds)))
        {
            throw new ArgumentOutOfRangeException(nameof(expireAfterSeconds), seconds, $"Metric '{Descriptor.Name}' needs ExpireAfterSeconds > 0 (finite).");
        }

        lock (_addLock)
        {
            if (_configured || _list.Count > 0)
            {
                throw new InvalidOperationException($"Metric '{Descriptor.Name}' is configured already, or has series.");
            }

            _configured = true;
            _registry = registry;
            _maxSeries = maxSeries ?? int.MaxValue;
            _clock = registry.Clock;
            _expireAfterMilliseconds = expireAfterSeconds is { } expiry ? Math.Max(1, (long)Math.Ceiling(expiry * 1000)) : 0;
        }
    }

    /// <summary>The series without labels, made by <see cref="AddUnlabelled"/> (null before it).</summary>
    /// <remarks>A plain field read: the generated constructor makes the series before the member can be reached.</remarks>
    public TSeries Unlabelled => _unlabelled!;

    /// <summary>Creates the series without labels, which <see cref="Unlabelled"/> returns from then on.</summary>
    public TSeries AddUnlabelled()
    {
        TSeries series = Add(Array.Empty<byte>());
        Volatile.Write(ref _unlabelled, series);
        return series;
    }

    /// <summary>The series in slot <paramref name="slot"/>, or null when it has none or the slot is out of range.</summary>
    /// <remarks>The lookup of closed label sets: small enough to inline into the generated member.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TSeries? Find(int slot)
    {
        // A plain read: slots are written with a release write under the lock, and a series is published complete.
        TSeries?[] slots = _slots;
        return (uint)slot < (uint)slots.Length ? slots[slot] : null;
    }

    /// <summary>
    /// Returns the series in slot <paramref name="slot"/>, creating it with the label set
    /// <paramref name="encode"/>(<paramref name="labelValues"/>) when the slot is empty, or the overflow series when the
    /// family is full (then nothing is encoded: a flood of new label values past the limit allocates nothing).
    /// </summary>
    public TSeries GetOrAdd<TLabelValues>(int slot, TLabelValues labelValues, Func<TLabelValues, byte[]> encode)
    {
        ArgumentNullException.ThrowIfNull(encode);
        CheckSlot(slot);

        // Past the limit, without taking the lock: the caller has just found this slot empty.
        if (IsFull)
        {
            return GetOverflow();
        }

        TSeries? overflow;
        lock (_addLock)
        {
            TSeries? existing = _slots[slot];
            if (existing is not null)
            {
                return existing;
            }

            if (!IsFull)
            {
                TSeries created = AppendLocked(Create(encode(labelValues), Expires ? new SlotHome(this, slot) : null), limited: true);
                Volatile.Write(ref _slots[slot], created);
                return created;
            }

            overflow = _overflow;
        }

        return overflow ?? GetOverflow();
    }

    /// <summary>Creates and appends a series with the encoded label set <paramref name="labels"/>; no limit applies.</summary>
    internal TSeries Add(byte[] labels)
    {
        lock (_addLock)
        {
            return AppendLocked(Create(labels, null), limited: true);
        }
    }

    /// <summary>
    /// The family's one overflow series (label <c>metricsgen_overflow="true"</c>), created on first use: every lookup of
    /// a new label set past the limit returns it, so the sum over the family still holds everything recorded.
    /// </summary>
    internal TSeries GetOverflow()
    {
        TSeries? overflow = Volatile.Read(ref _overflow);
        return overflow ?? CreateOverflow();
    }

    /// <summary>
    /// Removes the series in slot <paramref name="slot"/>; false when there was none (or the slot is out of range).
    /// A handle still held keeps working, unexposed; the next lookup creates a fresh series.
    /// </summary>
    public bool Remove(int slot)
    {
        if ((uint)slot >= (uint)_slots.Length)
        {
            return false;
        }

        lock (_addLock)
        {
            TSeries? existing = _slots[slot];
            if (existing is null)
            {
                return false;
            }

            Volatile.Write(ref _slots[slot], null);
            RemoveLocked(existing);
            return true;
        }
    }

    /// <summary>Removes every series of a slot-indexed family, the overflow series included.</summary>
    public void Clear()
    {
        lock (_addLock)
        {
            for (int i = 0; i < _slots.Length; i++)
            {
                Volatile.Write(ref _slots[i], null);
            }

            ClearLocked();
        }
    }

    private void CheckSlot(int slot)
    {
        if ((uint)slot >= (uint)_slots.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(slot), slot, $"Metric '{Descriptor.Name}' has {_slots.Length} slots.");
        }
    }

    private protected abstract TSeries Create(byte[] labels, SeriesHome? home);

    internal ReadOnlySpan<TSeries> Snapshot()
    {
        SeriesList list = Volatile.Read(ref _list);

        // A list's array is never shrunk or reordered, and grows before its count: it holds at least `count` series.
        return list.Items.AsSpan(0, Volatile.Read(ref list.Count));
    }

    /// <summary>The family's lock, for an index that updates itself and the family together.</summary>
    internal object Lock => _addLock;

    /// <summary>Creates a series for an index (a map) that has checked <see cref="IsFull"/> under <see cref="Lock"/>.</summary>
    internal TSeries AddLocked(byte[] labels, SeriesHome? home) => AppendLocked(Create(labels, home), limited: true);

    /// <summary>Puts an expired series back; the caller holds the index lock and <see cref="Lock"/> and checked the limit.</summary>
    internal void ReaddLocked(TSeries series)
    {
        series.Home!.MarkLive();
        AppendLocked(series, limited: true);
    }

    internal void RemoveLocked(TSeries series)
    {
        series.Home?.MarkRemoved();
        Unlist(series);
    }

    internal void ClearLocked()
    {
        foreach (TSeries series in Snapshot())
        {
            series.Home?.MarkRemoved();
        }

        Volatile.Write(ref _list, SeriesList.Empty);
        Volatile.Write(ref _limitedCount, 0);
        Volatile.Write(ref _overflow, null);
    }

    /// <summary>
    /// Removes the series not updated for the family's expiry time, from the family and from their index. Called at
    /// every scrape of the family; allocates only when something expires.
    /// </summary>
    internal void SweepExpired()
    {
        long expireAfter = _expireAfterMilliseconds;
        if (expireAfter == 0)
        {
            return;
        }

        long now = _clock();
        object? indexLock = null;
        foreach (TSeries series in Snapshot())
        {
            if (series.Home is { State: SeriesHome.Live } home && now - home.LastTouched >= expireAfter)
            {
                indexLock = home.IndexLock;
                break;
            }
        }

        if (indexLock is null)
        {
            return;
        }

        lock (indexLock)
        {
            lock (_addLock)
            {
                var kept = new List<TSeries>();
                SeriesList list = _list;
                int limited = 0;
                bool expired = false;
                foreach (TSeries series in list.Items.AsSpan(0, list.Count))
                {
                    if (series.Home is { } home && home.TryExpire(now, expireAfter))
                    {
                        home.Forget(series);
                        expired = true;
                        continue;
                    }

                    kept.Add(series);
                    limited += ReferenceEquals(series, _overflow) ? 0 : 1;
                }

                if (expired)
                {
                    Volatile.Write(ref _list, new SeriesList(kept.ToArray(), kept.Count));
                    Volatile.Write(ref _limitedCount, limited);
                }
            }
        }
    }

    private TSeries AppendLocked(TSeries series, bool limited)
    {
        SeriesList list = _list;
        int count = list.Count;
        if (count == list.Items.Length)
        {
            var grown = new TSeries[Math.Max(4, count * 2)];
            list.Items.AsSpan(0, count).CopyTo(grown);
            list = new SeriesList(grown, count);
            Volatile.Write(ref _list, list);
        }

        list.Items[count] = series;

        // Release: a reader that sees the new count sees the series in the array.
        Volatile.Write(ref list.Count, count + 1);
        if (limited)
        {
            Volatile.Write(ref _limitedCount, _limitedCount + 1);
        }

        return series;
    }

    private void Unlist(TSeries series)
    {
        SeriesList list = _list;
        int index = Array.IndexOf(list.Items, series, 0, list.Count);
        if (index < 0)
        {
            return;
        }

        // A new list: a scrape reading the old one still sees a complete, consistent set of series.
        var items = new TSeries[Math.Max(4, list.Items.Length)];
        Array.Copy(list.Items, 0, items, 0, index);
        Array.Copy(list.Items, index + 1, items, index, list.Count - index - 1);
        Volatile.Write(ref _list, new SeriesList(items, list.Count - 1));
        if (ReferenceEquals(series, _overflow))
        {
            Volatile.Write(ref _overflow, null);
        }
        else
        {
            Volatile.Write(ref _limitedCount, _limitedCount - 1);
        }
    }

    private TSeries CreateOverflow()
    {
        TSeries overflow;
        lock (_addLock)
        {
            if (_overflow is { } existing)
            {
                return existing;
            }

            overflow = AppendLocked(Create(OverflowLabels, null), limited: false);
            Volatile.Write(ref _overflow, overflow);
        }

        if (Interlocked.Exchange(ref _overflowReported, 1) == 0)
        {
            _registry?.ReportWarning(new SeriesLimitExceededException(Descriptor.Name, _maxSeries));
        }

        return overflow;
    }

    /// <summary>The series of a family in creation order; <see cref="Count"/> only grows within one list.</summary>
    private sealed class SeriesList
    {
        public static readonly SeriesList Empty = new(Array.Empty<TSeries>(), 0);

        public readonly TSeries[] Items;
        public int Count;

        public SeriesList(TSeries[] items, int count)
        {
            Items = items;
            Count = count;
        }
    }

    /// <summary>The home of a series in a slot of its family (closed label sets).</summary>
    private sealed class SlotHome : SeriesHome
    {
        private readonly MetricFamily<TSeries> _family;
        private readonly TSeries?[] _slots;
        private readonly int _index;

        public SlotHome(MetricFamily<TSeries> family, int index)
            : base(family._clock)
        {
            _family = family;
            _slots = family._slots;
            _index = index;
        }

        internal override object IndexLock => _family._addLock;

        internal override void Forget(MetricSeries series)
        {
            if (ReferenceEquals(_slots[_index], series))
            {
                Volatile.Write(ref _slots[_index], null);
            }
        }

        internal override MetricSeries Readmit(MetricSeries series)
        {
            TSeries? overflow;
            lock (_family._addLock)
            {
                if (State != Expired)
                {
                    return series;
                }

                if (Volatile.Read(ref _slots[_index]) is { } holder)
                {
                    return holder;
                }

                if (!_family.IsFull)
                {
                    _family.ReaddLocked((TSeries)series);
                    Volatile.Write(ref _slots[_index], (TSeries)series);
                    return series;
                }

                overflow = _family._overflow;
            }

            return overflow ?? _family.GetOverflow();
        }
    }
}

/// <summary>The series of a counter family.</summary>
/// <remarks>For generated code, not for direct use; within a major version it only grows, because compiled libraries call it.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class CounterFamily : MetricFamily<Counter>
{
    /// <summary>Creates an empty family with <paramref name="slots"/> slots (see <see cref="MetricFamily{TSeries}.Find(int)"/>).</summary>
    public CounterFamily(MetricDescriptor descriptor, int slots = 0)
        : base(descriptor, MetricType.Counter, slots)
    {
    }

    private protected override Counter Create(byte[] labels, SeriesHome? home) => new(Descriptor, labels, home);
}

/// <summary>The series of a gauge family.</summary>
/// <remarks>For generated code, not for direct use; within a major version it only grows, because compiled libraries call it.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class GaugeFamily : MetricFamily<Gauge>
{
    /// <summary>Creates an empty family with <paramref name="slots"/> slots (see <see cref="MetricFamily{TSeries}.Find(int)"/>).</summary>
    public GaugeFamily(MetricDescriptor descriptor, int slots = 0)
        : base(descriptor, MetricType.Gauge, slots)
    {
    }

    private protected override Gauge Create(byte[] labels, SeriesHome? home) => new(Descriptor, labels, home);
}

/// <summary>The series of a histogram family.</summary>
/// <remarks>For generated code, not for direct use; within a major version it only grows, because compiled libraries call it.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class HistogramFamily : MetricFamily<Histogram>
{
    /// <summary>Creates an empty family with <paramref name="slots"/> slots (see <see cref="MetricFamily{TSeries}.Find(int)"/>).</summary>
    public HistogramFamily(MetricDescriptor descriptor, int slots = 0)
        : base(descriptor, MetricType.Histogram, slots)
    {
    }

    private protected override Histogram Create(byte[] labels, SeriesHome? home) => new(Descriptor, labels, home);
}

/// <summary>The series of a summary family.</summary>
/// <remarks>For generated code, not for direct use; within a major version it only grows, because compiled libraries call it.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class SummaryFamily : MetricFamily<Summary>
{
    /// <summary>Creates an empty family with <paramref name="slots"/> slots (see <see cref="MetricFamily{TSeries}.Find(int)"/>).</summary>
    public SummaryFamily(MetricDescriptor descriptor, int slots = 0)
        : base(descriptor, MetricType.Summary, slots)
    {
    }

    private protected override Summary Create(byte[] labels, SeriesHome? home) => new(Descriptor, labels, home);
}

/// <summary>The series of a state set family.</summary>
/// <typeparam name="TEnum">The enum whose declared members are the states.</typeparam>
/// <remarks>For generated code, not for direct use; within a major version it only grows, because compiled libraries call it.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class StateSetFamily<TEnum> : MetricFamily<StateSet<TEnum>>
    where TEnum : struct, Enum
{
    private readonly TEnum[] _states;

    /// <summary>
    /// Creates an empty family whose states are <paramref name="states"/>, in the descriptor's order, with
    /// <paramref name="slots"/> slots (see <see cref="MetricFamily{TSeries}.Find(int)"/>).
    /// </summary>
    public StateSetFamily(MetricDescriptor descriptor, TEnum[] states, int slots = 0)
        : base(descriptor, MetricType.StateSet, slots)
    {
        ArgumentNullException.ThrowIfNull(states);
        if (states.Length != descriptor.States.Count)
        {
            throw new ArgumentException($"State set '{descriptor.Name}' names {descriptor.States.Count} states but got {states.Length} values.", nameof(states));
        }

        _states = states;
    }

    private protected override StateSet<TEnum> Create(byte[] labels, SeriesHome? home) => new(Descriptor, labels, _states, home);
}

/// <summary>
/// An info family: one series whose labels are replaced by each <see cref="Set"/>; nothing is exposed before
/// the first one.
/// </summary>
/// <remarks>For generated code, not for direct use; within a major version it only grows, because compiled libraries call it.</remarks>
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
