using System;
using System.Threading;

namespace MetricsGen;

/// <summary>A counter series: a value that only goes up. Thread-safe; keep the handle if you like.</summary>
public sealed class Counter : MetricSeries
{
    // One stripe per 128 bytes, so that two cores never write the same or an adjacent-prefetched cache line.
    private const int StripeSpacing = 16;

    // Whole increments go to a 64-bit integer (one atomic operation); fractional ones to a double.
    private long _whole;
    private double _fraction;

    // Allocated the first time two threads collide on _whole: from then on each core counts in its own cell,
    // so a counter hammered from many threads scales instead of bouncing one cache line between cores.
    private long[]? _stripes;

    internal Counter(MetricDescriptor descriptor, byte[] labels)
        : base(descriptor, labels)
    {
    }

    /// <summary>The current value.</summary>
    public double Value
    {
        get
        {
            long whole = Volatile.Read(ref _whole);
            long[]? stripes = Volatile.Read(ref _stripes);
            if (stripes is not null)
            {
                for (int i = 0; i < stripes.Length; i += StripeSpacing)
                {
                    whole += Volatile.Read(ref stripes[i]);
                }
            }

            return whole + Volatile.Read(ref _fraction);
        }
    }

    /// <summary>Adds one.</summary>
    public void Inc()
    {
        long[]? stripes = _stripes;
        if (stripes is null)
        {
            long current = _whole;
            if (Interlocked.CompareExchange(ref _whole, current + 1, current) == current)
            {
                return;
            }

            stripes = CreateStripes();
        }

        Interlocked.Increment(ref stripes[(Thread.GetCurrentProcessorId() * StripeSpacing) & (stripes.Length - 1)]);
    }

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
            Inc();
            return;
        }

        AtomicDouble.Add(ref _fraction, amount);
    }

    private long[] CreateStripes()
    {
        int cells = 1;
        while (cells < Environment.ProcessorCount)
        {
            cells <<= 1;
        }

        var created = new long[cells * StripeSpacing];
        return Interlocked.CompareExchange(ref _stripes, created, null) ?? created;
    }

    private void ThrowNegative(double amount) =>
        throw new ArgumentOutOfRangeException(
            nameof(amount),
            amount,
            $"Counter '{Descriptor.Name}' can only go up: the increment must be zero or positive, not NaN or negative.");
}
