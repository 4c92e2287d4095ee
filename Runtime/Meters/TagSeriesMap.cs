using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using MetricsGen.CompilerServices;
using MetricsGen.Shared;

namespace MetricsGen.Meters;

/// <summary>
/// Finds the series of a measurement's tags in a bridged family. Lookups take no lock and allocate nothing (for
/// string, bool and numeric tag values); a new tag set takes the map's lock, then the family's, and builds its label
/// text once. Past the family's limit a new tag set gets the overflow series, before anything is built.
/// </summary>
/// <typeparam name="TSeries">The series type of the family.</typeparam>
internal sealed class TagSeriesMap<TSeries>
    where TSeries : MetricSeries
{
    private readonly MetricFamily<TSeries> _family;
    private readonly bool _histogram;
    private readonly object _addLock = new();

    // Several keys may name one series (an int 5 and a string "5" both write 5): the label text decides.
    private readonly Dictionary<string, TSeries> _byLabels = new(StringComparer.Ordinal);
    private Node?[] _buckets = new Node?[16];
    private int _count;

    public TagSeriesMap(MetricFamily<TSeries> family, bool histogram)
    {
        _family = family;
        _histogram = histogram;
    }

    /// <summary>The series of <paramref name="tags"/> (in any order), created on first use, or the overflow series.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TSeries Find(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        int hash = TagKey.Hash(tags);

        // Nodes are immutable and published with a release write: a reader never sees a half-built chain.
        Node?[] buckets = Volatile.Read(ref _buckets);
        for (Node? node = buckets[hash & (buckets.Length - 1)]; node is not null; node = node.Next)
        {
            if (node.Hash == hash && TagKey.Matches(node.Key, tags))
            {
                return node.Series;
            }
        }

        return _family.IsFull ? _family.GetOverflow() : Add(tags);
    }

    private TSeries Add(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // Also the path of a tag set with a repeated name (or more tags than compared in place): its stored key differs
        // from what came in, so it is looked up here again by that key.
        TagEntry[] key = TagKey.Create(tags);
        int hash = TagKey.Hash(key);
        lock (_addLock)
        {
            for (Node? node = _buckets[hash & (_buckets.Length - 1)]; node is not null; node = node.Next)
            {
                if (node.Hash == hash && TagKey.Equal(node.Key, key))
                {
                    return node.Series;
                }
            }

            string text = LabelText(key);
            if (_byLabels.TryGetValue(text, out TSeries? same))
            {
                Insert(key, hash, same);
                return same;
            }

            lock (_family.Lock)
            {
                if (!_family.IsFull)
                {
                    TSeries created = _family.AddLocked(Encoding.UTF8.GetBytes(text), null);
                    _byLabels.Add(text, created);
                    Insert(key, hash, created);
                    return created;
                }
            }
        }

        return _family.GetOverflow();
    }

    /// <summary>
    /// The escaped label set of a key: names sanitized; tags whose names sanitize alike become one label whose values
    /// are joined with <c>;</c> in the order of the original names; labels in name order.
    /// </summary>
    private string LabelText(TagEntry[] key)
    {
        // The specification joins the values of names that sanitize alike in the order of their original names.
        TagEntry[] sorted = (TagEntry[])key.Clone();
        Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (TagEntry entry in sorted)
        {
            string name = OpenTelemetryNaming.LabelName(entry.Name);
            if (name == ExpositionRules.QuantileLabel || (_histogram && name == ExpositionRules.BucketBoundLabel))
            {
                name = "tag_" + name;
            }

            string value = entry.Value.ToLabelValue();
            labels[name] = labels.TryGetValue(name, out string? before) ? before + ";" + value : value;
        }

        var text = new StringBuilder();
        foreach (KeyValuePair<string, string> label in labels)
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }

            text.Append(label.Key).Append("=\"").Append(ExpositionRules.EscapeLabelValue(label.Value)).Append('"');
        }

        return text.ToString();
    }

    private void Insert(TagEntry[] key, int hash, TSeries series)
    {
        Node?[] buckets = _buckets;
        if (_count >= buckets.Length)
        {
            buckets = Grow(buckets);
        }

        ref Node? head = ref buckets[hash & (buckets.Length - 1)];
        Volatile.Write(ref head, new Node(key, hash, series, head));
        _count++;
    }

    private Node?[] Grow(Node?[] old)
    {
        var grown = new Node?[old.Length * 2];
        foreach (Node? head in old)
        {
            for (Node? node = head; node is not null; node = node.Next)
            {
                ref Node? slot = ref grown[node.Hash & (grown.Length - 1)];
                slot = new Node(node.Key, node.Hash, node.Series, slot);
            }
        }

        Volatile.Write(ref _buckets, grown);
        return grown;
    }

    private sealed class Node
    {
        public readonly TagEntry[] Key;
        public readonly int Hash;
        public readonly TSeries Series;
        public readonly Node? Next;

        public Node(TagEntry[] key, int hash, TSeries series, Node? next)
        {
            Key = key;
            Hash = hash;
            Series = series;
            Next = next;
        }
    }
}
