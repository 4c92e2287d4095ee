using System;
using System.Threading;
using MetricsGen.CompilerServices;

namespace MetricsGen;

/// <summary>A gauge series: a value that goes up and down. Thread-safe.</summary>
public sealed class Gauge : MetricSeries
{
    private double _value;

    // Only for gauges declared with ExpireAfterSeconds.
    private readonly SeriesHome? _home;

    internal Gauge(MetricDescriptor descriptor, byte[] labels, SeriesHome? home = null)
        : base(descriptor, labels)
    {
        _home = home;
    }

    internal override SeriesHome? Home => _home;

    /// <summary>The current value.</summary>
    public double Value => Volatile.Read(ref _value);

    /// <summary>Sets the value; any double, including NaN and infinities.</summary>
    public void Set(double value)
    {
        Volatile.Write(ref _value, value);
        if (_home?.Touch(this) is Gauge holder)
        {
            holder.Set(value);
        }
    }

    /// <summary>Adds one.</summary>
    public void Inc() => Inc(1);

    /// <summary>Adds <paramref name="amount"/>.</summary>
    public void Inc(double amount)
    {
        AtomicDouble.Add(ref _value, amount);
        if (_home?.Touch(this) is Gauge holder)
        {
            holder.Inc(amount);
        }
    }

    /// <summary>Subtracts one.</summary>
    public void Dec() => Inc(-1);

    /// <summary>Subtracts <paramref name="amount"/>.</summary>
    public void Dec(double amount) => Inc(-amount);

    /// <summary>Sets the value to the current Unix time in seconds.</summary>
    public void SetToCurrentTimeUtc() => Set(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0);

    /// <summary>
    /// Adds one now and subtracts it again when the returned scope is disposed:
    /// <c>using (gauge.TrackInProgress()) { … }</c>.
    /// </summary>
    public InProgressScope TrackInProgress()
    {
        Inc();
        return new InProgressScope(this);
    }

    /// <summary>Decrements its gauge once when disposed. Dispose it exactly once.</summary>
    public readonly struct InProgressScope : IDisposable
    {
        private readonly Gauge? _gauge;

        internal InProgressScope(Gauge gauge) => _gauge = gauge;

        /// <summary>Subtracts the one added by <see cref="TrackInProgress"/>.</summary>
        public void Dispose() => _gauge?.Dec();
    }
}
