using MetricsGen;

namespace PushCheck;

/// <summary>The family the checks move between groups and methods.</summary>
[GatewayMetric(Prefix = "pushcheck")]
public sealed partial class AlphaMetrics
{
    [Gauge("alpha", Help = "The first pushed value.")]
    public partial Gauge Alpha { get; }
}

/// <summary>A second family, to tell PUT (replaces the group) from POST (replaces the pushed families).</summary>
[GatewayMetric(Prefix = "pushcheck")]
public sealed partial class BetaMetrics
{
    [Gauge("beta", Help = "The second pushed value.")]
    public partial Gauge Beta { get; }
}

/// <summary>The same family name as <see cref="AlphaMetrics"/> with another type: the gateway's consistency check refuses it.</summary>
[GatewayMetric(Prefix = "pushcheck")]
public sealed partial class AlphaAsHistogramMetrics
{
    [Histogram("alpha", Help = "The first pushed value, as a histogram.", Buckets = new[] { 1.0, 2.0 })]
    public partial Histogram Alpha { get; }
}
