using System;
using System.Diagnostics;
using System.Threading;
using MetricsGen.CompilerServices;

namespace MetricsGen;

/// <summary>A histogram series: observations counted into buckets. Thread-safe.</summary>
public sealed class Histogram : MetricSeries
{
    private readonly double[] _bounds;

    // Non-cumulative counts, one per bucket plus the +Inf bucket; the exposition accumulates them.
    private readonly long[] _counts;
    private double _sum;

    // One cell per bucket: from the start for histograms declared with Exemplars = true, on the first explicit
    // exemplar for any other (so histograms that never get one pay nothing but this field).
    private ExemplarCell[]? _exemplars;

    // Only for histograms declared with Native = true.
    private readonly NativeBuckets? _native;

    // Only for histograms declared with ExpireAfterSeconds.
    private readonly SeriesHome? _home;

    internal Histogram(MetricDescriptor descriptor, byte[] labels, SeriesHome? home = null)
        : base(descriptor, labels)
    {
        _home = home;
        _bounds = descriptor.BucketBounds;
        _counts = new long[_bounds.Length + 1];
        if (descriptor.Exemplars)
        {
            _exemplars = CreateExemplarCells();
        }

        if (descriptor.Native is { } native)
        {
            _native = new NativeBuckets(native.Schema, native.ZeroThreshold, native.MaxBuckets);
        }

        CreatedTicks = DateTime.UtcNow.Ticks;
    }

    internal NativeBuckets? Native => _native;

    /// <summary>When the series was created (UTC ticks), for OpenMetrics <c>_created</c>.</summary>
    internal long CreatedTicks { get; }

    internal ExemplarCell[]? Exemplars => Volatile.Read(ref _exemplars);

    internal override SeriesHome? Home => _home;

    /// <summary>The sum of all observations.</summary>
    public double Sum => Volatile.Read(ref _sum);

    /// <summary>The number of observations.</summary>
    public long Count
    {
        get
        {
            long total = 0;
            for (int i = 0; i < _counts.Length; i++)
            {
                total += Volatile.Read(ref _counts[i]);
            }

            return total;
        }
    }

    /// <summary>Records one observation. NaN is refused; infinities land in the <c>+Inf</c> bucket.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN.</exception>
    /// <remarks>
    /// With <c>Exemplars = true</c> on the histogram, the trace and span of a recorded
    /// <see cref="Activity.Current"/> become the bucket's exemplar.
    /// </remarks>
    public void Observe(double value)
    {
        if (double.IsNaN(value))
        {
            ThrowIfNaN(value, Descriptor.Name, nameof(value));
        }

        int bucket = BucketIndex(value);
        Interlocked.Increment(ref _counts[bucket]);
        AtomicDouble.Add(ref _sum, value);
        _native?.Observe(value);

        // Cells made for explicit exemplars do not turn on the automatic ones.
        if (_exemplars is { } exemplars && Descriptor.Exemplars)
        {
            exemplars[bucket].RecordCurrentActivity(value);
        }

        if (_home?.Touch(this) is Histogram holder)
        {
            holder.Observe(value);
        }
    }

    /// <summary>Records one observation and keeps <paramref name="exemplar"/> as its bucket's latest exemplar.</summary>
    /// <remarks>
    /// Works on every histogram. <c>Exemplars = true</c> only adds exemplars taken automatically from
    /// <see cref="Activity.Current"/>; a histogram without it makes its exemplar cells on the first call here.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN.</exception>
    public void Observe(double value, Exemplar exemplar)
    {
        if (double.IsNaN(value))
        {
            ThrowIfNaN(value, Descriptor.Name, nameof(value));
        }

        ExemplarCell[] cells = Volatile.Read(ref _exemplars) ?? CreateExemplarCells();
        int bucket = BucketIndex(value);
        Interlocked.Increment(ref _counts[bucket]);
        AtomicDouble.Add(ref _sum, value);
        _native?.Observe(value);
        cells[bucket].Record(exemplar, value);
        if (_home?.Touch(this) is Histogram holder)
        {
            holder.Observe(value, exemplar);
        }
    }

    private ExemplarCell[] CreateExemplarCells()
    {
        var cells = new ExemplarCell[_counts.Length];
        for (int i = 0; i < cells.Length; i++)
        {
            cells[i] = new ExemplarCell();
        }

        return Interlocked.CompareExchange(ref _exemplars, cells, null) ?? cells;
    }

    /// <summary>
    /// Starts a timer that observes the elapsed seconds when disposed:
    /// <c>using (histogram.NewTimer()) { … }</c>.
    /// </summary>
    public Timer NewTimer() => new(this, Stopwatch.GetTimestamp());

    /// <summary>Writes the native histogram fields, when the histogram keeps native buckets.</summary>
    internal void WriteNativeProto(ProtobufWriter proto) => _native?.WriteProto(proto);

    internal long CumulativeCount(int bucket, ref long running)
    {
        running += Volatile.Read(ref _counts[bucket]);
        return running;
    }

    private int BucketIndex(double value)
    {
        double[] bounds = _bounds;
        if (bounds.Length <= 16)
        {
            for (int i = 0; i < bounds.Length; i++)
            {
                if (value <= bounds[i])
                {
                    return i;
                }
            }

            return bounds.Length;
        }

        int found = Array.BinarySearch(bounds, value);
        return found >= 0 ? found : ~found;
    }

    /// <summary>Observes the seconds elapsed since <see cref="NewTimer"/> when disposed.</summary>
    public readonly struct Timer : IDisposable
    {
        private readonly Histogram? _histogram;
        private readonly long _started;

        internal Timer(Histogram histogram, long started)
        {
            _histogram = histogram;
            _started = started;
        }

        /// <summary>The seconds elapsed so far.</summary>
        public double ElapsedSeconds => Stopwatch.GetElapsedTime(_started).TotalSeconds;

        /// <summary>Observes the elapsed seconds. Dispose it exactly once.</summary>
        public void Dispose() => _histogram?.Observe(ElapsedSeconds);
    }
}
