using System;
using System.Threading;
using MetricsGen.CompilerServices;

namespace MetricsGen;

/// <summary>A counter series: a value that only goes up. Thread-safe; keep the handle if you like.</summary>
public sealed class Counter : MetricSeries
{
    // One stripe per 128 bytes, so that two cores never write the same or an adjacent-prefetched cache line.
    private const int StripeSpacing = 16;

    // One double for every increment while the counter is uncontended (8 bytes per series, not 16).
    private double _value;

    // Null for a plain, uncontended counter, so that Inc() checks one field. Otherwise it holds either the stripes
    // (allocated the first time two threads collide on _value: from then on each core counts in its own cell, so a
    // counter hammered from many threads scales instead of bouncing one cache line between cores) or the exemplar
    // cell and expiry home: from the start for counters declared with Exemplars = true or ExpireAfterSeconds, and
    // on the first explicit exemplar for any other (those add through the CAS loop and never stripe; a striped
    // counter keeps its stripes beside a late exemplar cell). One field instead of two keeps 8 bytes off every series.
    private Cold? _cold;

    internal Counter(MetricDescriptor descriptor, byte[] labels, SeriesHome? home = null)
        : base(descriptor, labels)
    {
        if (descriptor.Exemplars || home is not null)
        {
            _cold = new Cold(null, descriptor.Exemplars ? new ExemplarCell() : null, home);
        }

        CreatedTicks = DateTime.UtcNow.Ticks;
    }

    /// <summary>When the series was created (UTC ticks), for OpenMetrics <c>_created</c>.</summary>
    internal long CreatedTicks { get; }

    internal ExemplarCell? ExemplarCell => _cold?.Exemplar;

    internal override SeriesHome? Home => _cold?.Home;

    /// <summary>The current value.</summary>
    public double Value
    {
        get
        {
            double value = Volatile.Read(ref _value);
            long[]? stripes = Volatile.Read(ref _cold)?.Stripes;
            return stripes is null ? value : value + SumOf(stripes);
        }
    }

    // Apart from Value so that the uncontended read stays small enough to inline into the exposition's loop.
    private static long SumOf(long[] stripes)
    {
        long striped = 0;
        for (int i = 0; i < stripes.Length; i += StripeSpacing)
        {
            striped += Volatile.Read(ref stripes[i]);
        }

        return striped;
    }

    /// <summary>
    /// Adds one. With <c>Exemplars = true</c> on the counter, the trace and span of a recorded
    /// <see cref="System.Diagnostics.Activity.Current"/> become the series' exemplar.
    /// </summary>
    public void Inc()
    {
        Cold? cold = _cold;
        if (cold is null)
        {
            double current = _value;
            if (Interlocked.CompareExchange(ref _value, current + 1, current) == current)
            {
                return;
            }

            cold = CreateStripes();
        }

        long[]? stripes = cold.Stripes;
        if (stripes is null)
        {
            AddWithExtras(cold, 1);
            return;
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

        if (_cold is { Stripes: null } cold)
        {
            AddWithExtras(cold, amount);
            return;
        }

        if (amount == 1)
        {
            Inc();
            return;
        }

        AtomicDouble.Add(ref _value, amount);
    }

    /// <summary>Adds <paramref name="amount"/> and keeps <paramref name="exemplar"/> as the series' latest exemplar.</summary>
    /// <remarks>
    /// Works on every counter. <c>Exemplars = true</c> only adds exemplars taken automatically from
    /// <see cref="System.Diagnostics.Activity.Current"/>; a counter without it makes its exemplar cell on the first
    /// call here, so counters that never get an exemplar pay nothing for it.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The amount is negative or NaN.</exception>
    public void Inc(double amount, Exemplar exemplar)
    {
        if (!(amount >= 0))
        {
            ThrowNegative(amount);
        }

        Cold cold = Volatile.Read(ref _cold) is { Exemplar: not null } existing ? existing : AddExemplarCell();
        AtomicDouble.Add(ref _value, amount);
        cold.Exemplar!.Record(exemplar, amount);
        if (cold.Home?.Touch(this) is Counter holder)
        {
            holder.Inc(amount, exemplar);
        }
    }

    // The first explicit exemplar of a counter not declared with Exemplars = true: the cold part is replaced by one
    // that also holds a cell, keeping the stripes (the same array, so no increment is lost) and the expiry home.
    private Cold AddExemplarCell()
    {
        while (true)
        {
            Cold? cold = Volatile.Read(ref _cold);
            if (cold?.Exemplar is not null)
            {
                return cold;
            }

            var created = new Cold(cold?.Stripes, new ExemplarCell(), cold?.Home);
            if (Interlocked.CompareExchange(ref _cold, created, cold) == cold)
            {
                return created;
            }
        }
    }

    // Kept out of Inc so that the plain increment stays small enough to inline into its caller.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void AddWithExtras(Cold cold, double amount)
    {
        AtomicDouble.Add(ref _value, amount);

        // A cell made for explicit exemplars does not turn on the automatic ones.
        if (cold.Exemplar is { } cell && Descriptor.Exemplars)
        {
            cell.RecordCurrentActivity(amount);
        }

        if (cold.Home?.Touch(this) is Counter holder)
        {
            holder.Inc(amount);
        }
    }

    /// <summary>
    /// Replaces the value with a total read from an observable counter (the meters bridge). Such a series is only ever
    /// set, never incremented, so the stripes stay unused and the value is exactly the total read.
    /// </summary>
    internal void SetObserved(double total) => Volatile.Write(ref _value, total);

    private Cold CreateStripes()
    {
        int cells = 1;
        while (cells < Environment.ProcessorCount)
        {
            cells <<= 1;
        }

        var created = new Cold(new long[cells * StripeSpacing], null, null);
        return Interlocked.CompareExchange(ref _cold, created, null) ?? created;
    }

    private void ThrowNegative(double amount) =>
        throw new ArgumentOutOfRangeException(
            nameof(amount),
            amount,
            $"Counter '{Descriptor.Name}' can only go up: the increment must be zero or positive, not NaN or negative.");

    /// <summary>What only some counters need: the stripes of a contended plain counter, or the extras of a declared one.</summary>
    private sealed class Cold
    {
        public readonly long[]? Stripes;
        public readonly ExemplarCell? Exemplar;
        public readonly SeriesHome? Home;

        public Cold(long[]? stripes, ExemplarCell? exemplar, SeriesHome? home)
        {
            Stripes = stripes;
            Exemplar = exemplar;
            Home = home;
        }
    }
}
