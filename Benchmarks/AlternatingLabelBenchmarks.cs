using System;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Prom = Prometheus;

namespace MetricsGen.Benchmarks;

/// <summary>
/// Case 1b (issue 16): case 1's lookup + <c>Inc()</c> (2 string + 2 enum labels) with the label values alternating
/// between two label sets, as a service serving two models sees them. The strings passed are never the instances
/// the series were created with, and each set comes in four distinct instances used in turn (equal content, other
/// references), so a reference-equality shortcut or a "same instance as last call" cache cannot hit.
/// </summary>
[MemoryDiagnoser]
public class AlternatingLabelBenchmarks
{
    private const int Instances = 4;

    private BenchGatewayMetrics _metrics = null!;
    private Prom.Counter _promCounter = null!;
    private OtelPipeline _otel = null!;
    private Counter<long> _otelCounter = null!;

    // Index i: label set i & 1, instance i >> 1.
    private readonly string[] _providers = new string[2 * Instances];
    private readonly string[] _models = new string[2 * Instances];
    private readonly Operation[] _operations = { Operation.Chat, Operation.Stream };
    private readonly RequestStatus[] _statuses = { RequestStatus.Ok, RequestStatus.Error };
    private readonly string[] _operationTexts = { "chat", "stream" };
    private readonly string[] _statusTexts = { "ok", "error" };
    private int _call;

    [GlobalSetup]
    public void Setup()
    {
        string[] providers = { "openai", "anthropic" };
        string[] models = { "gpt-4o-mini", "claude-sonnet-4" };
        for (int i = 0; i < _providers.Length; i++)
        {
            _providers[i] = new string(providers[i & 1].AsSpan());
            _models[i] = new string(models[i & 1].AsSpan());
        }

        _metrics = new BenchGatewayMetrics(new MetricRegistry());
        _promCounter = PromRegistries.NewFactory()
            .CreateCounter("bench_alternating_total", "Requests.", new Prom.CounterConfiguration { LabelNames = new[] { "provider", "model", "operation", "status" } });
        _otel = new OtelPipeline("bench.alternating");
        _otelCounter = _otel.Meter.CreateCounter<long>("bench_alternating");

        // Create the two series of each library with yet other instances.
        for (int set = 0; set < 2; set++)
        {
            string provider = new string(providers[set].AsSpan());
            string model = new string(models[set].AsSpan());
            _metrics.Requests(provider, model, _operations[set], _statuses[set]).Inc();
            _promCounter.WithLabels(provider, model, _operationTexts[set], _statusTexts[set]).Inc();
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _otel.Dispose();

    [Benchmark]
    public void MetricsGen()
    {
        int i = _call++ & ((2 * Instances) - 1);
        _metrics.Requests(_providers[i], _models[i], _operations[i & 1], _statuses[i & 1]).Inc();
    }

    [Benchmark(Baseline = true)]
    public void PrometheusNet()
    {
        int i = _call++ & ((2 * Instances) - 1);
        _promCounter.WithLabels(_providers[i], _models[i], _operationTexts[i & 1], _statusTexts[i & 1]).Inc();
    }

    [Benchmark]
    public void OpenTelemetry()
    {
        int i = _call++ & ((2 * Instances) - 1);
        var tags = new TagList
        {
            { "provider", _providers[i] },
            { "model", _models[i] },
            { "operation", _operationTexts[i & 1] },
            { "status", _statusTexts[i & 1] },
        };
        _otelCounter.Add(1, tags);
    }
}
