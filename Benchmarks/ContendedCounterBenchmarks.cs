using System;
using System.Diagnostics.Metrics;
using System.Threading;
using BenchmarkDotNet.Attributes;
using Prom = Prometheus;

namespace MetricsGen.Benchmarks;

/// <summary>
/// Case 3d: two threads increment one unlabelled counter. Each invocation runs <see cref="Total"/> increments, half on
/// the benchmark thread and half on a long-lived worker thread, both released by the same barrier; the reported
/// time is per increment (OperationsPerInvoke), so throughput is its inverse.
/// </summary>
[MemoryDiagnoser]
public class ContendedCounterBenchmarks
{
    private const int PerThread = 500_000;
    private const int Total = 2 * PerThread;

    private BenchGatewayMetrics _metrics = null!;
    private Prom.Counter _promCounter = null!;
    private OtelPipeline _otel = null!;
    private Counter<long> _otelCounter = null!;

    private Barrier _start = null!;
    private Barrier _end = null!;
    private Thread _worker = null!;
    private volatile Action<int>? _work;
    private volatile bool _stopping;

    private Action<int> _metricsGenWork = null!;
    private Action<int> _promWork = null!;
    private Action<int> _otelWork = null!;

    [GlobalSetup]
    public void Setup()
    {
        _metrics = new BenchGatewayMetrics(new MetricRegistry());
        _promCounter = PromRegistries.NewFactory().CreateCounter("bench_plain_total", "No labels.");
        _otel = new OtelPipeline("bench.contended");
        _otelCounter = _otel.Meter.CreateCounter<long>("bench_plain");

        _metricsGenWork = count =>
        {
            BenchGatewayMetrics metrics = _metrics;
            for (int i = 0; i < count; i++)
            {
                metrics.Plain().Inc();
            }
        };
        _promWork = count =>
        {
            Prom.Counter counter = _promCounter;
            for (int i = 0; i < count; i++)
            {
                counter.Inc();
            }
        };
        _otelWork = count =>
        {
            Counter<long> counter = _otelCounter;
            for (int i = 0; i < count; i++)
            {
                counter.Add(1);
            }
        };

        _start = new Barrier(2);
        _end = new Barrier(2);
        _worker = new Thread(WorkerLoop) { IsBackground = true, Name = "bench-second-incrementer" };
        _worker.Start();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stopping = true;
        _start.SignalAndWait();
        _worker.Join();
        _start.Dispose();
        _end.Dispose();
        _otel.Dispose();
    }

    [Benchmark(OperationsPerInvoke = Total)]
    public void MetricsGen() => RunOnTwoThreads(_metricsGenWork);

    [Benchmark(Baseline = true, OperationsPerInvoke = Total)]
    public void PrometheusNet() => RunOnTwoThreads(_promWork);

    [Benchmark(OperationsPerInvoke = Total)]
    public void OpenTelemetry() => RunOnTwoThreads(_otelWork);

    private void RunOnTwoThreads(Action<int> work)
    {
        _work = work;
        _start.SignalAndWait();
        work(PerThread);
        _end.SignalAndWait();
    }

    private void WorkerLoop()
    {
        while (true)
        {
            _start.SignalAndWait();
            if (_stopping)
            {
                return;
            }

            _work!(PerThread);
            _end.SignalAndWait();
        }
    }
}
