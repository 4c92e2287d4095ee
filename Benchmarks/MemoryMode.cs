using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;
using Prom = Prometheus;

namespace MetricsGen.Benchmarks;

/// <summary>
/// Case 6: retained managed memory per series. For each library, the label strings are made first; then
/// <see cref="GC.GetTotalMemory(bool)"/> is read before and after creating the registry and 100,000 series with two
/// string labels (each incremented once), with the library's objects kept alive. A small warm-up run first pays for
/// static caches and type loading so they are not charged to the series.
/// </summary>
internal static class MemoryMode
{
    private const int Tenants = 1_000;
    private const int Routes = 100;

    public static int Run()
    {
        var tenants = new string[Tenants];
        var routes = new string[Routes];
        for (int i = 0; i < tenants.Length; i++)
        {
            tenants[i] = $"tenant-{i:D4}";
        }

        for (int i = 0; i < routes.Length; i++)
        {
            routes[i] = $"/api/v1/route/{i:D3}";
        }

        int series = Tenants * Routes;
        Console.WriteLine($"Retained memory for {series:N0} series with 2 string labels (.NET {Environment.Version}, GC.GetTotalMemory(true)):");
        Console.WriteLine();
        Console.WriteLine("| Library | Bytes retained | Bytes / series | vs prometheus-net |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");

        // Warm-ups: 1 tenant x 10 routes each, discarded.
        Measure(() => MetricsGen(tenants, routes, 1, 10));
        Measure(() => PrometheusNet(tenants, routes, 1, 10));
        Measure(() => OpenTelemetry(tenants, routes, 1, 10));

        long ours = Measure(() => MetricsGen(tenants, routes, Tenants, Routes));
        long prom = Measure(() => PrometheusNet(tenants, routes, Tenants, Routes));
        long otel = Measure(() => OpenTelemetry(tenants, routes, Tenants, Routes));

        Row("MetricsGen", ours, series, prom);
        Row("prometheus-net 8.2.1", prom, series, prom);
        Row("OpenTelemetry 1.20.1 (cardinality limit raised to 110,000)", otel, series, prom);
        Console.WriteLine();
        bool met = ours * 2 <= prom;
        Console.WriteLine($"Target MetricsGen <= 0.5x prometheus-net: {(met ? "met" : "MISSED")} ({(double)ours / prom:0.00}x)");
        GC.KeepAlive(tenants);
        GC.KeepAlive(routes);

        ScrapeAllocations(10_000);
        ScrapeAllocations(100_000);
        return 0;
    }

    /// <summary>
    /// Cross-checks BenchmarkDotNet's allocation column for case 4 with this thread's own allocation counter, which no
    /// other thread in the process can disturb.
    /// </summary>
    private static void ScrapeAllocations(int series)
    {
        var registry = new MetricRegistry();
        registry.Register(new SyntheticSource(series / 10, 10));
        using var buffer = new PooledBufferWriter();
        registry.WriteTo(buffer, ExpositionFormat.PrometheusText);
        const int Scrapes = 20;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Scrapes; i++)
        {
            buffer.Clear();
            registry.WriteTo(buffer, ExpositionFormat.PrometheusText);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Console.WriteLine($"MetricsGen scrape of {series:N0} series into a reused PooledBufferWriter: {allocated / Scrapes:N0} B allocated per scrape on the scraping thread ({buffer.WrittenCount:N0} B of text).");
    }

    private static void Row(string name, long bytes, int series, long baseline) =>
        Console.WriteLine($"| {name} | {bytes:N0} | {(double)bytes / series:N0} | {(double)bytes / baseline:0.00}x |");

    private static long Measure(Func<IDisposable?> create)
    {
        long before = GC.GetTotalMemory(forceFullCollection: true);
        IDisposable? created = create();
        long after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(created);
        created?.Dispose();
        return after - before;
    }

    private static IDisposable? MetricsGen(string[] tenants, string[] routes, int tenantCount, int routeCount)
    {
        var metrics = new MemoryMetrics(new MetricRegistry());
        for (int t = 0; t < tenantCount; t++)
        {
            for (int r = 0; r < routeCount; r++)
            {
                metrics.Series(tenants[t], routes[r]).Inc();
            }
        }

        return new Holder(metrics);
    }

    private static IDisposable? PrometheusNet(string[] tenants, string[] routes, int tenantCount, int routeCount)
    {
        Prom.CollectorRegistry registry = PromRegistries.NewRegistry();
        Prom.Counter counter = Prom.Metrics.WithCustomRegistry(registry)
            .CreateCounter("mem_series_total", "One series per tenant and route.", new Prom.CounterConfiguration { LabelNames = new[] { "tenant", "route" } });
        for (int t = 0; t < tenantCount; t++)
        {
            for (int r = 0; r < routeCount; r++)
            {
                counter.WithLabels(tenants[t], routes[r]).Inc();
            }
        }

        return new Holder(registry);
    }

    private static IDisposable? OpenTelemetry(string[] tenants, string[] routes, int tenantCount, int routeCount)
    {
        var pipeline = new OtelPipeline(
            "mem",
            builder => builder.AddView("mem_series", new MetricStreamConfiguration { CardinalityLimit = 110_000 }));
        Counter<long> counter = pipeline.Meter.CreateCounter<long>("mem_series");
        for (int t = 0; t < tenantCount; t++)
        {
            for (int r = 0; r < routeCount; r++)
            {
                counter.Add(1, new KeyValuePair<string, object?>("tenant", tenants[t]), new KeyValuePair<string, object?>("route", routes[r]));
            }
        }

        return pipeline;
    }

    private sealed class Holder : IDisposable
    {
        private object? _kept;

        public Holder(object kept) => _kept = kept;

        public void Dispose() => _kept = null;
    }
}
