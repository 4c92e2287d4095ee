using System;
using System.Globalization;
using System.Threading;
using Xunit;

namespace MetricsGen.Runtime.Tests;

public class ExpositionTests
{
    private static (ShopMetrics Metrics, MetricRegistry Registry) NewShop()
    {
        var registry = new MetricRegistry();
        return (new ShopMetrics(registry), registry);
    }

    private static void Record(ShopMetrics metrics)
    {
        metrics.Orders("main", Outcome.Ok).Inc();
        metrics.Orders("main", Outcome.Ok).Inc(2);
        metrics.Orders("outlet", Outcome.Error).Inc(0.5);
        metrics.StockItems.Set(42);
        metrics.Latency(Region.UsEast).Observe(0.05);
        metrics.Latency(Region.UsEast).Observe(0.5);
        metrics.Latency(Region.UsEast).Observe(3);
        metrics.SentBytes(true, -3).Inc(1024);
    }

    [Fact]
    public void PrometheusTextIsExact()
    {
        var (metrics, registry) = NewShop();
        Record(metrics);

        const string expected =
            "# HELP test_latency_seconds Checkout latency.\n" +
            "# TYPE test_latency_seconds histogram\n" +
            "test_latency_seconds_bucket{region=\"us \\\"east\\\"\",le=\"0.1\"} 1\n" +
            "test_latency_seconds_bucket{region=\"us \\\"east\\\"\",le=\"1.0\"} 2\n" +
            "test_latency_seconds_bucket{region=\"us \\\"east\\\"\",le=\"+Inf\"} 3\n" +
            "test_latency_seconds_count{region=\"us \\\"east\\\"\"} 3\n" +
            "test_latency_seconds_sum{region=\"us \\\"east\\\"\"} 3.55\n" +
            "# HELP test_orders_total Orders placed.\n" +
            "# TYPE test_orders_total counter\n" +
            "test_orders_total{shop=\"main\",outcome=\"ok\"} 3\n" +
            "test_orders_total{shop=\"outlet\",outcome=\"error\"} 0.5\n" +
            "# HELP test_sent_bytes_total Bytes sent, by flag.\n" +
            "# TYPE test_sent_bytes_total counter\n" +
            "test_sent_bytes_total{compressed=\"true\",shard=\"-3\"} 1024\n" +
            "# HELP test_stock_items Items in stock.\n" +
            "# TYPE test_stock_items gauge\n" +
            "test_stock_items 42\n";
        Assert.Equal(expected, registry.GenerateLatest());
    }

    [Fact]
    public void OpenMetricsIsExact()
    {
        var (metrics, registry) = NewShop();
        Record(metrics);

        const string expected =
            "# TYPE test_latency_seconds histogram\n" +
            "# UNIT test_latency_seconds seconds\n" +
            "# HELP test_latency_seconds Checkout latency.\n" +
            "test_latency_seconds_bucket{region=\"us \\\"east\\\"\",le=\"0.1\"} 1\n" +
            "test_latency_seconds_bucket{region=\"us \\\"east\\\"\",le=\"1.0\"} 2\n" +
            "test_latency_seconds_bucket{region=\"us \\\"east\\\"\",le=\"+Inf\"} 3\n" +
            "test_latency_seconds_count{region=\"us \\\"east\\\"\"} 3\n" +
            "test_latency_seconds_sum{region=\"us \\\"east\\\"\"} 3.55\n" +
            "# TYPE test_orders counter\n" +
            "# HELP test_orders Orders placed.\n" +
            "test_orders_total{shop=\"main\",outcome=\"ok\"} 3\n" +
            "test_orders_total{shop=\"outlet\",outcome=\"error\"} 0.5\n" +
            "# TYPE test_sent_bytes counter\n" +
            "# UNIT test_sent_bytes bytes\n" +
            "# HELP test_sent_bytes Bytes sent, by flag.\n" +
            "test_sent_bytes_total{compressed=\"true\",shard=\"-3\"} 1024\n" +
            "# TYPE test_stock_items gauge\n" +
            "# HELP test_stock_items Items in stock.\n" +
            "test_stock_items 42\n" +
            "# EOF\n";
        Assert.Equal(expected, registry.GenerateLatest(ExpositionFormat.OpenMetrics));
    }

    [Fact]
    public void EmptyLabelledFamiliesStillHaveHeaders()
    {
        var (_, registry) = NewShop();
        string text = registry.GenerateLatest();
        Assert.Contains("# TYPE test_orders_total counter\n# HELP test_sent_bytes_total", text);
        Assert.Contains("test_stock_items 0\n", text);
    }

