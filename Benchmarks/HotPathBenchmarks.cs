using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using OpenTelemetry.Metrics;
using Prom = Prometheus;

namespace MetricsGen.Benchmarks;

/// <summary>
/// Case 1: a counter with two string and two enum labels, its series looked up on every call.
/// </summary>
[MemoryDiagnoser]
public class LabelledCounterBenchmarks
{
    private BenchGatewayMetrics _metrics = null!;
    private Prom.Counter _promCounter = null!;
    private OtelPipeline _otel = null!;
    private Counter<long> _otelCounter = null!;

    // Fields, not constants, so the JIT cannot fold the label values into the call.
    private string _provider = Shared.Provider;
    private string _model = Shared.Model;
    private Operation _operation = Operation.Chat;
    private RequestStatus _status = RequestStatus.Ok;
    private string _operationText = Shared.OperationChat;
    private string _statusText = Shared.StatusOk;

    [GlobalSetup]
    public void Setup()
    {
        _metrics = new BenchGatewayMetrics(new MetricRegistry());
        _promCounter = PromRegistries.NewFactory()
            .CreateCounter("bench_requests_total", "Requests.", new Prom.CounterConfiguration { LabelNames = new[] { "provider", "model", "operation", "status" } });
        _otel = new OtelPipeline("bench.labelled");
        _otelCounter = _otel.Meter.CreateCounter<long>("bench_requests");
    }

    [GlobalCleanup]
    public void Cleanup() => _otel.Dispose();

    [Benchmark]
    public void MetricsGen() => _metrics.Requests(_provider, _model, _operation, _status).Inc();

    [Benchmark(Baseline = true)]
    public void PrometheusNet() => _promCounter.WithLabels(_provider, _model, _operationText, _statusText).Inc();

    [Benchmark]
    public void OpenTelemetry()
    {
        var tags = new TagList
        {
            { "provider", _provider },
            { "model", _model },
            { "operation", _operationText },
            { "status", _statusText },
        };
        _otelCounter.Add(1, tags);
    }
}

/// <summary>
/// Case 2: a counter with two enum labels looked up on every call, against MetricsGen's unlabelled counter
/// (the baseline here: the target is the enum lookup's cost relative to no lookup at all).
/// </summary>
[MemoryDiagnoser]
public class EnumLabelBenchmarks
{
    private BenchGatewayMetrics _metrics = null!;
    private Prom.Counter _promCounter = null!;
    private OtelPipeline _otel = null!;
    private Counter<long> _otelCounter = null!;
    private Operation _operation = Operation.Stream;
    private RequestStatus _status = RequestStatus.Error;
    private string _operationText = "stream";
    private string _statusText = "error";

    [GlobalSetup]
    public void Setup()
    {
        _metrics = new BenchGatewayMetrics(new MetricRegistry());
        _promCounter = PromRegistries.NewFactory()
            .CreateCounter("bench_calls_total", "Calls.", new Prom.CounterConfiguration { LabelNames = new[] { "operation", "status" } });
        _otel = new OtelPipeline("bench.enum");
        _otelCounter = _otel.Meter.CreateCounter<long>("bench_calls");
    }

    [GlobalCleanup]
    public void Cleanup() => _otel.Dispose();

    [Benchmark(Baseline = true)]
    public void MetricsGenUnlabelled() => _metrics.Plain().Inc();

    [Benchmark]
    public void MetricsGenEnumLabels() => _metrics.Calls(_operation, _status).Inc();

    [Benchmark]
    public void PrometheusNetEnumLabels() => _promCounter.WithLabels(_operationText, _statusText).Inc();

    [Benchmark]
    public void OpenTelemetryEnumLabels() =>
        _otelCounter.Add(1, new KeyValuePair<string, object?>("operation", _operationText), new KeyValuePair<string, object?>("status", _statusText));
}

/// <summary>Case 3a: an unlabelled counter.</summary>
[MemoryDiagnoser]
public class UnlabelledCounterBenchmarks
{
    private BenchGatewayMetrics _metrics = null!;
    private Prom.Counter _promCounter = null!;
    private OtelPipeline _otel = null!;
    private Counter<long> _otelCounter = null!;

    [GlobalSetup]
    public void Setup()
    {
        _metrics = new BenchGatewayMetrics(new MetricRegistry());
        _promCounter = PromRegistries.NewFactory().CreateCounter("bench_plain_total", "No labels.");
        _otel = new OtelPipeline("bench.counter");
        _otelCounter = _otel.Meter.CreateCounter<long>("bench_plain");
    }

    [GlobalCleanup]
    public void Cleanup() => _otel.Dispose();

    [Benchmark]
    public void MetricsGen() => _metrics.Plain().Inc();

    [Benchmark(Baseline = true)]
    public void PrometheusNet() => _promCounter.Inc();

    [Benchmark]
    public void OpenTelemetry() => _otelCounter.Add(1);
}

/// <summary>Case 3b: an unlabelled gauge set to a new value.</summary>
[MemoryDiagnoser]
public class GaugeSetBenchmarks
{
    private BenchGatewayMetrics _metrics = null!;
    private Prom.Gauge _promGauge = null!;
    private OtelPipeline _otel = null!;
    private Gauge<double> _otelGauge = null!;
    private double _value;

    [GlobalSetup]
    public void Setup()
    {
        _metrics = new BenchGatewayMetrics(new MetricRegistry());
        _promGauge = PromRegistries.NewFactory().CreateGauge("bench_level", "A level.");
        _otel = new OtelPipeline("bench.gauge");
        _otelGauge = _otel.Meter.CreateGauge<double>("bench_level");
    }

    [GlobalCleanup]
    public void Cleanup() => _otel.Dispose();

    [Benchmark]
    public void MetricsGen() => _metrics.Level.Set(_value += 0.5);

    [Benchmark(Baseline = true)]
    public void PrometheusNet() => _promGauge.Set(_value += 0.5);

    [Benchmark]
    public void OpenTelemetry() => _otelGauge.Record(_value += 0.5);
}

/// <summary>Case 3c: an unlabelled histogram with 10 buckets, observations spread over the buckets.</summary>
[MemoryDiagnoser]
public class HistogramObserveBenchmarks
{
    private static readonly double[] Values = Shared.Observations;
    private BenchGatewayMetrics _metrics = null!;
    private Prom.Histogram _promHistogram = null!;
    private OtelPipeline _otel = null!;
    private Histogram<double> _otelHistogram = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _metrics = new BenchGatewayMetrics(new MetricRegistry());
        _promHistogram = PromRegistries.NewFactory()
            .CreateHistogram("bench_latency_seconds", "Latency.", new Prom.HistogramConfiguration { Buckets = Shared.Buckets });
        _otel = new OtelPipeline(
            "bench.histogram",
            builder => builder.AddView("bench_latency", new ExplicitBucketHistogramConfiguration { Boundaries = Shared.Buckets }));
        _otelHistogram = _otel.Meter.CreateHistogram<double>("bench_latency");
    }

    [GlobalCleanup]
    public void Cleanup() => _otel.Dispose();

    [Benchmark]
    public void MetricsGen() => _metrics.Latency().Observe(Values[_next++ & 15]);

    [Benchmark(Baseline = true)]
    public void PrometheusNet() => _promHistogram.Observe(Values[_next++ & 15]);

    [Benchmark]
    public void OpenTelemetry() => _otelHistogram.Record(Values[_next++ & 15]);
}
