using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Linq;
using MetricsGen.Runtime.Tests.Protobuf;
using Xunit;
using static MetricsGen.Runtime.Tests.Meters.MeterTestSupport;

namespace MetricsGen.Runtime.Tests.Meters;

public sealed class MeterBridgeTests
{
    [Fact]
    public void TheDocumentedPatternsBridgeAMatchingMeterUntilTheBridgeIsDisposed()
    {
        // docs/meters.md's call: a wildcard, an exact meter name and ASP.NET Core's hosting meter.
        var registry = new MetricRegistry();
        using var meter = new Meter("MyCompany.Orders");
        IDisposable bridge = registry.AddMeters("MyCompany.*", "System.Net.Http", "Microsoft.AspNetCore.Hosting");
        meter.CreateCounter<long>("orders.placed").Add(2);
        Assert.Contains("orders_placed_total 2\n", registry.GenerateLatest());
        bridge.Dispose();
        Assert.DoesNotContain("orders_placed_total", registry.GenerateLatest());
    }

    [Fact]
    public void EveryInstrumentKindIsExposedWithItsTypeNameAndUnit()
    {
        var registry = new MetricRegistry();
        using var meter = new Meter(UniqueName("Kinds"));
        using IDisposable bridge = registry.AddMeters(meter.Name);

        long ticks = 41;
        meter.CreateCounter<long>("orders", "{order}", "Orders placed.").Add(3, Tag("shop", "main"));
        Counter<double> energy = meter.CreateCounter<double>("energy", "J");
        energy.Add(1.5);
        energy.Add(2.25);
        UpDownCounter<int> depth = meter.CreateUpDownCounter<int>("queue.depth", "{item}", "Items waiting.");
        depth.Add(5);
        depth.Add(-2);
        Histogram<double> latency = meter.CreateHistogram<double>("latency", "s", "Latency.");
        latency.Record(0.5);
        latency.Record(7);
        Histogram<long> advised = meter.CreateHistogram<long>(
            "latency.advised", "ms", "Advised.", tags: null, advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = new long[] { 1, 10, 100 } });
        advised.Record(5);
        advised.Record(500);
        Gauge<float> temperature = meter.CreateGauge<float>("temperature", "Cel", "Room temperature.");
        temperature.Record(21.5f);
        temperature.Record(22.5f);
        meter.CreateObservableCounter("ticks", () => ticks, description: "Ticks so far.");
        meter.CreateObservableUpDownCounter("connections", () => new Measurement<int>(7, Tag("pool", "a")));
        meter.CreateObservableGauge("load", () => 0.25, "1", "Load.");
        meter.CreateCounter<decimal>("money", "{USD}").Add(2.5m);
        meter.CreateCounter<short>("small").Add(2);
        meter.CreateCounter<byte>("tiny").Add(3);

        string text = Text(registry);
        Assert.Contains("# HELP orders_total Orders placed.\n# TYPE orders_total counter\norders_total{shop=\"main\"} 3\n", text);
        Assert.Contains("# HELP energy_joules_total energy\n# TYPE energy_joules_total counter\nenergy_joules_total 3.75\n", text);
        Assert.Contains("# TYPE queue_depth gauge\nqueue_depth 3\n", text);
        Assert.Contains("# TYPE latency_seconds histogram\n", text);
        Assert.Contains("latency_seconds_bucket{le=\"0.0\"} 0\nlatency_seconds_bucket{le=\"5.0\"} 1\nlatency_seconds_bucket{le=\"10.0\"} 2\n", text);
        Assert.Contains("latency_seconds_bucket{le=\"10000.0\"} 2\nlatency_seconds_bucket{le=\"+Inf\"} 2\nlatency_seconds_count 2\nlatency_seconds_sum 7.5\n", text);
        Assert.Contains(
            "latency_advised_milliseconds_bucket{le=\"1.0\"} 0\nlatency_advised_milliseconds_bucket{le=\"10.0\"} 1\nlatency_advised_milliseconds_bucket{le=\"100.0\"} 1\nlatency_advised_milliseconds_bucket{le=\"+Inf\"} 2\n",
            text);
        Assert.Contains("# TYPE temperature_celsius gauge\ntemperature_celsius 22.5\n", text);
        Assert.Contains("# TYPE ticks_total counter\nticks_total 41\n", text);
        Assert.Contains("# TYPE connections gauge\nconnections{pool=\"a\"} 7\n", text);
        Assert.Contains("# TYPE load_ratio gauge\nload_ratio 0.25\n", text);
        Assert.Contains("money_total 2.5\n", text);
        Assert.Contains("small_total 2\n", text);
        Assert.Contains("tiny_total 3\n", text);

