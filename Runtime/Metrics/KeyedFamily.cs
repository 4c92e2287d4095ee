using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Threading;

namespace MetricsGen.CompilerServices;

/// <summary>
/// A metric family whose series are found by a generated, value-typed key of their label values: the family of a
/// label set that holds strings or integers. Lookups take no lock and allocate nothing; additions take a lock.
/// </summary>
/// <typeparam name="TKey">A generated struct holding the label values.</typeparam>
/// <typeparam name="TSeries">The series type.</typeparam>
/// <remarks>For generated code, not for direct use; within a major version it only grows, because compiled libraries call it.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class KeyedFamily<TKey, TSeries>
    where TKey : struct, IEquatable<TKey>
    where TSeries : MetricSeries
{
    private readonly object _addLock = new();
    private readonly MetricFamily<TSeries> _family;
    private Node?[] _buckets = new Node?[16];
    private int _count;

    /// <summary>Creates an empty keyed family around <paramref name="family"/>, which holds the series and their lifecycle.</summary>
    public KeyedFamily(MetricFamily<TSeries> family)
    {
        ArgumentNullException.ThrowIfNull(family);
        _family = family;
    }

    /// <summary>The family of the series, in creation order: what the exposition writes.</summary>
    public MetricFamily<TSeries> Family => _family;

    /// <summary>How many label sets the map holds.</summary>
    internal int Count => Volatile.Read(ref _count);

    /// <inheritdoc cref="MetricFamily{TSeries}.Configure(MetricRegistry, int?, double?)"/>
    public void Configure(MetricRegistry registry, int? maxSeries, double? expireAfterSeconds = null) =>
        _family.Configure(registry, maxSeries, expireAfterSeconds);

    /// <summary>The series of <paramref name="key"/>, or null when it has none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TSeries? Find(in TKey key) => TryGetValue(in key, out TSeries? series) ? series : null;

    /// <summary>Looks up the series of <paramref name="key"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool TryGetValue(in TKey key, [MaybeNullWhen(false)] out TSeries series)
    {
        int hash = key.GetHashCode();
        Node?[] buckets = Volatile.Read(ref _buckets);

        // Nodes are immutable and published with a release write, so a reader never sees a half-built chain.
        // A plain element read (not Volatile.Read(ref buckets[i])): taking the element's address costs a
        // covariance check through a runtime helper in shared generic code, which was most of a lookup's time.
        for (Node? node = buckets[BucketOf(hash, buckets.Length)]; node is not null; node = node.Next)
        {
            if (node.Key.Equals(key))
            {
                series = node.Series;
                return true;
            }
        }

        series = null;
        return false;
    }

    /// <summary>
    /// Returns the series of <paramref name="key"/>, creating it with the label set <paramref name="encode"/>(key)
    /// when no other thread has, or the family's overflow series when it is full (then nothing is encoded: a flood
    /// of new label values past the limit allocates nothing).
    /// </summary>
    public TSeries GetOrAdd(in TKey key, Func<TKey, byte[]> encode)
    {
        ArgumentNullException.ThrowIfNull(encode);
        MetricFamily<TSeries> family = _family;

        // Past the limit, without taking a lock: the caller has just missed this key, and a flood of new label sets
        // must cost no more than a lookup (case 12, LookupOverTheLimit).
        if (family.IsFull)
        {
            return family.GetOverflow();
        }

        lock (_addLock)
        {
            if (TryGetValue(in key, out TSeries? existing))
            {
                return existing;
            }

            lock (family.Lock)
            {
                if (!family.IsFull)
                {
                    TSeries created = family.AddLocked(encode(key), family.Expires ? new Home(this, key) : null);
                    Insert(key, created);
                    return created;
                }
            }
        }

        return family.GetOverflow();
    }

    /// <summary>
    /// Removes the series of <paramref name="key"/>; false when there was none. A handle still held keeps working,
    /// unexposed; the next lookup creates a fresh series.
    /// </summary>
    public bool Remove(in TKey key)
    {
        MetricFamily<TSeries> family = _family;
        lock (_addLock)
        {
            if (!TryGetValue(in key, out TSeries? existing))
            {
                return false;
            }

            lock (family.Lock)
            {
                family.RemoveLocked(existing);
                Unlink(key);
            }

            return true;
        }
    }

    /// <summary>Removes every series, the overflow series included.</summary>
    public void Clear()
    {
        MetricFamily<TSeries> family = _family;
        lock (_addLock)
        {
            lock (family.Lock)
            {
                family.ClearLocked();
                Volatile.Write(ref _buckets, new Node?[16]);
                Volatile.Write(ref _count, 0);
            }
        }
    }

    // Fibonacci hashing: the top bits of the hash times 2^32/phi pick the bucket, so every bit of the hash counts (keys
    // of integral labels that differ only in high bits, multiples of 1024 say, still spread). One multiply and a
    // shift: a lookup waits for this after the key's hash, and MurmurHash3's finalizer here took twice as long.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int BucketOf(int hash, int bucketCount) =>
        (int)(((uint)hash * 0x9E3779B9u) >> (32 - BitOperations.Log2((uint)bucketCount)));

    private void Insert(in TKey key, TSeries series)
    {
        Node?[] buckets = _buckets;
        if (_count >= buckets.Length)
        {
            buckets = Grow(buckets);
        }

        ref Node? head = ref buckets[BucketOf(key.GetHashCode(), buckets.Length)];
        Volatile.Write(ref head, new Node(key, series, head));
        Volatile.Write(ref _count, _count + 1);
    }

    private Node?[] Grow(Node?[] old)
    {
        var grown = new Node?[old.Length * 2];
        foreach (Node? head in old)
        {
            for (Node? node = head; node is not null; node = node.Next)
            {
                ref Node? slot = ref grown[BucketOf(node.Key.GetHashCode(), grown.Length)];
                slot = new Node(node.Key, node.Series, slot);
            }
        }

        Volatile.Write(ref _buckets, grown);
        return grown;
    }

    // Rebuilds the chain of the key's bucket without it: nodes are immutable, so a reader walking the old chain
    // still finds every other key.
    private void Unlink(in TKey key)
    {
        Node?[] buckets = _buckets;
        ref Node? head = ref buckets[BucketOf(key.GetHashCode(), buckets.Length)];
        Node? rebuilt = null;
        bool found = false;
        for (Node? node = head; node is not null; node = node.Next)
        {
            if (!found && node.Key.Equals(key))
            {
                found = true;
                continue;
            }

            rebuilt = new Node(node.Key, node.Series, rebuilt);
        }

        if (found)
        {
            Volatile.Write(ref head, rebuilt);
            Volatile.Write(ref _count, _count - 1);
        }
    }

    /// <summary>The home of a series of an expiring family: this map under its key.</summary>
    private sealed class Home : SeriesHome
    {
        private readonly KeyedFamily<TKey, TSeries> _map;
        private readonly MetricFamily<TSeries> _family;
        private readonly TKey _key;

        public Home(KeyedFamily<TKey, TSeries> map, TKey key)
            : base(map._family.Clock)
        {
            _map = map;
            _family = map._family;
            _key = key;
        }

        internal override object IndexLock => _map._addLock;

        internal override void Forget(MetricSeries series)
        {
            if (_map.TryGetValue(in _key, out TSeries? found) && ReferenceEquals(found, series))
            {
                _map.Unlink(in _key);
            }
        }

        internal override MetricSeries Readmit(MetricSeries series)
        {
            lock (_map._addLock)
            {
                if (State != Expired)
                {
                    return series;
                }

                if (_map.TryGetValue(in _key, out TSeries? holder))
                {
                    return holder;
                }

                lock (_family.Lock)
                {
                    if (!_family.IsFull)
                    {
                        _family.ReaddLocked((TSeries)series);
                        _map.Insert(_key, (TSeries)series);
                        return series;
                    }
                }
            }

            return _family.GetOverflow();
        }
    }

    // No cached hash: it would cost 8 bytes per series, and the key comparison rejects a stranger as fast.
    private sealed class Node
    {
        public readonly TKey Key;
        public readonly TSeries Series;
        public readonly Node? Next;

        public Node(TKey key, TSeries series, Node? next)
        {
            Key = key;
            Series = series;
            Next = next;
        }
    }
}
