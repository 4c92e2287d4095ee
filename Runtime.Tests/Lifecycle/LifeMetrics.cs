using System;
using System.Threading;
using MetricsGen;

namespace MetricsGen.Runtime.Tests.Lifecycle;

/// <summary>The issue's own example, plus the other shapes the lifecycle rules cover.</summary>
[GatewayMetric(Prefix = "life")]
public sealed partial class LifeMetrics
{
    [Counter("churn_total", Help = "Limited to 100 series.", MaxSeries = 100)]
    public partial Counter Churn(string id);

    [Counter("sessions_total", Help = "Expiring series.", ExpireAfterSeconds = 300)]
    public partial Counter Sessions(string user);

    [Counter("defaulted_total", Help = "Takes the registry's default limit.")]
    public partial Counter Defaulted(int id);

    [Gauge("by_outcome", Help = "Enum-only: exempt from the default limit.")]
    public partial Gauge ByOutcome(Outcome outcome);

    [Counter("enum_limited_total", Help = "Enum-only with an explicit limit.", MaxSeries = 1)]
    public partial Counter EnumLimited(Outcome outcome);

    [Gauge("enum_expiring", Help = "Enum-only, expiring.", ExpireAfterSeconds = 60)]
    public partial Gauge EnumExpiring(Outcome outcome);

    [Histogram("sizes", Help = "A limited histogram.", MaxSeries = 2, Buckets = new[] { 1.0 })]
    public partial Histogram Sizes(string kind);
}

/// <summary>A clock for expiry that only moves when a test moves it.</summary>
internal sealed class ManualClock
{
    private long _milliseconds = 1_000_000;

    public long Now() => Volatile.Read(ref _milliseconds);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _milliseconds, (long)by.TotalMilliseconds);

    public static MetricRegistry Registry(ManualClock clock) => new() { Clock = clock.Now };
}