        // Observable instruments are read by each scrape.
        ticks = 50;
        Assert.Contains("ticks_total 50\n", Text(registry));

        string openMetrics = OpenMetrics(registry);
        Assert.Contains("# TYPE orders counter\n# HELP orders Orders placed.\norders_total{shop=\"main\"} 3\n", openMetrics);
        Assert.Contains("# TYPE energy_joules counter\n# UNIT energy_joules joules\n", openMetrics);
        Assert.Contains("# TYPE latency_seconds histogram\n# UNIT latency_seconds seconds\n", openMetrics);
        Assert.Contains("# TYPE load_ratio gauge\n# UNIT load_ratio ratio\n", openMetrics);
        Assert.DoesNotContain("# UNIT queue_depth", openMetrics);
        Assert.EndsWith("# EOF\n", openMetrics);

        List<WireMessage> families = MeterTestSupport.Protobuf(registry);
        WireMessage orders = Assert.Single(families, family => family.String(1) == "orders_total");
        Assert.Equal(0UL, orders.Varint(3));
        WireMessage ordersMetric = Assert.Single(orders.Messages(4));
        Assert.Equal(new[] { ("shop", "main") }, ordersMetric.Labels());
        Assert.Equal(3, ordersMetric.Message(3).Double(1));
        WireMessage histogram = Assert.Single(Assert.Single(families, family => family.String(1) == "latency_advised_milliseconds").Messages(4)).Message(7);
        Assert.Equal(2UL, histogram.Varint(1));
        Assert.Equal(505, histogram.Double(2));
        Assert.Equal("seconds", Assert.Single(families, family => family.String(1) == "latency_seconds").String(5));
        Assert.Equal(1UL, Assert.Single(families, family => family.String(1) == "temperature_celsius").Varint(3));
    }

    [Fact]
    public void TagOrderAndNumericTypeDoNotMakeAnotherSeries()
    {
        var registry = new MetricRegistry();
        using var meter = new Meter(UniqueName("Order"));
        using IDisposable bridge = registry.AddMeters(meter.Name);
        Counter<long> requests = meter.CreateCounter<long>("requests");

        requests.Add(1, Tag("method", "GET"), Tag("code", 200));
        requests.Add(1, Tag("code", 200), Tag("method", "GET"));
        requests.Add(1, Tag("code", 200L), Tag("method", "GET"));
        requests.Add(1, Tag("method", "GET"), Tag("code", (short)200));
        requests.Add(1, Tag("method", "GET"), Tag("code", "200"));
        var list = new TagList { { "code", 200 }, { "method", "GET" } };
        requests.Add(1, list);
        requests.Add(1, Tag("method", "GET"), Tag("code", 201), Tag("method", "POST"));

        string[] lines = Samples(Text(registry), "requests_total");
        Assert.Equal(new[] { "requests_total{code=\"200\",method=\"GET\"} 6", "requests_total{code=\"201\",method=\"POST\"} 1" }, lines);

        // The lookup hashes values only: swapped values and one value under another name are other series all the same.
        Counter<long> pairs = meter.CreateCounter<long>("pairs");
        pairs.Add(1, Tag("a", "x"), Tag("b", "y"));
        pairs.Add(2, Tag("a", "y"), Tag("b", "x"));
        pairs.Add(4, Tag("a", "x"));
        pairs.Add(8, Tag("b", "x"));
        pairs.Add(16, Tag("b", "y"), Tag("a", "x"));
        Assert.Equal(
            new[] { "pairs_total{a=\"x\",b=\"y\"} 17", "pairs_total{a=\"y\",b=\"x\"} 2", "pairs_total{a=\"x\"} 4", "pairs_total{b=\"x\"} 8" },
            Samples(Text(registry), "pairs_total"));
    }

    [Fact]
    public void TagValuesAndNamesFollowTheRules()
    {
        var registry = new MetricRegistry();
        using var meter = new Meter(UniqueName("Tags"));
        using IDisposable bridge = registry.AddMeters(meter.Name);
        Counter<int> counter = meter.CreateCounter<int>("tagged");
        counter.Add(1, Tag("ok", true), Tag("none", null), Tag("ratio", 0.5), Tag("big", ulong.MaxValue), Tag("day", DayOfWeek.Monday));
        counter.Add(1, Tag("http.method", "a\"b\\c\nd"), Tag("http_method", "x"), Tag("9th", 'z'));
        meter.CreateHistogram<double>("sized").Record(1, Tag("le", "edge"), Tag("quantile", "q"));

        string text = Text(registry);
        Assert.Contains("tagged_total{big=\"18446744073709551615\",day=\"Monday\",none=\"\",ok=\"true\",ratio=\"0.5\"} 1\n", text);
        Assert.Contains("tagged_total{_9th=\"z\",http_method=\"a\\\"b\\\\c\\nd;x\"} 1\n", text);
        Assert.Contains("sized_bucket{tag_le=\"edge\",tag_quantile=\"q\",le=\"0.0\"} 0\n", text);
    }

    [Fact]
    public void MetersCreatedAfterAddMetersArePickedUpByNameOrPrefix()
    {
        var registry = new MetricRegistry();
        string stem = UniqueName("Later");
        using IDisposable bridge = registry.AddMeters(stem + ".Exact", stem + ".Prefix.*");

        using var exact = new Meter(stem + ".Exact");
        using var prefixed = new Meter(stem + ".Prefix.Orders");
        using var other = new Meter(stem + ".Other");
        using var exactChild = new Meter(stem + ".Exact.Child");
        exact.CreateCounter<int>("exact_hits").Add(1);
        prefixed.CreateCounter<int>("prefixed_hits").Add(2);
        other.CreateCounter<int>("other_hits").Add(3);
        exactChild.CreateCounter<int>("child_hits").Add(4);

        string text = Text(registry);
        Assert.Contains("exact_hits_total 1\n", text);
        Assert.Contains("prefixed_hits_total 2\n", text);
        Assert.DoesNotContain("other_hits", text);
        Assert.DoesNotContain("child_hits", text);
    }

    [Fact]
    public void DisposeStopsListeningAndRemovesTheFamilies()
    {
        var registry = new MetricRegistry();
        using var meter = new Meter(UniqueName("Dispose"));
        Counter<long> counter = meter.CreateCounter<long>("before_dispose");
        IDisposable bridge = registry.AddMeters(meter.Name);
        int observed = 0;
        meter.CreateObservableGauge("watched", () => ++observed);
        counter.Add(5);
        Assert.Contains("before_dispose_total 5\n", Text(registry));
        Assert.Equal(1, observed);

        bridge.Dispose();
        bridge.Dispose();
        counter.Add(5);
        meter.CreateCounter<long>("after_dispose").Add(1);
        Assert.Empty(registry.Sources);
        Assert.Equal(string.Empty, Text(registry));
        Assert.Equal(1, observed);

        // The same names can be bridged again, from zero.
        using IDisposable again = registry.AddMeters(meter.Name);
        counter.Add(2);
        Assert.Contains("before_dispose_total 2\n", Text(registry));
    }

    [Fact]
    public void ADisposedMeterTakesItsFamiliesAlong()
    {
        var registry = new MetricRegistry();
        string name = UniqueName("Gone");
        using IDisposable bridge = registry.AddMeters(name);
        var first = new Meter(name);
        using var second = new Meter(name);
        first.CreateCounter<int>("shared").Add(1);
        second.CreateCounter<int>("shared").Add(2);
        first.CreateCounter<int>("only_first").Add(1);
        Assert.Contains("shared_total 3\n", Text(registry));

        first.Dispose();
        string text = Text(registry);
        Assert.Contains("shared_total 3\n", text);
        Assert.DoesNotContain("only_first", text);
    }

    [Fact]
    public void ClashesAreSkippedAndReportedOnceNeverThrown()
    {
        var registry = new MetricRegistry();
        var warnings = new Warnings(registry);
        registry.Register(new FixedSource(new MetricDescriptor("taken_total", MetricType.Counter, "Registered first.")));
        string name = UniqueName("Clash");
        using IDisposable bridge = registry.AddMeters(name);
        using var meter = new Meter(name);
        using var meter2 = new Meter(name);

        Counter<long> taken = meter.CreateCounter<long>("taken");
        taken.Add(1);
        meter2.CreateCounter<long>("taken").Add(1);
        meter.CreateCounter<long>("mixed", "s").Add(1);
        meter2.CreateUpDownCounter<long>("mixed", "s").Add(1);
        meter2.CreateCounter<long>("mixed", "ms").Add(1);
        meter2.CreateCounter<long>("mixed_seconds").Add(1);
        meter.CreateHistogram<double>("timed").Record(1);
        meter2.CreateHistogram<double>("timed", null, null, null, new InstrumentAdvice<double> { HistogramBucketBoundaries = new[] { 1.0 } }).Record(1);
        meter.CreateCounter<long>("together", "By").Add(1);
        meter2.CreateCounter<long>("together", "By").Add(2);

        string text = Text(registry);
        Assert.Single(Samples(text, "taken_total"), "taken_total 7");
        Assert.Contains("mixed_seconds_total 1\n", text);
        Assert.Contains("mixed_milliseconds_total 1\n", text);
        Assert.Contains("timed_bucket{le=\"0.0\"} 0\n", text);
        Assert.Contains("together_bytes_total 3\n", text);

        DuplicateMetricException[] clashes = warnings.All.OfType<DuplicateMetricException>().ToArray();
        // The up-down counter's gauge mixed_seconds is a name the counter mixed_seconds_total reserves (OpenMetrics
        // family name); the unitless mixed_seconds counter has the name but not the unit; the histograms differ in buckets.
        Assert.Equal(new[] { "taken_total", "mixed_seconds", "mixed_seconds_total", "timed" }, clashes.Select(clash => clash.MetricName).ToArray());
        Assert.Contains("instrument 'taken' of meter '" + name + "'", clashes[0].Message);
        Assert.Equal(4, warnings.All.Length);
    }

    [Fact]
    public void EachFamilyOverflowsAtTheRegistryLimit()
    {
        var registry = new MetricRegistry { DefaultMaxSeries = 3 };
        var warnings = new Warnings(registry);
        using var meter = new Meter(UniqueName("Limit"));
        using IDisposable bridge = registry.AddMeters(meter.Name);
        Counter<long> churn = meter.CreateCounter<long>("churn");
        for (int i = 0; i < 10; i++)
        {
            churn.Add(i, Tag("id", "id-" + i));
        }

        churn.Add(100, Tag("id", "id-0"));
        string[] lines = Samples(Text(registry), "churn_total");
        Assert.Equal(
            new[] { "churn_total{id=\"id-0\"} 100", "churn_total{id=\"id-1\"} 1", "churn_total{id=\"id-2\"} 2", "churn_total{metricsgen_overflow=\"true\"} 42" },
            lines);
        SeriesLimitExceededException limit = Assert.IsType<SeriesLimitExceededException>(Assert.Single(warnings.All));
        Assert.Equal("churn_total", limit.MetricName);
        Assert.Equal(3, limit.MaxSeries);
    }

    [Fact]
    public void ValuesAFamilyCannotTakeAreDroppedAndReportedOnce()
    {
        var registry = new MetricRegistry();
        var warnings = new Warnings(registry);
        using var meter = new Meter(UniqueName("Invalid"));
        using IDisposable bridge = registry.AddMeters(meter.Name);
        Counter<double> counter = meter.CreateCounter<double>("upwards");
        Histogram<double> histogram = meter.CreateHistogram<double>("spread");
        counter.Add(2);
        counter.Add(-1);
        counter.Add(double.NaN);
        histogram.Record(double.NaN);
        histogram.Record(1);

        string text = Text(registry);
        Assert.Contains("upwards_total 2\n", text);
        Assert.Contains("spread_count 1\n", text);
        Assert.Equal(2, warnings.All.OfType<ArgumentOutOfRangeException>().Count());
    }

    [Fact]
    public void ObservableInstrumentsAreReadOnlyByScrapesThatWriteThem()
    {
        var registry = new MetricRegistry();
        var warnings = new Warnings(registry);
        using var meter = new Meter(UniqueName("Observed"));
        using IDisposable bridge = registry.AddMeters(meter.Name);
        int reads = 0;
        meter.CreateObservableGauge("reads", () => ++reads);
        meter.CreateCounter<int>("plain").Add(1);

        var buffer = new PooledBufferWriter();
        registry.WriteTo(buffer, ExpositionFormat.PrometheusText, new HashSet<string> { "plain_total" });
        Assert.Equal(0, reads);
        buffer.Clear();
        registry.WriteTo(buffer, ExpositionFormat.PrometheusText, new HashSet<string> { "reads" });
        Assert.Equal(1, reads);
        Assert.Contains("reads 2\n", Text(registry));

        // A failing callback is reported; the scrape goes on with the other families.
        meter.CreateObservableGauge<double>("broken", (Func<double>)(() => throw new InvalidOperationException("callback failed")));
        string text = Text(registry);
        Assert.Contains("plain_total 1\n", text);
        Assert.Contains("reads 3\n", text);
        MetricCollectionException failure = Assert.IsType<MetricCollectionException>(Assert.Single(warnings.All));
        Assert.Contains("callback failed", failure.InnerException!.ToString());
        buffer.Dispose();
    }

    [Fact]
    public void ArgumentsAreChecked()
    {
        var registry = new MetricRegistry();
        Assert.Throws<ArgumentException>(() => registry.AddMeters());
        Assert.Throws<ArgumentException>(() => registry.AddMeters("a", ""));
        Assert.Throws<ArgumentException>(() => registry.AddMeters("a", null!));
        Assert.Throws<ArgumentNullException>(() => registry.AddMeters(null!));
        Assert.Throws<ArgumentException>(() => registry.AddMeters("!a"));
        Assert.Throws<ArgumentException>(() => registry.AddMeters("a", "!"));
        Assert.Empty(registry.Sources);
    }

    [Fact]
    public void EntriesStartingWithAnExclamationMarkLeaveMetersOut()
    {
        string prefix = UniqueName("Family");
        var registry = new MetricRegistry();
        var warnings = new Warnings(registry);
        using var kept = new Meter(prefix + ".Kept");
        using var left = new Meter(prefix + ".Left");
        using var leftByPrefix = new Meter(prefix + ".Quiet.Inner");
        using IDisposable bridge = registry.AddMeters(prefix + ".*", "!" + prefix + ".Left", "!" + prefix + ".Quiet.*");
        kept.CreateCounter<int>("kept.calls").Add(1);
        left.CreateCounter<int>("left.calls").Add(1);
        leftByPrefix.CreateCounter<int>("inner.calls").Add(1);

        string text = Text(registry);
        Assert.Contains("kept_calls_total 1\n", text);
        Assert.DoesNotContain("left_calls", text);
        Assert.DoesNotContain("inner_calls", text);
        Assert.Empty(warnings.All);
    }

    [Fact]
    public void TheDefaultRegistryBridgesNothingUnlessAsked() =>
        Assert.DoesNotContain(MetricRegistry.Default.Sources, source => source.SourceName.StartsWith("meters", StringComparison.Ordinal));

    private sealed class FixedSource : IMetricSource
    {
        private readonly MetricDescriptor[] _metrics;

        public FixedSource(MetricDescriptor metric) => _metrics = new[] { metric };

        public string SourceName => "fixed";

        public IReadOnlyList<MetricDescriptor> Metrics => _metrics;

        public void Collect(ref ExpositionWriter writer) => writer.WriteSingle(_metrics[0], 7);
    }
}
