using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace MetricsGen;

/// <summary>
/// The sparse exponential buckets of a native histogram, as the native-histogram specification defines them: for
/// schema s the bucket boundaries are the powers of 2^(2^−s), positive bucket i holds (base^(i−1), base^i], negative
/// values mirror it, and |v| ≤ the zero threshold goes to the zero bucket. Observing is lock-free and allocation-free
/// once a value's region has been seen.
/// </summary>
/// <remarks>
/// Counts are kept at the configured schema in chunks of 64 neighbouring buckets that never move, so a growing range
/// never loses a concurrent increment. The bucket limit is applied when the histogram is exposed: neighbouring buckets
/// are merged (the schema lowered) until at most <c>NativeMaxBuckets</c> are populated, which is what client_golang
/// does to its storage; here the finer counts stay, so a distribution that narrows again regains its resolution.
/// Memory grows with the range of observed values, not their number (64 buckets, 512 bytes, cover 8 octaves at
/// schema 3).
/// </remarks>
internal sealed class NativeBuckets
{
    public const int MinSchema = -4;
    public const int MaxSchema = 8;

    private readonly int _schema;
    private readonly double _zeroThreshold;
    private readonly int _maxBuckets;

    // For schema > 0: the 2^s bucket boundaries within one octave, scaled to the mantissa range [0.5, 1).
    private readonly double[] _octaveBounds;
    private readonly SparseCounts _positive = new();
    private readonly SparseCounts _negative = new();
    private long _zeroCount;

    public NativeBuckets(int schema, double zeroThreshold, int maxBuckets)
    {
        _schema = schema;
        _zeroThreshold = zeroThreshold;
        _maxBuckets = maxBuckets;
        _octaveBounds = schema > 0 ? OctaveBounds(schema) : Array.Empty<double>();
    }

    public int Schema => _schema;

    public double ZeroThreshold => _zeroThreshold;

    public long ZeroCount => Volatile.Read(ref _zeroCount);

    /// <summary>Counts <paramref name="value"/> (not NaN; the histogram refuses it). ±Inf count only in count and sum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Observe(double value)
    {
        double magnitude = Math.Abs(value);
        if (magnitude <= _zeroThreshold)
        {
            Interlocked.Increment(ref _zeroCount);
            return;
        }

        if (double.IsInfinity(magnitude))
        {
            return;
        }

        (value > 0 ? _positive : _negative).Increment(Index(magnitude));
    }

    /// <summary>The index of the bucket that holds <paramref name="magnitude"/> (positive, finite) at this schema.</summary>
    public int Index(double magnitude) => Index(magnitude, _schema, _octaveBounds);

    /// <summary>
    /// The bucket index of <paramref name="magnitude"/> at <paramref name="schema"/>, from the value's binary exponent
    /// and mantissa (no logarithm): with v = m·2^e and m in [0.5, 1), the index is 2^s·e plus the position of m
    /// among the octave's boundaries.
    /// </summary>
    public static int Index(double magnitude, int schema, double[] octaveBounds)
    {
        int exponent = Frexp(magnitude, out double mantissa);
        if (schema > 0)
        {
            // The first boundary at or above the mantissa; 2^s when the mantissa lies above the last one.
            int position = Array.BinarySearch(octaveBounds, mantissa);
            if (position < 0)
            {
                position = ~position;
            }

            return position + ((exponent - 1) << schema);
        }

        // Coarser than one bucket per octave: v = 2^(e−1) exactly sits on a boundary and belongs below it.
        int key = mantissa == 0.5 ? exponent - 1 : exponent;
        int shift = -schema;
        return (key + (1 << shift) - 1) >> shift;
    }

    /// <summary>The 2^s boundaries 2^(j/2^s − 1), j = 0 … 2^s − 1, within [0.5, 1).</summary>
    public static double[] OctaveBounds(int schema)
    {
        int count = 1 << schema;
        var bounds = new double[count];
        for (int j = 0; j < count; j++)
        {
            bounds[j] = Math.Pow(2, (double)j / count - 1);
        }

        return bounds;
    }

    /// <summary>The schema whose bucket growth factor is the largest that does not exceed <paramref name="factor"/>.</summary>
    public static int SchemaFor(double factor)
    {
        for (int schema = MinSchema; schema <= MaxSchema; schema++)
        {
            if (Math.Pow(2, Math.Pow(2, -schema)) <= factor)
            {
                return schema;
            }
        }

        return MaxSchema;
    }

