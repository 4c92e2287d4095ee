using System;
using System.Threading;

namespace MetricsGen.CompilerServices;

/// <summary>
/// Where a series of an expiring family lives (its map entry or array slot) and when it was last updated.
/// Only series of families declared with <c>ExpireAfterSeconds</c> have one; every other series pays nothing.
/// </summary>
internal abstract class SeriesHome
{
    internal const int Live = 0;
    internal const int Expired = 1;
    internal const int Removed = 2;

    private readonly Func<long> _clock;

    // Milliseconds of the family's clock at the last update.
    private long _lastTouched;

    // Live, Expired (swept out, comes back on its next update) or Removed (by Remove/Clear, never comes back).
    private int _state;

    private protected SeriesHome(Func<long> clock)
    {
        _clock = clock;
        _lastTouched = clock();
    }

    internal long LastTouched => Volatile.Read(ref _lastTouched);

    internal int State => Volatile.Read(ref _state);

    /// <summary>The lock of the index (map or slot array) that finds the series; taken before the family's lock.</summary>
    internal abstract object IndexLock { get; }

    /// <summary>
    /// Records an update of <paramref name="series"/>, which the caller has applied already. Returns null, or the
    /// series that now holds its labels when the update met an expired series that could not come back (its labels
    /// were taken again, or the family is at its limit): the caller applies the update there too, so nothing is lost.
    /// </summary>
    internal MetricSeries? Touch(MetricSeries series)
    {
        // A full fence between this write and the read below, and between the sweep's mark and its re-read of the
        // time: either the sweep sees this update's time and keeps the series, or this read sees the mark.
        Interlocked.Exchange(ref _lastTouched, _clock());
        if (Volatile.Read(ref _state) != Expired)
        {
            return null;
        }

        MetricSeries holder = Readmit(series);
        return ReferenceEquals(holder, series) ? null : holder;
    }

    /// <summary>Marks the series expired when it is still idle; false (and live again) when it was just updated.</summary>
    /// <remarks>Called under the index lock and the family lock.</remarks>
    internal bool TryExpire(long now, long expireAfter)
    {
        if (Interlocked.CompareExchange(ref _state, Expired, Live) != Live)
        {
            return false;
        }

        if (now - Volatile.Read(ref _lastTouched) < expireAfter)
        {
            Volatile.Write(ref _state, Live);
            return false;
        }

        return true;
    }

    /// <summary>Marks the series removed for good (Remove or Clear): its handle keeps counting, unexposed.</summary>
    internal void MarkRemoved() => Volatile.Write(ref _state, Removed);

    /// <summary>Marks an expired series live again, just before it is put back.</summary>
    internal void MarkLive()
    {
        Volatile.Write(ref _lastTouched, _clock());
        Volatile.Write(ref _state, Live);
    }

    /// <summary>Drops the series' entry from its index. Called under the index lock and the family lock.</summary>
    internal abstract void Forget(MetricSeries series);

    /// <summary>
    /// Puts an expired series back into its family and index, unless its labels were taken again or the family is
    /// full; returns the series that holds its labels now (itself, another one, or the overflow series).
    /// </summary>
    internal abstract MetricSeries Readmit(MetricSeries series);
}