    [Fact]
    public void EscapesLabelValuesAndHelpInBothFormats()
    {
        var registry = new MetricRegistry();
        var metrics = new HostileMetrics(registry);
        metrics.Value("back\\slash \"quoted\"\nnext\ttab é 日本 🚀").Set(1);
        metrics.Value(string.Empty).Set(2);

        string text = registry.GenerateLatest();
        Assert.Contains("# HELP hostile_value Back\\\\slash and\\nnewline and \"quotes\".\n", text);
        Assert.Contains("hostile_value{name=\"back\\\\slash \\\"quoted\\\"\\nnext\ttab é 日本 🚀\"} 1\n", text);
        Assert.Contains("hostile_value{name=\"\"} 2\n", text);

        string openMetrics = registry.GenerateLatest(ExpositionFormat.OpenMetrics);
        Assert.Contains("# HELP hostile_value Back\\\\slash and\\nnewline and \\\"quotes\\\".\n", openMetrics);
        Assert.Contains("hostile_value{name=\"back\\\\slash \\\"quoted\\\"\\nnext\ttab é 日本 🚀\"} 1\n", openMetrics);
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(-0.0, "-0")]
    [InlineData(1e-300, "1E-300")]
    [InlineData(1e300, "1E+300")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(123456789012345, "123456789012345")]
    [InlineData(1e15, "1000000000000000")]
    [InlineData(1.5e20, "1.5E+20")]
    [InlineData(0.1, "0.1")]
    public void FormatsValuesInvariantlyWhateverTheCulture(double value, string expected)
    {
        CultureInfo original = CultureInfo.CurrentCulture;
        try
        {
            // A culture that differs in every symbol a naive formatter would pick up.
            var hostile = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            hostile.NumberFormat.NumberDecimalSeparator = ",";
            hostile.NumberFormat.NegativeSign = "\u2212";
            hostile.NumberFormat.PositiveSign = "⁺";
            hostile.NumberFormat.NaNSymbol = "nichts";
            hostile.NumberFormat.PositiveInfinitySymbol = "∞";
            hostile.NumberFormat.NegativeInfinitySymbol = "-∞";
            CultureInfo.CurrentCulture = hostile;
            CultureInfo.CurrentUICulture = hostile;

            var registry = new MetricRegistry();
            var metrics = new HostileMetrics(registry);
            metrics.Value("x").Set(value);
            Assert.Contains($"hostile_value{{name=\"x\"}} {expected}\n", registry.GenerateLatest());
            Assert.Contains($"hostile_value{{name=\"x\"}} {expected}\n", registry.GenerateLatest(ExpositionFormat.OpenMetrics));
        }
        finally
        {
            CultureInfo.CurrentCulture = original;
            CultureInfo.CurrentUICulture = original;
        }
    }

    [Fact]
    public void HistogramBucketsSumAndCountAgree()
    {
        var (metrics, registry) = NewShop();
        Histogram histogram = metrics.Latency(Region.EuWest);
        double[] observations = { 0.1, 0.1000001, 1, 1.5, -4, double.PositiveInfinity, 0 };
        foreach (double observation in observations)
        {
            histogram.Observe(observation);
        }

        Assert.Equal(observations.Length, histogram.Count);
        string text = registry.GenerateLatest();
        Assert.Contains("test_latency_seconds_bucket{region=\"eu-west\",le=\"0.1\"} 3\n", text);
        Assert.Contains("test_latency_seconds_bucket{region=\"eu-west\",le=\"1.0\"} 5\n", text);
        Assert.Contains("test_latency_seconds_bucket{region=\"eu-west\",le=\"+Inf\"} 7\n", text);
        Assert.Contains("test_latency_seconds_count{region=\"eu-west\"} 7\n", text);
        Assert.Contains("test_latency_seconds_sum{region=\"eu-west\"} +Inf\n", text);
    }

    [Fact]
    public void NameFilterRestrictsFamilies()
    {
        var (metrics, registry) = NewShop();
        Record(metrics);
        var output = new PooledBufferWriter();
        registry.WriteTo(output, ExpositionFormat.PrometheusText, new System.Collections.Generic.HashSet<string> { "test_orders_total", "test_latency_seconds_bucket" });
        string text = System.Text.Encoding.UTF8.GetString(output.WrittenSpan);
        Assert.Contains("test_orders_total{", text);
        Assert.Contains("test_latency_seconds_bucket{", text);
        Assert.DoesNotContain("test_stock_items", text);
        Assert.DoesNotContain("test_sent_bytes", text);
    }

    [Fact]
    public void LabelSetsOfEveryLengthAreWrittenWhole()
    {
        // The line writer copies names and label sets of 16 to 64 bytes with overlapping vector stores; every length
        // around those bounds must come out exactly, in both text formats, next to its neighbours.
        var registry = new MetricRegistry();
        var metrics = new HostileMetrics(registry);
        var expected = new System.Collections.Generic.List<string>();
        for (int length = 0; length <= 80; length++)
        {
            string name = new string((char)('a' + (length % 26)), length);
            metrics.Value(name).Set(length + 0.5);
            expected.Add($"hostile_value{{name=\"{name}\"}} {length}.5");
        }

        foreach (ExpositionFormat format in new[] { ExpositionFormat.PrometheusText, ExpositionFormat.OpenMetrics })
        {
            string[] lines = registry.GenerateLatest(format).Split('\n');
            string[] samples = System.Linq.Enumerable.ToArray(System.Linq.Enumerable.Where(lines, line => line.StartsWith("hostile_value{", System.StringComparison.Ordinal)));
            Assert.Equal(expected, samples);
        }
    }
}
