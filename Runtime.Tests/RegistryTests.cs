using System;
using System.Linq;
using Xunit;

namespace MetricsGen.Runtime.Tests;

public class RegistryTests
{
    [Fact]
    public void DefaultRegistryExposesProcessAndRuntimeMetrics()
    {
        string text = MetricRegistry.Default.GenerateLatest();
        Assert.Contains("\nprocess_resident_memory_bytes ", text);
        Assert.Contains("\nprocess_cpu_seconds_total ", text);
        Assert.Contains("\nprocess_start_time_seconds ", text);
        Assert.Contains("\nprocess_open_fds ", text);
        Assert.Contains("\nprocess_max_fds ", text);
        Assert.Contains("\nprocess_virtual_memory_bytes ", text);
        Assert.Contains("dotnet_info{version=\"", text);
        Assert.Contains("dotnet_gc_collections_total{gc_heap_generation=\"gen0\"} ", text);
        Assert.Contains("\ndotnet_gc_heap_total_allocated_bytes_total ", text);
        Assert.Contains("\ndotnet_thread_pool_thread_count ", text);
        Assert.Contains("\nprocess_num_threads ", text);
        Assert.Contains("\nprocess_virtual_memory_max_bytes ", text);
        Assert.Contains("\nprocess_network_receive_bytes_total ", text);
        Assert.Contains("\nprocess_network_transmit_bytes_total ", text);
        Assert.Contains("# TYPE dotnet_exceptions_total counter\n", text);
        Assert.Matches(new System.Text.RegularExpressions.Regex("\nprocess_num_threads [1-9][0-9]*\n"), text);
    }

    [Fact]
    public void NewRegistryIsEmpty()
    {
        var registry = new MetricRegistry();
        Assert.Empty(registry.Sources);
        Assert.Equal(string.Empty, registry.GenerateLatest());
        Assert.Equal("# EOF\n", registry.GenerateLatest(ExpositionFormat.OpenMetrics));
    }

    [Fact]
    public void ClashingSourceIsRefusedAndNothingIsRegistered()
    {
        var registry = new MetricRegistry();
        var shop = new ShopMetrics(registry);
        var error = Assert.Throws<DuplicateMetricException>(() => new ClashingMetrics(registry));
        Assert.Equal("test_stock_items", error.MetricName);
        Assert.Contains("test_stock_items", error.Message);
        Assert.Single(registry.Sources);
        Assert.DoesNotContain("test_unique_gauge", registry.GenerateLatest());

        // The same class twice clashes on every name.
        Assert.Throws<DuplicateMetricException>(() => new ShopMetrics(registry));
        Assert.Single(registry.Sources);
        Assert.Same(shop, registry.Sources[0]);
    }

    [Fact]
    public void CounterTotalSuffixReservesTheBareNameToo()
    {
        var registry = new MetricRegistry();
        registry.Register(new FixedSource(new MetricDescriptor("jobs_total", MetricType.Counter, "Jobs.")));
        var clash = Assert.Throws<DuplicateMetricException>(() =>
            registry.Register(new FixedSource(new MetricDescriptor("jobs", MetricType.Gauge, "Jobs gauge."))));
        Assert.Equal("jobs", clash.MetricName);

        registry.Register(new FixedSource(new MetricDescriptor("wait_seconds", MetricType.Histogram, "Wait.")));
        Assert.Throws<DuplicateMetricException>(() =>
            registry.Register(new FixedSource(new MetricDescriptor("wait_seconds_count", MetricType.Gauge, "Clash."))));
    }

    [Fact]
    public void UnregisterRemovesTheFamiliesAndFreesTheNames()
    {
        var registry = new MetricRegistry();
        var shop = new ShopMetrics(registry);
        Assert.True(registry.Unregister(shop));
        Assert.False(registry.Unregister(shop));
        Assert.Equal(string.Empty, registry.GenerateLatest());
        _ = new ClashingMetrics(registry);
        Assert.Contains("test_stock_items", registry.GenerateLatest());
    }

    [Fact]
    public void FailingSourceIsNamedInTheError()
    {
        var registry = new MetricRegistry();
        registry.Register(new ThrowingSource());
        var error = Assert.Throws<MetricCollectionException>(() => registry.GenerateLatest());
        Assert.Equal("throwing-source", error.SourceName);
        Assert.Contains("throwing-source", error.Message);
    }

    [Fact]
    public async System.Threading.Tasks.Task WriteToAsyncWritesNothingWhenASourceFails()
    {
        var registry = new MetricRegistry();
        var shop = new ShopMetrics(registry);
        shop.StockItems.Set(1);
        var stream = new System.IO.MemoryStream();
        await registry.WriteToAsync(stream, ExpositionFormat.OpenMetrics, default);
        Assert.Equal(registry.GenerateLatest(ExpositionFormat.OpenMetrics), System.Text.Encoding.UTF8.GetString(stream.ToArray()));

        registry.Register(new ThrowingSource());
        var failed = new System.IO.MemoryStream();
        await Assert.ThrowsAsync<MetricCollectionException>(() => registry.WriteToAsync(failed, ExpositionFormat.PrometheusText, default));
        Assert.Equal(0, failed.Length);
    }

    [Fact]
    public void DescriptorRejectsBadDefinitions()
    {
        Assert.Throws<ArgumentException>(() => new MetricDescriptor("1bad", MetricType.Gauge, "x"));
        Assert.Throws<ArgumentException>(() => new MetricDescriptor("jobs", MetricType.Counter, "x"));
        Assert.Throws<ArgumentException>(() => new MetricDescriptor("h", MetricType.Histogram, "x", buckets: new[] { 1.0, 1.0 }));
        Assert.Throws<ArgumentException>(() => new MetricDescriptor("h", MetricType.Histogram, "x", buckets: new[] { 2.0, 1.0 }));
        Assert.Throws<ArgumentException>(() => new MetricDescriptor("h", MetricType.Histogram, "x", buckets: new[] { double.PositiveInfinity }));
        Assert.Throws<ArgumentException>(() => new MetricDescriptor("h", MetricType.Histogram, "x", buckets: Array.Empty<double>()));
        Assert.Throws<ArgumentException>(() => new MetricDescriptor("size", MetricType.Gauge, "x", unit: "bytes"));
        Assert.Equal(MetricDescriptor.DefaultBuckets.ToArray(), new MetricDescriptor("h", MetricType.Histogram, "x").Buckets.ToArray());
    }

    private sealed class FixedSource : IMetricSource
    {
        private readonly MetricDescriptor[] _metrics;

        public FixedSource(params MetricDescriptor[] metrics) => _metrics = metrics;

        public string SourceName => "fixed";

        public System.Collections.Generic.IReadOnlyList<MetricDescriptor> Metrics => _metrics;

        public void Collect(ref ExpositionWriter writer)
        {
            foreach (MetricDescriptor metric in _metrics)
            {
                if (writer.BeginFamily(metric))
                {
                    writer.WriteSample(metric, default, 1);
                }
            }
        }
    }

    private sealed class ThrowingSource : IMetricSource
    {
        private static readonly MetricDescriptor[] None = Array.Empty<MetricDescriptor>();

        public string SourceName => "throwing-source";

        public System.Collections.Generic.IReadOnlyList<MetricDescriptor> Metrics => None;

        public void Collect(ref ExpositionWriter writer) => throw new InvalidOperationException("database is down");
    }
}
