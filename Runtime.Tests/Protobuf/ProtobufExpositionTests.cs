using System;
using System.Collections.Generic;
using System.Linq;
using MetricsGen.Runtime.Tests.MetricModel;
using Xunit;

namespace MetricsGen.Runtime.Tests.Protobuf;

/// <summary>The protobuf format, decoded field by field with an independent reader.</summary>
public sealed class ProtobufExpositionTests
{
    private static List<WireMessage> Scrape(MetricRegistry registry, IReadOnlySet<string>? names = null)
    {
        using var buffer = new PooledBufferWriter();
        registry.WriteTo(buffer, ExpositionFormat.Protobuf, names);
        return WireMessage.ReadDelimited(buffer.WrittenSpan.ToArray());
    }

    private static WireMessage Family(List<WireMessage> families, string name) =>
        Assert.Single(families, family => family.String(1) == name);

    [Fact]
    public void EveryTypeMapsToItsMessage()
    {
        // Created and exemplar timestamps are wall-clock seconds taken between these two readings.
        long start = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var registry = new MetricRegistry { EnableCreatedSamples = true };
        var metrics = new JobMetrics(registry);
        metrics.Latency("fast").Observe(1);
        metrics.Latency("fast").Observe(2);
        metrics.Latency("fast").Observe(3);
        metrics.SetBuildInfo("1.2.3", "abc\"def");
        metrics.QueueState("q\n1").Set(JobState.Failed);
        metrics.Runs("q1").Inc(2, new Exemplar("trace_id", "t-1"));
        metrics.RunTime.Observe(0.5, new Exemplar("trace_id", "t2", "span_id", "s2"));
        metrics.RunTime.Observe(20);
        metrics.Enqueue("a");
        metrics.Read(4096);
        List<WireMessage> families = Scrape(registry);
        long end = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.Equal(
            new[] { "jobs_build_info", "jobs_bytes_read_total", "jobs_latency_seconds", "jobs_payload_bytes", "jobs_queue_depth", "jobs_queue_state", "jobs_run_seconds", "jobs_runs_total", "jobs_state" },
            families.Select(family => family.String(1)).ToArray());

        // Info: a gauge named with _info, value 1, labels unescaped.
        WireMessage info = Family(families, "jobs_build_info");
        Assert.Equal("Build information.", info.String(2));
        Assert.Equal(1UL, info.Varint(3));
        WireMessage infoMetric = Assert.Single(info.Messages(4));
        Assert.Equal(new[] { ("version", "1.2.3"), ("commit", "abc\"def") }, infoMetric.Labels());
        Assert.Equal(1, infoMetric.Message(2).Double(1));

        // Callback counter: a counter named with _total.
        WireMessage bytesRead = Family(families, "jobs_bytes_read_total");
        Assert.Equal(0UL, bytesRead.Varint(3));
        Assert.Equal(4096, Assert.Single(bytesRead.Messages(4)).Message(3).Double(1));

        // Summary: count, sum, quantiles, created.
        WireMessage summary = Assert.Single(Family(families, "jobs_latency_seconds").Messages(4));
        Assert.Equal(new[] { ("queue", "fast") }, summary.Labels());
        WireMessage summaryValue = summary.Message(4);
        Assert.Equal(3UL, summaryValue.Varint(1));
        Assert.Equal(6, summaryValue.Double(2));
        Assert.Equal(new[] { (0.5, 2.0), (0.9, 3.0), (0.99, 3.0) }, summaryValue.Messages(3).Select(q => (q.Double(1), q.Double(2))).ToArray());
        Assert.InRange((long)summaryValue.Message(4).Varint(1), start, end);
        Assert.Equal(2UL, Family(families, "jobs_latency_seconds").Varint(3));

        // State set: a gauge per state, the state label after the others, named after the family.
        WireMessage stateSet = Family(families, "jobs_queue_state");
        Assert.Equal(1UL, stateSet.Varint(3));
        var states = stateSet.Messages(4).Select(metric => (metric.Labels(), metric.Message(2).Double(1))).ToList();
        Assert.Equal(3, states.Count);
        Assert.Equal(new[] { ("queue", "q\n1"), ("jobs_queue_state", "idle") }, states[0].Item1);
        Assert.Equal(new[] { 0.0, 0.0, 1.0 }, states.Select(state => state.Item2).ToArray());
        Assert.Equal("failed_hard", states[2].Item1[1].Value);

        // Histogram: classic buckets without +Inf, the exemplar on its bucket, count, sum, created.
        WireMessage histogram = Assert.Single(Family(families, "jobs_run_seconds").Messages(4)).Message(7);
        Assert.Equal(4UL, Family(families, "jobs_run_seconds").Varint(3));
        Assert.Equal(2UL, histogram.Varint(1));
        Assert.Equal(20.5, histogram.Double(2));
        var buckets = histogram.Messages(3).ToList();
        Assert.Equal(new[] { (0UL, 0.1), (1UL, 1.0), (1UL, 10.0) }, buckets.Select(b => (b.Varint(1), b.Double(2))).ToArray());
        WireMessage bucketExemplar = buckets[1].Message(3);
        Assert.Equal(new[] { ("trace_id", "t2"), ("span_id", "s2") }, bucketExemplar.Labels());
        Assert.Equal(0.5, bucketExemplar.Double(2));
        Assert.InRange((long)bucketExemplar.Message(3).Varint(1), start, end);
        Assert.False(buckets[0].Has(3));
        Assert.True(histogram.Has(15));
        Assert.False(histogram.Has(5), "A classic histogram must not carry a schema (Prometheus would read it as native).");

        // Counter with an exemplar and created timestamp.
        WireMessage counter = Assert.Single(Family(families, "jobs_runs_total").Messages(4)).Message(3);
        Assert.Equal(2, counter.Double(1));
        Assert.Equal(new[] { ("trace_id", "t-1") }, counter.Message(2).Labels());
        Assert.Equal(2, counter.Message(2).Double(2));
        long createdNanos = counter.Message(3).Has(2) ? (long)counter.Message(3).Varint(2) : 0;
        Assert.InRange(createdNanos, 0, 999_999_999);
    }

