using System;
using System.Diagnostics;
using System.Threading;

namespace MetricsGen;

/// <summary>A histogram series: observations counted into buckets. Thread-safe.</summary>
public sealed class Histogram : MetricSeries
{
    private readonly double[] _bounds;

    // Non-cumulative counts, one per bucket plus the +Inf bucket; the exposition accumulates them.
    private readonly long[] _counts;
    private double _sum;

    internal Histogram(MetricDescriptor descriptor, byte[] labels)
        : base(descriptor, labels)
    {
        _bounds = descriptor.BucketBounds;
        _counts = new long[_bounds.Length + 1];
    }

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
    public void Observe(double value)
    {
        if (double.IsNaN(value))
        {
            ThrowIfNaN(value, Descriptor.Name, nameof(value));
        }

        Interlocked.Increment(ref _counts[BucketIndex(value)]);
        AtomicDouble.Add(ref _sum, value);
    }

    /// <summary>
    /// Starts a timer that observes the elapsed seconds when disposed:
    /// <c>using (histogram.NewTimer()) { … }</c>.
    /// </summary>
    public Timer NewTimer() => new(this, Stopwatch.GetTimestamp());

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
