using System;
using System.Collections.Generic;
using System.Threading;

namespace MetricsGen.Runtime.Tests.Exporter;

/// <summary>A clock that moves only when a test calls <see cref="Advance"/>: timers due by then fire, in order.</summary>
internal sealed class ManualClock : TimeProvider
{
    private readonly object _lock = new();
    private readonly List<ManualTimer> _timers = new();
    private long _nowTicks = DateTimeOffset.UnixEpoch.Ticks;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return new DateTimeOffset(_nowTicks, TimeSpan.Zero);
        }
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp()
    {
        lock (_lock)
        {
            return _nowTicks;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>How many timers are armed (a due time set, not yet fired or cancelled).</summary>
    public int ArmedTimers
    {
        get
        {
            lock (_lock)
            {
                return _timers.FindAll(timer => timer.DueTicks is not null).Count;
            }
        }
    }

    public void Advance(TimeSpan by)
    {
        long target;
        lock (_lock)
        {
            target = _nowTicks + by.Ticks;
        }

        while (true)
        {
            ManualTimer? next = null;
            lock (_lock)
            {
                foreach (ManualTimer timer in _timers)
                {
                    if (timer.DueTicks is { } due && due <= target && (next is null || due < next.DueTicks))
                    {
                        next = timer;
                    }
                }

                if (next is null)
                {
                    _nowTicks = target;
                    return;
                }

                _nowTicks = Math.Max(_nowTicks, next.DueTicks!.Value);
                next.DueTicks = next.PeriodTicks > 0 ? _nowTicks + next.PeriodTicks : null;
            }

            // Outside the lock: the callback (a cancellation) may re-arm or dispose timers.
            next.Fire();
        }
    }

    private sealed class ManualTimer : ITimer
    {
        private readonly ManualClock _clock;
        private readonly TimerCallback _callback;
        private readonly object? _state;

        public ManualTimer(ManualClock clock, TimerCallback callback, object? state)
        {
            _clock = clock;
            _callback = callback;
            _state = state;
            lock (clock._lock)
            {
                clock._timers.Add(this);
            }
        }

        public long? DueTicks { get; set; }

        public long PeriodTicks { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_clock._lock)
            {
                DueTicks = dueTime == Timeout.InfiniteTimeSpan ? null : _clock._nowTicks + dueTime.Ticks;
                PeriodTicks = period == Timeout.InfiniteTimeSpan ? 0 : period.Ticks;
            }

            return true;
        }

        public void Fire() => _callback(_state);

        public void Dispose()
        {
            lock (_clock._lock)
            {
                DueTicks = null;
                _clock._timers.Remove(this);
            }
        }

        public System.Threading.Tasks.ValueTask DisposeAsync()
        {
            Dispose();
            return default;
        }
    }
}
