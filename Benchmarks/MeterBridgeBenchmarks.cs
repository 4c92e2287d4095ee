using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;

namespace MetricsGen.Benchmarks;

/// <summary>
/// Case 10: one <c>Counter&lt;long&gt;.Add</c> with two string tags, recorded through each library's bridge from
/// <c>System.Diagnostics.Metrics</c>: MetricsGen's <c>AddMeters</c>, the OpenTelemetry SDK with its Prometheus exporter,
/// and prometheus-net's <c>MeterAdapter</c>. Each library listens to its own meter only, so a measurement reaches
/// exactly one of them; the series exists after setup (the steady state of a service).
/// </summary>
[MemoryDiagnoser]
public class MeterBridgeBenchmarks
{
    private MetricRegistry _registry = null!;
    private IDisposable _bridge = null!;
    private Meter _metricsGenMeter = null!;
    private Counter<long> _metricsGenCounter = null!;

    private OtelPipeline _otel = null!;
    private Counter<long> _otelCounter = null!;

    private IDisposable _adapter = null!;

    // A listener whose callback does nothing: what System.Diagnostics.Metrics itself costs every bridge.
    private MeterListener _emptyListener = null!;
    private Meter _emptyMeter = null!;
    private Counter<long> _emptyCounter = null!;
    private Meter _promMeter = null!;
    private Counter<long> _promCounter = null!;

    // Fields, not constants, so the JIT cannot fold the tags into the call.
    private string _provider = Shared.Provider;
    private string _model = Shared.Model;

    [GlobalSetup]
    public void Setup()
    {
        _registry = new MetricRegistry();
        _metricsGenMeter = new Meter("bench.bridge.metricsgen");
        _bridge = _registry.AddMeters(_metricsGenMeter.Name);
        _metricsGenCounter = _metricsGenMeter.CreateCounter<long>("bench.requests");

        _otel = new OtelPipeline("bench.bridge.otel");
        _otelCounter = _otel.Meter.CreateCounter<long>("bench.requests");

        Prometheus.CollectorRegistry promRegistry = PromRegistries.NewRegistry();
        _promMeter = new Meter("bench.bridge.promnet");
        _adapter = Prometheus.MeterAdapter.StartListening(new Prometheus.MeterAdapterOptions
        {
            InstrumentFilterPredicate = instrument => instrument.Meter.Name == "bench.bridge.promnet",
            Registry = promRegistry,
        });
        _promCounter = _promMeter.CreateCounter<long>("bench.requests");

        _emptyMeter = new Meter("bench.bridge.empty");
        _emptyListener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter == _emptyMeter)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _emptyListener.SetMeasurementEventCallback<long>(static (_, _, _, _) => { });
        _emptyListener.Start();
        _emptyCounter = _emptyMeter.CreateCounter<long>("bench.requests");

        MetricsGenAdd();
        OpenTelemetryAdd();
        PrometheusNetAdd();
        if (!_registry.GenerateLatest().Contains("bench_requests_total{model=\"gpt-4o\",provider=\"openai\"} 1", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The MetricsGen bridge did not record the setup measurement.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _bridge.Dispose();
        _emptyListener.Dispose();
        _emptyMeter.Dispose();
        _metricsGenMeter.Dispose();
        _otel.Dispose();
        _adapter.Dispose();
        _promMeter.Dispose();
    }

    [Benchmark]
    public void MetricsGenAdd() =>
        _metricsGenCounter.Add(1, new KeyValuePair<string, object?>("provider", _provider), new KeyValuePair<string, object?>("model", _model));

    [Benchmark(Baseline = true)]
    public void OpenTelemetryAdd() =>
        _otelCounter.Add(1, new KeyValuePair<string, object?>("provider", _provider), new KeyValuePair<string, object?>("model", _model));

    [Benchmark]
    public void PrometheusNetAdd() =>
        _promCounter.Add(1, new KeyValuePair<string, object?>("provider", _provider), new KeyValuePair<string, object?>("model", _model));

    [Benchmark]
    public void EmptyListenerAdd() =>
        _emptyCounter.Add(1, new KeyValuePair<string, object?>("provider", _provider), new KeyValuePair<string, object?>("model", _model));
}