    [Fact]
    public void UnitsNamesAndFiltersFollowTheRegistry()
    {
        var registry = new MetricRegistry();
        var shop = new ShopMetrics(registry);
        shop.Orders("main", Outcome.Ok).Inc(3);
        shop.Latency(Region.UsEast).Observe(0.5);
        shop.StockItems.Set(7);

        List<WireMessage> families = Scrape(registry, new HashSet<string> { "test_orders_total", "test_latency_seconds_bucket" });
        Assert.Equal(new[] { "test_latency_seconds", "test_orders_total" }, families.Select(family => family.String(1)).ToArray());
        Assert.Equal("seconds", Family(families, "test_latency_seconds").String(5));
        Assert.Equal(3, Assert.Single(Family(families, "test_orders_total").Messages(4)).Message(3).Double(1));
        Assert.False(Family(families, "test_orders_total").Has(5));
    }

    [Fact]
    public void DefaultRegistryCollectorsWriteProtobuf()
    {
        List<WireMessage> families = Scrape(MetricRegistry.Default);
        WireMessage info = Family(families, "dotnet_info");
        Assert.Contains(("version", Environment.Version.ToString()), Assert.Single(info.Messages(4)).Labels());
        Assert.Equal(3, Family(families, "dotnet_gc_collections_total").Messages(4).Count());
        Assert.All(families, family => Assert.True(family.Has(1) && family.Has(2) && family.Has(3)));
    }

    [Fact]
    public void GenerateLatestRefusesProtobufAndWriteRawIsText()
    {
        var registry = new MetricRegistry();
        Assert.Throws<ArgumentException>(() => registry.GenerateLatest(ExpositionFormat.Protobuf));
        registry.Register(new RawSource());
        var error = Assert.Throws<MetricCollectionException>(() => Scrape(registry));
        Assert.IsType<InvalidOperationException>(error.InnerException);
    }

    [Fact]
    public void LongFamiliesAndLabelsKeepTheirLengthPrefixesRight()
    {
        var registry = new MetricRegistry();
        var hostile = new HostileMetrics(registry);
        string longValue = new string('x', 300) + "\\\"\n" + "é🎉";
        for (int i = 0; i < 200; i++)
        {
            hostile.Value(longValue + i).Set(i);
        }

        WireMessage family = Assert.Single(Scrape(registry), family => family.String(1) == "hostile_value");
        Assert.Equal("Back\\slash and\nnewline and \"quotes\".", family.String(2));
        var metrics = family.Messages(4).ToList();
        Assert.Equal(200, metrics.Count);
        Assert.Equal(("name", longValue + "199"), metrics[199].Labels().Single());
        Assert.Equal(199, metrics[199].Message(2).Double(1));
    }

    [Fact]
    public void AScrapeAllocatesNothingIntoAReusedBuffer()
    {
        var registry = new MetricRegistry();
        var metrics = new JobMetrics(registry);
        metrics.Latency("a").Observe(1);
        metrics.Runs("a").Inc(1, new Exemplar("trace_id", "abc"));
        metrics.SetBuildInfo("1", "x");
        using var buffer = new PooledBufferWriter();
        registry.WriteTo(buffer, ExpositionFormat.Protobuf);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            buffer.Clear();
            registry.WriteTo(buffer, ExpositionFormat.Protobuf);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private sealed class RawSource : IMetricSource
    {
        private static readonly MetricDescriptor[] Descriptors = { new("raw_thing", MetricType.Gauge, "Raw.") };

        public string SourceName => "raw";

        public IReadOnlyList<MetricDescriptor> Metrics => Descriptors;

        public void Collect(ref ExpositionWriter writer) => writer.WriteRaw("raw_thing 1\n"u8);
    }
}
