using System;
using System.Diagnostics;
using System.Threading;

namespace MetricsGen;

/// <summary>
/// The latest exemplar of a counter series or a histogram bucket. Writers never block and never allocate: a
/// sequence number (odd while a write is in progress) lets a scrape read a consistent copy, and a writer that
/// meets another one mid-write skips its exemplar, since only the latest one is kept anyway.
/// </summary>
internal sealed class ExemplarCell
{
    private const int MaxReadAttempts = 64;

    private int _sequence;
    private string? _name1;
    private string? _value1;
    private string? _name2;
    private string? _value2;
    private double _value;
    private long _timestampTicks;

    public void Record(in Exemplar exemplar, double value)
    {
        if (exemplar.HasLabels)
        {
            Record(exemplar.Name1!, exemplar.Value1!, exemplar.Name2, exemplar.Value2, value);
        }
    }

    /// <summary>Records the trace and span of <see cref="Activity.Current"/> when it is sampled (recorded).</summary>
    public void RecordCurrentActivity(double value)
    {
        Activity? activity = Activity.Current;
        if (activity is { Recorded: true, IdFormat: ActivityIdFormat.W3C })
        {
            // Activity keeps its IDs as hex strings once created, so these calls do not allocate.
            Record("trace_id", activity.TraceId.ToHexString(), "span_id", activity.SpanId.ToHexString(), value);
        }
    }

    public bool TryRead(out ExemplarSnapshot snapshot)
    {
        for (int attempt = 0; attempt < MaxReadAttempts; attempt++)
        {
            int before = Volatile.Read(ref _sequence);
            if (before == 0)
            {
                break;
            }

            if ((before & 1) != 0)
            {
                Thread.SpinWait(4);
                continue;
            }

            snapshot = new ExemplarSnapshot(
                Volatile.Read(ref _name1)!,
                Volatile.Read(ref _value1)!,
                Volatile.Read(ref _name2),
                Volatile.Read(ref _value2),
                Volatile.Read(ref _value),
                Volatile.Read(ref _timestampTicks));
            if (Volatile.Read(ref _sequence) == before)
            {
                return true;
            }
        }

        snapshot = default;
        return false;
    }

    private void Record(string name1, string value1, string? name2, string? value2, double value)
    {
        int sequence = Volatile.Read(ref _sequence);
        if ((sequence & 1) != 0 || Interlocked.CompareExchange(ref _sequence, sequence + 1, sequence) != sequence)
        {
            return;
        }

        _name1 = name1;
        _value1 = value1;
        _name2 = name2;
        _value2 = value2;
        _value = value;
        _timestampTicks = DateTime.UtcNow.Ticks;
        Volatile.Write(ref _sequence, sequence + 2);
    }
}

/// <summary>A consistent copy of an exemplar, taken at scrape time.</summary>
internal readonly record struct ExemplarSnapshot(string Name1, string Value1, string? Name2, string? Value2, double Value, long TimestampTicks)
{
    /// <summary>Seconds since the Unix epoch, as OpenMetrics writes exemplar timestamps.</summary>
    public double UnixSeconds => (TimestampTicks - DateTime.UnixEpoch.Ticks) / (double)TimeSpan.TicksPerSecond;
}
