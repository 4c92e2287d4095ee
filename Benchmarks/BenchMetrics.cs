using MetricsGen;

namespace MetricsGen.Benchmarks;

public enum Operation { Chat, Stream, Embed }

public enum RequestStatus { Ok, Error }

/// <summary>The metrics the hot-path benchmarks drive, declared as a user would.</summary>
[GatewayMetric(Prefix = "bench")]
public sealed partial class BenchGatewayMetrics
{
    /// <summary>Case 1: two string and two enum labels.</summary>
    [Counter("requests_total", Help = "Requests by provider / model / operation / status.")]
    public partial Counter Requests(string provider, string model, Operation operation, RequestStatus status);

    /// <summary>Case 2: enum labels only.</summary>
    [Counter("calls_total", Help = "Calls by operation / status.")]
    public partial Counter Calls(Operation operation, RequestStatus status);

    /// <summary>Cases 2 and 3: no labels.</summary>
    [Counter("plain_total", Help = "No labels.")]
    public partial Counter Plain();

    /// <summary>Case 3: a gauge without labels.</summary>
    [Gauge("level", Help = "A level.")]
    public partial Gauge Level { get; }

    /// <summary>Case 3: a histogram with 10 buckets.</summary>
    [Histogram("latency_seconds", Help = "Latency.", Buckets = new[] { 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0 })]
    public partial Histogram Latency();
}

/// <summary>Case 11: the metric model's hot paths (summary, exemplar-enabled counter, state set).</summary>
[GatewayMetric(Prefix = "model")]
public sealed partial class ModelMetrics
{
    [Summary("latency_seconds", Help = "Latency with three quantiles.", Quantiles = new[] { 0.5, 0.9, 0.99 })]
    public partial Summary Latency();

    [Counter("traced_total", Help = "A counter that keeps exemplars.", Exemplars = true)]
    public partial Counter Traced();

    [Counter("plain_total", Help = "The same counter without exemplars.")]
    public partial Counter Plain();

    [StateSet("phase", Help = "A state set.")]
    public partial StateSet<Operation> Phase { get; }

    [Histogram("classic_seconds", Help = "Classic buckets only.", Buckets = new[] { 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0 })]
    public partial Histogram Classic();

    [Histogram("native_seconds", Help = "Native buckets only.", Native = true)]
    public partial Histogram NativeOnly();

    [Histogram("both_seconds", Help = "Native and classic buckets.", Native = true, Buckets = new[] { 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0 })]
    public partial Histogram Both();
}

/// <summary>Case 6: a counter with two string labels, for the memory-per-series measurement.</summary>
[GatewayMetric(Prefix = "mem")]
public sealed partial class MemoryMetrics
{
    // Above the default limit of 2,000 series: case 6 measures 100,000 real series, not one overflow series.
    [Counter("series_total", Help = "One series per tenant and route.", MaxSeries = 200_000)]
    public partial Counter Series(string tenant, string route);
}
