using System;
using System.Threading;

namespace MetricsGen;

/// <summary>A counter series: a value that only goes up. Thread-safe; keep the handle if you like.</summary>
public sealed class Counter : MetricSeries
{
    // Whole increments go to a 64-bit integer (one atomic add); fractional ones to a double.
    private long _whole;
    private double _fraction;

    internal Counter(MetricDescriptor descriptor, byte[] labels)
        : base(descriptor, labels)
    {
    }

    /// <summary>The current value.</summary>
    public double Value => Volatile.Read(ref _whole) + Volatile.Read(ref _fraction);

    /// <summary>Adds one.</summary>
    public void Inc() => Interlocked.Increment(ref _whole);

    /// <summary>Adds <paramref name="amount"/>, which must be zero or positive.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The amount is negative or NaN.</exception>
    public void Inc(double amount)
    {
        if (!(amount >= 0))
        {
            ThrowNegative(amount);
        }

        if (amount == 1)
        {
            Interlocked.Increment(ref _whole);
            return;
        }

        AtomicDouble.Add(ref _fraction, amount);
    }

    private void ThrowNegative(double amount) =>
        throw new ArgumentOutOfRangeException(
            nameof(amount),
            amount,
            $"Counter '{Descriptor.Name}' can only go up: the increment must be zero or positive, not NaN or negative.");
}