    /// <summary>
    /// How many schema steps to merge so that at most the configured number of buckets are populated (never below
    /// schema −4).
    /// </summary>
    public int Reduction()
    {
        int reduction = 0;
        while (_schema - reduction > MinSchema && _positive.Populated(reduction) + _negative.Populated(reduction) > _maxBuckets)
        {
            reduction++;
        }

        return reduction;
    }

    public SparseCounts Positive => _positive;

    public SparseCounts Negative => _negative;

    /// <summary>
    /// Writes the native fields of an <c>io.prometheus.client.Histogram</c>: schema 5, zero_threshold 6, zero_count 7,
    /// negative_span 9 / negative_delta 10, positive_span 12 / positive_delta 13.
    /// </summary>
    public void WriteProto(ProtobufWriter proto)
    {
        int reduction = Reduction();
        proto.SignedField(5, _schema - reduction);
        proto.DoubleField(6, _zeroThreshold);
        proto.UInt64Field(7, (ulong)ZeroCount);
        var negative = new SpanWriter(proto, reduction, spanField: 9, deltaField: 10);
        _negative.ForEach(ref negative);
        negative.Finish();
        var positive = new SpanWriter(proto, reduction, spanField: 12, deltaField: 13);
        _positive.ForEach(ref positive);
        if (!positive.Finish() && !negative.Wrote)
        {
            // Without any bucket, a span of length 0 tells Prometheus this is a native histogram all the same.
            proto.BeginMessage(12);
            proto.SignedField(1, 0);
            proto.UInt64Field(2, 0);
            proto.EndMessage();
        }
    }

    /// <summary>
    /// Turns ascending bucket counts into spans (offset, length) and deltas (each count minus the previous one),
    /// merging 2^reduction neighbours into one bucket as it goes.
    /// </summary>
    private struct SpanWriter : IBucketVisitor
    {
        private readonly ProtobufWriter _proto;
        private readonly int _reduction;
        private readonly int _spanField;
        private readonly int _deltaField;
        private bool _pending;
        private int _index;
        private long _count;
        private bool _inSpan;
        private int _spanOffset;
        private int _spanLength;
        private int _lastIndex;
        private long _previousCount;

        public SpanWriter(ProtobufWriter proto, int reduction, int spanField, int deltaField)
        {
            _proto = proto;
            _reduction = reduction;
            _spanField = spanField;
            _deltaField = deltaField;
            _pending = false;
            _index = 0;
            _count = 0;
            _inSpan = false;
            _spanOffset = 0;
            _spanLength = 0;
            _lastIndex = 0;
            _previousCount = 0;
            Wrote = false;
        }

        public bool Wrote { get; private set; }

        public void Visit(int index, long count)
        {
            int merged = NativeBucketMath.Merge(index, _reduction);
            if (_pending && merged == _index)
            {
                _count += count;
                return;
            }

            if (_pending)
            {
                Emit(_index, _count);
            }

            _pending = true;
            _index = merged;
            _count = count;
        }

        /// <summary>Writes what is left; returns whether any bucket was written.</summary>
        public bool Finish()
        {
            if (_pending)
            {
                Emit(_index, _count);
                _pending = false;
            }

            if (_inSpan)
            {
                WriteSpan();
                _inSpan = false;
            }

            return Wrote;
        }

        private void Emit(int index, long count)
        {
            if (!_inSpan)
            {
                _inSpan = true;
                _spanOffset = index;
                _spanLength = 1;
            }
            else if (index == _lastIndex + 1)
            {
                _spanLength++;
            }
            else
            {
                WriteSpan();
                _spanOffset = index - _lastIndex - 1;
                _spanLength = 1;
            }

            _proto.SignedField(_deltaField, count - _previousCount);
            _previousCount = count;
            _lastIndex = index;
            Wrote = true;
        }

        private void WriteSpan()
        {
            _proto.BeginMessage(_spanField);
            _proto.SignedField(1, _spanOffset);
            _proto.UInt64Field(2, (ulong)_spanLength);
            _proto.EndMessage();
        }
    }

    // frexp: magnitude = mantissa · 2^exponent with mantissa in [0.5, 1), subnormals included.
    private static int Frexp(double magnitude, out double mantissa)
    {
        long bits = BitConverter.DoubleToInt64Bits(magnitude);
        int biased = (int)(bits >> 52) & 0x7FF;
        if (biased == 0)
        {
            // Subnormal: rare, so the exact but slower route.
            int exponent = Math.ILogB(magnitude) + 1;
            mantissa = Math.ScaleB(magnitude, -exponent);
            return exponent;
        }

        mantissa = BitConverter.Int64BitsToDouble((bits & 0x000F_FFFF_FFFF_FFFFL) | 0x3FE0_0000_0000_0000L);
        return biased - 1022;
    }
}

