using System;
using System.Diagnostics;
using System.Threading;
using MetricsGen.CompilerServices;

namespace MetricsGen;

/// <summary>
/// A summary series: the count and sum of observations, and optionally quantiles over a sliding time window
/// (at most 1 % rank error). Thread-safe; keep the handle if you like.
/// </summary>
public sealed class Summary : MetricSeries
{
    // Null for a summary of count and sum only: then an observation is two atomic adds.
    private readonly QuantileWindow? _window;
    private long _count;
    private double _sum;

    // Only for summaries declared with ExpireAfterSeconds.
    private readonly SeriesHome? _home;

    internal Summary(MetricDescriptor descriptor, byte[] labels, SeriesHome? home = null)
        : base(descriptor, labels)
    {
        _home = home;
        SummaryWindow settings = descriptor.Window!;
        if (settings.Quantiles.Length > 0)
        {
            _window = new QuantileWindow(settings.Quantiles, TimeSpan.FromSeconds(settings.MaxAgeSeconds), settings.AgeBuckets, Stopwatch.GetTimestamp());
        }

        CreatedTicks = DateTime.UtcNow.Ticks;
    }

    /// <summary>The number of observations.</summary>
    public long Count => Volatile.Read(ref _count);

    /// <summary>The sum of all observations.</summary>
    public double Sum => Volatile.Read(ref _sum);

    /// <summary>When the series was created (UTC ticks), for OpenMetrics <c>_created</c>.</summary>
    internal long CreatedTicks { get; }

    internal override SeriesHome? Home => _home;

    /// <summary>Records one observation. NaN is refused.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN.</exception>
    public void Observe(double value)
    {
        if (double.IsNaN(value))
        {
            ThrowIfNaN(value, Descriptor.Name, nameof(value));
        }

        Interlocked.Increment(ref _count);
        AtomicDouble.Add(ref _sum, value);
        _window?.Observe(value, Stopwatch.GetTimestamp());
        if (_home?.Touch(this) is Summary holder)
        {
            holder.Observe(value);
        }
    }

    /// <summary>
    /// Starts a timer that observes the elapsed seconds when disposed:
    /// <c>using (summary.NewTimer()) { … }</c>.
    /// </summary>
    public Timer NewTimer() => new(this, Stopwatch.GetTimestamp());

    /// <summary>The current quantile values, in the order of the descriptor's quantiles; NaN for an empty window.</summary>
    internal void GetQuantiles(Span<double> destination)
    {
        if (_window is not null)
        {
            _window.GetQuantiles(destination, Stopwatch.GetTimestamp());
        }
    }

    /// <summary>Observes the seconds elapsed since <see cref="NewTimer"/> when disposed.</summary>
    public readonly struct Timer : IDisposable
    {
        private readonly Summary? _summary;
        private readonly long _started;

        internal Timer(Summary summary, long started)
        {
            _summary = summary;
            _started = started;
        }

        /// <summary>The seconds elapsed so far.</summary>
        public double ElapsedSeconds => Stopwatch.GetElapsedTime(_started).TotalSeconds;

        /// <summary>Observes the elapsed seconds. Dispose it exactly once.</summary>
        public void Dispose() => _summary?.Observe(ElapsedSeconds);
    }
}
