using System;
using Xunit;

namespace MetricsGen.Runtime.Tests;

public class AllocationTests
{
    [Fact]
    public void HotPathsAllocateNothingOnceTheSeriesExists()
    {
        var metrics = new ShopMetrics(new MetricRegistry());
        var hostile = new HostileMetrics(new MetricRegistry());
        string shop = "main";
        void HotPath()
        {
            metrics.Orders(shop, Outcome.Ok).Inc();
            metrics.Orders(shop, Outcome.Error).Inc(2.5);
            metrics.StockItems.Set(3);
            metrics.StockItems.Inc();
            metrics.Latency(Region.UsEast).Observe(0.3);
            metrics.SentBytes(false, 12).Inc();
            hostile.EnumOnly(Outcome.Error, Region.EuWest).Inc();
            hostile.Plain().Inc();
            using (metrics.Latency(Region.EuWest).NewTimer())
            {
            }

            using (metrics.StockItems.TrackInProgress())
            {
            }
        }

        // Warm up long enough for tiered compilation to settle: its bookkeeping can allocate on this thread.
        for (int i = 0; i < 2_000; i++)
        {
            HotPath();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            HotPath();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void LookupsPastTheLimitAllocateNothing()
    {
        var metrics = new LimitedMetrics(new MetricRegistry());
        metrics.Slotted(Outcome.Ok).Inc();
        metrics.Keyed("first").Inc();
        string other = "other";
        void PastTheLimit()
        {
            // New label sets of full families: each lookup reaches the creation path and gets the overflow series,
            // whose label set must not be encoded again (the encoder runs only when a series is made).
            metrics.Slotted(Outcome.Error).Inc();
            metrics.Keyed(other).Inc();
        }

        for (int i = 0; i < 2_000; i++)
        {
            PastTheLimit();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            PastTheLimit();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        // Nothing was lost: the overflow series of each family holds every increment past the limit.
        Assert.Equal(12_000, metrics.Keyed(other).Value);
        Assert.Equal(12_000, metrics.Slotted(Outcome.Error).Value);
        Assert.Same(metrics.Keyed(other), metrics.Keyed("third"));
    }

    [Fact]
    public void WriteToAReusedBufferAllocatesNothing()
    {
        var registry = new MetricRegistry();
        var metrics = new ShopMetrics(registry);
        var hostile = new HostileMetrics(registry);
        for (int i = 0; i < 1_000; i++)
        {
            metrics.Orders("shop-" + i, Outcome.Ok).Inc(i);
            hostile.Value("v" + i).Set(i * 0.001);
        }

        metrics.Latency(Region.UsEast).Observe(1);
        var buffer = new PooledBufferWriter();
        registry.WriteTo(buffer, ExpositionFormat.PrometheusText);
        buffer.Clear();
        registry.WriteTo(buffer, ExpositionFormat.OpenMetrics);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            buffer.Clear();
            registry.WriteTo(buffer, i % 2 == 0 ? ExpositionFormat.PrometheusText : ExpositionFormat.OpenMetrics);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(buffer.WrittenCount > 50_000);
    }

    [Fact]
    public void ScrapingTheDefaultRegistryAllocatesAlmostNothing()
    {
        // The process and runtime collectors read /proc and the GC at most once a second; scrapes in between reuse
        // the reading, so a busy scraper costs no file reads and (almost) no garbage.
        var buffer = new PooledBufferWriter();
        MetricRegistry.Default.WriteTo(buffer, ExpositionFormat.PrometheusText);
        long before = GC.GetAllocatedBytesForCurrentThread();
        const int scrapes = 500; // many, so that a reading refreshed during the loop stays a small share
        for (int i = 0; i < scrapes; i++)
        {
            buffer.Clear();
            MetricRegistry.Default.WriteTo(buffer, ExpositionFormat.OpenMetrics);
        }

        long perScrape = (GC.GetAllocatedBytesForCurrentThread() - before) / scrapes;
        Assert.True(perScrape < 512, $"{perScrape} B per scrape of the default registry");
    }
}
