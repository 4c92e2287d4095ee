using System;
using System.Diagnostics;

namespace MetricsGen;

/// <summary>
/// Tells a collector whether its last reading (of <c>/proc</c>, of the GC) may serve another scrape: readings
/// allocate, and a scraper hammering the endpoint should not cost one per request.
/// </summary>
internal struct ReadingClock
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(1);

    private long _readAt;
    private bool _hasRead;

    /// <summary>True when a reading was taken less than a second ago.</summary>
    public readonly bool IsFresh => _hasRead && Stopwatch.GetElapsedTime(_readAt) < Lifetime;

    /// <summary>Notes that a reading was taken now.</summary>
    public void MarkRead()
    {
        _readAt = Stopwatch.GetTimestamp();
        _hasRead = true;
    }
}
