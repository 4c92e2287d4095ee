using BenchmarkDotNet.Attributes;
using Prom = Prometheus;

namespace MetricsGen.Benchmarks;

/// <summary>
/// Case 11a: a summary with the quantiles 0.5, 0.9 and 0.99 over a 10-minute window in 5 age buckets, as
/// prometheus-net configures its summaries by default (objectives 0.5/0.05, 0.9/0.01, 0.99/0.001).
/// </summary>
[MemoryDiagnoser]
public class SummaryObserveBenchmarks
{
    private static readonly double[] Values = Shared.Observations;
    private ModelMetrics _metrics = null!;
    private Prom.Summary _promSummary = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _metrics = new ModelMetrics(new MetricRegistry());
        _promSummary = PromRegistries.NewFactory().CreateSummary("bench_latency_seconds", "Latency.", new Prom.SummaryConfiguration
        {
            Objectives = new[]
            {
                new Prom.QuantileEpsilonPair(0.5, 0.05),
                new Prom.QuantileEpsilonPair(0.9, 0.01),
                new Prom.QuantileEpsilonPair(0.99, 0.001),
            },
        });
    }

    [Benchmark]
    public void MetricsGen() => _metrics.Latency().Observe(Values[_next++ & 15]);

    [Benchmark(Baseline = true)]
    public void PrometheusNet() => _promSummary.Observe(Values[_next++ & 15]);
}

/// <summary>
/// Case 11b: what <c>Exemplars = true</c> costs a counter increment outside any activity (the common case), against
/// the same counter without the option.
/// </summary>
[MemoryDiagnoser]
public class ExemplarCounterBenchmarks
{
    private ModelMetrics _metrics = null!;

    [GlobalSetup]
    public void Setup() => _metrics = new ModelMetrics(new MetricRegistry());

    [Benchmark(Baseline = true)]
    public void PlainInc() => _metrics.Plain().Inc();

    [Benchmark]
    public void ExemplarsEnabledInc() => _metrics.Traced().Inc();

    [Benchmark]
    public void ExplicitExemplarInc() => _metrics.Traced().Inc(1, new Exemplar("trace_id", "0af7651916cd43dd8448eb211c80319c"));

    [Benchmark]
    public void StateSetSet() => _metrics.Phase.Set(Operation.Stream);
}

/// <summary>
/// Case 11c: a native histogram's Observe (schema 3) against a classic one with 10 buckets, and both kept on one
/// series; the bound is twice the classic cost.
/// </summary>
[MemoryDiagnoser]
public class NativeHistogramBenchmarks
{
    private static readonly double[] Values = Shared.Observations;
    private ModelMetrics _metrics = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _metrics = new ModelMetrics(new MetricRegistry());
        foreach (double value in Values)
        {
            _metrics.NativeOnly().Observe(value);
            _metrics.Both().Observe(value);
        }
    }

    [Benchmark(Baseline = true)]
    public void Classic() => _metrics.Classic().Observe(Values[_next++ & 15]);

    [Benchmark]
    public void Native() => _metrics.NativeOnly().Observe(Values[_next++ & 15]);

    [Benchmark]
    public void NativeAndClassic() => _metrics.Both().Observe(Values[_next++ & 15]);
}
