using System;
using System.Diagnostics;

namespace MetricsGen;

/// <summary>
/// Streaming quantiles over a sliding time window: <c>ageBuckets</c> CKMS streams each collect every observation; every
/// <c>maxAge / ageBuckets</c> the oldest is reset and starts over as the newest, and queries read the stream that has
/// been collecting longest, so they cover between <c>maxAge · (1 − 1/ageBuckets)</c> and <c>maxAge</c>. Thread-safe.
/// </summary>
/// <remarks>
/// Observations go to a small buffer under a lock; a full buffer is sorted once and merged into every stream in one
/// linear pass each. After warm-up nothing allocates: the buffer and the sample arrays are reused, also on rotation.
/// </remarks>
internal sealed class QuantileWindow
{
    /// <summary>Observations buffered before a merge: large enough to amortize the merge passes over the streams.</summary>
    internal const int BufferSize = 512;

    private readonly object _gate = new();
    private readonly QuantileTargets _targets;
    private readonly QuantileStream[] _streams;
    private readonly double[] _buffer = new double[BufferSize];
    private readonly long _interval;
    private int _buffered;
    private int _head;
    private long _headExpiry;
    private long _observed;

    // quantiles: strictly ascending, each in (0, 1), at least one; the caller validates.
    public QuantileWindow(double[] quantiles, TimeSpan maxAge, int ageBuckets, long nowTimestamp)
    {
        Debug.Assert(ageBuckets >= 1, "at least one age bucket");
        Debug.Assert(maxAge > TimeSpan.Zero, "a positive window");
        _targets = new QuantileTargets(quantiles);
        _streams = new QuantileStream[ageBuckets];
        for (int i = 0; i < ageBuckets; i++)
        {
            _streams[i] = new QuantileStream(_targets);
        }

        // In Stopwatch ticks, since the timestamps passed in are; at least one so rotation always advances.
        double ticks = maxAge.TotalSeconds * Stopwatch.Frequency / ageBuckets;
        _interval = ticks >= long.MaxValue / 4 ? long.MaxValue / 4 : Math.Max(1, (long)ticks);
        _headExpiry = nowTimestamp + _interval;
    }

    /// <summary>Observations recorded since creation (for tests).</summary>
    internal long ObservedCount
    {
        get
        {
            lock (_gate)
            {
                return _observed;
            }
        }
    }

    /// <summary>The streams, oldest (the one queried) at index <see cref="HeadIndex"/> (for tests).</summary>
    internal QuantileStream[] Streams => _streams;

    internal int HeadIndex => _head;

    /// <summary>Records one observation (finite or ±Inf; the caller refuses NaN).</summary>
    public void Observe(double value, long nowTimestamp)
    {
        lock (_gate)
        {
            if (nowTimestamp >= _headExpiry)
            {
                Rotate(nowTimestamp);
            }

            _buffer[_buffered] = value;
            _observed++;
            if (++_buffered == BufferSize)
            {
                Flush();
            }
        }
    }

    /// <summary>
    /// Writes the estimate of each quantile, in the order given to the constructor; NaN for all of them when the window
    /// holds no observation.
    /// </summary>
    public void GetQuantiles(Span<double> destination, long nowTimestamp)
    {
        Debug.Assert(destination.Length == _targets.Length, "one slot per quantile");
        lock (_gate)
        {
            if (nowTimestamp >= _headExpiry)
            {
                Rotate(nowTimestamp);
            }

            // Recent observations count: merge the buffer before reading.
            Flush();
            QuantileStream head = _streams[_head];
            for (int j = 0; j < destination.Length; j++)
            {
                destination[j] = head.Query(j);
            }
        }
    }

    /// <summary>Advances the window to <paramref name="now"/>: as many rotations as intervals have passed.</summary>
    private void Rotate(long now)
    {
        // The buffered values were observed before the head expired, so they belong in the streams about to rotate.
        Flush();
        long rotations = (now - _headExpiry) / _interval + 1;
        QuantileStream[] streams = _streams;
        if (rotations >= streams.Length)
        {
            // A pause of at least maxAge: nothing observed before it is in the window any more.
            for (int i = 0; i < streams.Length; i++)
            {
                streams[i].Reset();
            }

            _head = (int)((_head + rotations) % streams.Length);
        }
        else
        {
            for (long k = 0; k < rotations; k++)
            {
                streams[_head].Reset();
                _head = (_head + 1) % streams.Length;
            }
        }

        _headExpiry += rotations * _interval;
    }

    private void Flush()
    {
        int count = _buffered;
        if (count == 0)
        {
            return;
        }

        Span<double> batch = _buffer.AsSpan(0, count);
        batch.Sort();
        QuantileStream[] streams = _streams;
        for (int i = 0; i < streams.Length; i++)
        {
            streams[i].Merge(batch);
        }

        _buffered = 0;
    }
}