/// <summary>
/// Bucket counts by index in chunks of 64 that, once created, never move: the directory of chunks is replaced
/// (under a lock) when the range grows, and every directory shares the same chunk arrays, so an increment through a
/// stale directory still lands in the live count.
/// </summary>
internal sealed class SparseCounts
{
    private const int ChunkShift = 6;
    private const int ChunkSize = 1 << ChunkShift;

    private readonly object _growLock = new();
    private Directory _directory = new(0, Array.Empty<long[]?>());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Increment(int index)
    {
        Directory directory = Volatile.Read(ref _directory);
        int chunk = (index >> ChunkShift) - directory.FirstChunk;
        if ((uint)chunk < (uint)directory.Chunks.Length && directory.Chunks[chunk] is { } counts)
        {
            Interlocked.Increment(ref counts[index & (ChunkSize - 1)]);
            return;
        }

        IncrementSlow(index);
    }

    /// <summary>Calls <paramref name="visit"/> for every bucket with a count, in ascending index order.</summary>
    public void ForEach<TVisitor>(ref TVisitor visit)
        where TVisitor : struct, IBucketVisitor
    {
        Directory directory = Volatile.Read(ref _directory);
        long[]?[] chunks = directory.Chunks;
        for (int c = 0; c < chunks.Length; c++)
        {
            long[]? counts = Volatile.Read(ref chunks[c]);
            if (counts is null)
            {
                continue;
            }

            int first = (directory.FirstChunk + c) << ChunkShift;
            for (int i = 0; i < counts.Length; i++)
            {
                long count = Volatile.Read(ref counts[i]);
                if (count != 0)
                {
                    visit.Visit(first + i, count);
                }
            }
        }
    }

    /// <summary>How many buckets have a count after merging 2^<paramref name="reduction"/> neighbours into one.</summary>
    public int Populated(int reduction)
    {
        var counter = new PopulatedCounter(reduction);
        ForEach(ref counter);
        return counter.Count;
    }

    private void IncrementSlow(int index)
    {
        lock (_growLock)
        {
            Directory directory = _directory;
            int chunkIndex = index >> ChunkShift;
            if (directory.Chunks.Length == 0)
            {
                directory = new Directory(chunkIndex, new long[]?[1]);
            }
            else if (chunkIndex < directory.FirstChunk || chunkIndex >= directory.FirstChunk + directory.Chunks.Length)
            {
                int first = Math.Min(directory.FirstChunk, chunkIndex);
                int last = Math.Max(directory.FirstChunk + directory.Chunks.Length - 1, chunkIndex);
                var chunks = new long[]?[last - first + 1];
                Array.Copy(directory.Chunks, 0, chunks, directory.FirstChunk - first, directory.Chunks.Length);
                directory = new Directory(first, chunks);
            }

            ref long[]? slot = ref directory.Chunks[chunkIndex - directory.FirstChunk];
            if (slot is null)
            {
                Volatile.Write(ref slot, new long[ChunkSize]);
            }

            Volatile.Write(ref _directory, directory);
            Interlocked.Increment(ref slot![index & (ChunkSize - 1)]);
        }
    }

    private sealed class Directory
    {
        public Directory(int firstChunk, long[]?[] chunks)
        {
            FirstChunk = firstChunk;
            Chunks = chunks;
        }

        public int FirstChunk { get; }

        public long[]?[] Chunks { get; }
    }

    private struct PopulatedCounter : IBucketVisitor
    {
        private readonly int _reduction;
        private int _last;

        public PopulatedCounter(int reduction)
        {
            _reduction = reduction;
            _last = int.MinValue;
            Count = 0;
        }

        public int Count { get; private set; }

        public void Visit(int index, long count)
        {
            int merged = NativeBucketMath.Merge(index, _reduction);
            if (Count == 0 || merged != _last)
            {
                Count++;
                _last = merged;
            }
        }
    }
}

/// <summary>Receives the populated buckets of a <see cref="SparseCounts"/> in ascending order.</summary>
internal interface IBucketVisitor
{
    void Visit(int index, long count);
}

internal static class NativeBucketMath
{
    /// <summary>The index a bucket has after 2^<paramref name="reduction"/> neighbours are merged: ⌈i / 2^r⌉.</summary>
    public static int Merge(int index, int reduction) => (index + (1 << reduction) - 1) >> reduction;
}
