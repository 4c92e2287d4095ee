using System;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using static MetricsGen.Runtime.Tests.Meters.MeterTestSupport;

namespace MetricsGen.Runtime.Tests.Meters;

/// <summary>Recording from many threads while scraping, and what recording and scraping allocate.</summary>
[Collection(nameof(MetricsGen.Runtime.Tests.Exporter.AllocationSensitive))]
public sealed class MeterBridgeLoadTests
{
    [Fact]
    public async Task ManyThreadsRecordWhileScrapesRunAndTotalsAreExact()
    {
        var registry = new MetricRegistry();
        using var meter = new Meter(UniqueName("Race"));
        using IDisposable bridge = registry.AddMeters(meter.Name);
        Counter<long> requests = meter.CreateCounter<long>("raced_requests");
        Histogram<double> latency = meter.CreateHistogram<double>("raced_latency", "s");
        UpDownCounter<long> inFlight = meter.CreateUpDownCounter<long>("raced_in_flight");
        const int threads = 4;
        const int perThread = 50_000;
        string[] methods = { "GET", "POST", "PUT" };

        using var stop = new CancellationTokenSource();
        int scrapes = 0;
        using var scraping = new ManualResetEventSlim();
        Task scraper = Task.Factory.StartNew(
            () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    string text = Text(registry);
                    Assert.DoesNotContain("metricsgen_overflow", text);
                    _ = OpenMetrics(registry);
                    Interlocked.Increment(ref scrapes);
                    scraping.Set();
                }
            },
            TaskCreationOptions.LongRunning);
        Assert.True(scraping.Wait(TimeSpan.FromSeconds(30)), "the scraper did not start");
        int scrapesBefore = Volatile.Read(ref scrapes);

        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, thread =>
        {
            for (int i = 0; i < perThread; i++)
            {
                string method = methods[(i + thread) % methods.Length];
                if ((i & 1) == 0)
                {
                    requests.Add(1, Tag("method", method), Tag("worker", "w" + (thread & 1)));
                }
                else
                {
                    requests.Add(2, Tag("worker", "w" + (thread & 1)), Tag("method", method));
                }

                inFlight.Add(1, Tag("method", method));
                latency.Record(0.001 * (i % 10), Tag("method", method));
                inFlight.Add(-1, Tag("method", method));

                // Halfway, one thread holds on until a whole scrape ran while it records, so a scrape during the
                // writes is a fact of the test rather than luck of the scheduler.
                if (thread == 0 && i == perThread / 2)
                {
                    int seen = Volatile.Read(ref scrapes);
                    Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref scrapes) >= seen + 2, TimeSpan.FromSeconds(30)), "the scraper stalled");
                }
            }
        });
        int scrapesDuring = Volatile.Read(ref scrapes) - scrapesBefore;
        stop.Cancel();
        await scraper;

        string final = Text(registry);
        double total = Samples(final, "raced_requests_total").Sum(Value);
        Assert.Equal(threads * perThread * 1.5, total);
        Assert.Equal(6, Samples(final, "raced_requests_total").Length);
        Assert.All(Samples(final, "raced_in_flight"), line => Assert.Equal(0, Value(line)));
        Assert.Equal(threads * perThread, Samples(final, "raced_latency_seconds_count").Sum(Value));
        Assert.True(scrapesDuring > 0, "no scrape ran while the threads recorded");
    }

    [Fact]
    public void RecordingIntoAnExistingSeriesAllocatesNothing()
    {
        var registry = new MetricRegistry();
        using var meter = new Meter(UniqueName("NoAlloc"));
        using IDisposable bridge = registry.AddMeters(meter.Name);
        Counter<long> counter = meter.CreateCounter<long>("quiet_requests");
        Counter<double> amount = meter.CreateCounter<double>("quiet_amount");
        Histogram<double> latency = meter.CreateHistogram<double>("quiet_latency", "s");
        UpDownCounter<int> depth = meter.CreateUpDownCounter<int>("quiet_depth");
        Gauge<double> level = meter.CreateGauge<double>("quiet_level");
        string method = "GET";
        string route = "/orders";

        // Boxing a bool or int tag value is the caller's allocation (Tag takes object?); boxed once here, the bridge
        // itself hashes and compares them by value without allocating.
        object ok = true;
        object code = 200;
        void Record()
        {
            counter.Add(1, Tag("method", method), Tag("route", route));
            counter.Add(1, Tag("route", route), Tag("method", method));
            counter.Add(1);
            amount.Add(2.5, Tag("method", method));
            latency.Record(0.3, Tag("method", method), Tag("route", route), Tag("ok", ok));
            depth.Add(1, Tag("queue", "a"));
            depth.Add(-1, Tag("queue", "a"));
            level.Record(4, Tag("code", code));
        }

        Record();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            Record();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Contains("quiet_requests_total{method=\"GET\",route=\"/orders\"} 20002\n", Text(registry));
    }

    [Fact]
    public void ALookupPastTheLimitAllocatesNothing()
    {
        var registry = new MetricRegistry { DefaultMaxSeries = 10 };
        using var meter = new Meter(UniqueName("Flood"));
        using IDisposable bridge = registry.AddMeters(meter.Name);
        Counter<long> flood = meter.CreateCounter<long>("flooded");
        string[] ids = Enumerable.Range(0, 5_000).Select(i => "id-" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        foreach (string id in ids.AsSpan(0, 20))
        {
            flood.Add(1, Tag("id", id));
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        foreach (string id in ids)
        {
            flood.Add(1, Tag("id", id));
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        string text = Text(registry);
        Assert.Equal(11, Samples(text, "flooded_total").Length);
        Assert.Equal(5_020, Samples(text, "flooded_total").Sum(Value));
    }

    [Fact]
    public void AScrapeOfBridgedFamiliesIntoAReusedBufferAllocatesNothing()
    {
        var registry = new MetricRegistry();
        using var meter = new Meter(UniqueName("ScrapeAlloc"));
        using IDisposable bridge = registry.AddMeters(meter.Name);
        Counter<long> counter = meter.CreateCounter<long>("scraped_requests");
        Histogram<double> latency = meter.CreateHistogram<double>("scraped_latency", "s");
        Gauge<double> level = meter.CreateGauge<double>("scraped_level");
        for (int i = 0; i < 500; i++)
        {
            counter.Add(i, Tag("id", "id-" + i.ToString(CultureInfo.InvariantCulture)), Tag("kind", "k"));
            level.Record(i * 0.5, Tag("id", "id-" + i.ToString(CultureInfo.InvariantCulture)));
        }

        latency.Record(0.2);
        var buffer = new PooledBufferWriter();
        foreach (ExpositionFormat format in new[] { ExpositionFormat.PrometheusText, ExpositionFormat.OpenMetrics, ExpositionFormat.Protobuf })
        {
            buffer.Clear();
            registry.WriteTo(buffer, format);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 30; i++)
        {
            buffer.Clear();
            registry.WriteTo(buffer, (i % 3) switch
            {
                0 => ExpositionFormat.PrometheusText,
                1 => ExpositionFormat.OpenMetrics,
                _ => ExpositionFormat.Protobuf,
            });
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        buffer.Dispose();
    }

    private static double Value(string line) => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
}
