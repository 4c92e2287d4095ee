namespace MetricsGen.Runtime.Tests.Native;

public enum Route { Home, Search }

/// <summary>The native-histogram issue's example, compiled through the generator.</summary>
[GatewayMetric(Prefix = "native")]
public sealed partial class NativeMetrics
{
    [Histogram("latency_seconds", Help = "Native only.", Native = true)]
    public partial Histogram Latency(Route route);

    [Histogram("size_bytes", Help = "Native and classic.", Native = true, Buckets = new[] { 100.0, 1000.0 })]
    public partial Histogram Size { get; }

    [Histogram("delta", Help = "Signed values and zeros.", Native = true, NativeBucketFactor = 1.5)]
    public partial Histogram Delta { get; }

    [Histogram("coarse", Help = "Few buckets.", Native = true, NativeMaxBuckets = 4, NativeZeroThreshold = 0)]
    public partial Histogram Coarse { get; }
}
