using BenchmarkDotNet.Attributes;

namespace MetricsGen.Benchmarks;

/// <summary>Metrics for the lifecycle benchmarks: the same counter and gauge plain, expiring and limited.</summary>
[GatewayMetric(Prefix = "bench_life")]
public sealed partial class BenchLifecycleMetrics
{
    [Counter("plain_total", Help = "No lifecycle options.")]
    public partial Counter Plain(string id);

    [Counter("expiring_total", Help = "Expires idle series.", ExpireAfterSeconds = 300)]
    public partial Counter Expiring(string id);

    // Benchmark names, never scraped by promtool: the name lint MG0038 (type name in the name) does not matter here.
#pragma warning disable MG0038
    [Gauge("plain_gauge", Help = "No lifecycle options.")]
    public partial Gauge PlainGauge(string id);

    [Gauge("expiring_gauge", Help = "Expires idle series.", ExpireAfterSeconds = 300)]
    public partial Gauge ExpiringGauge(string id);
#pragma warning restore MG0038

    [Counter("limited_total", Help = "Limited to 10 series.", MaxSeries = 10)]
    public partial Counter Limited(string id);
}

/// <summary>
/// Case 12: what expiry costs an update of a kept handle (metrics without it must pay nothing), and what a lookup
/// of a new label set past the limit costs (no allocation).
/// </summary>
[MemoryDiagnoser]
public class SeriesLifecycleBenchmarks
{
    private BenchLifecycleMetrics _metrics = null!;
    private Counter _plain = null!;
    private Counter _expiring = null!;
    private Gauge _plainGauge = null!;
    private Gauge _expiringGauge = null!;
    private string[] _floodIds = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _metrics = new BenchLifecycleMetrics(new MetricRegistry());
        _plain = _metrics.Plain("a");
        _expiring = _metrics.Expiring("a");
        _plainGauge = _metrics.PlainGauge("a");
        _expiringGauge = _metrics.ExpiringGauge("a");
        _floodIds = new string[4096];
        for (int i = 0; i < _floodIds.Length; i++)
        {
            _floodIds[i] = "id-" + i;
            _metrics.Limited(_floodIds[i]).Inc();
        }
    }

    [Benchmark(Baseline = true)]
    public void CounterInc() => _plain.Inc();

    [Benchmark]
    public void ExpiringCounterInc() => _expiring.Inc();

    [Benchmark]
    public void GaugeSet() => _plainGauge.Set(3);

    [Benchmark]
    public void ExpiringGaugeSet() => _expiringGauge.Set(3);

    [Benchmark]
    public void LookupOverTheLimit() => _metrics.Limited(_floodIds[10 + (_next++ & 2047)]).Inc();
}
