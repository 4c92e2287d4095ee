using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using MetricsGen.Runtime.Tests.Lifecycle;
using Xunit;

namespace MetricsGen.Runtime.Tests;

public class SeriesTests
{
    [Fact]
    public void RemoveSaysWhetherTheSeriesExistedAndClearEmptiesTheMetric()
    {
        // docs/series-lifecycle.md's calls.
        var registry = new MetricRegistry();
        var metrics = new LifeMetrics(registry);
        metrics.Churn("id-5").Inc();
        metrics.Churn("id-6").Inc();
        Assert.Contains("id=\"id-5\"", registry.GenerateLatest());

        Assert.True(metrics.RemoveChurn("id-5"));
        Assert.False(metrics.RemoveChurn("id-5"));
        string afterRemove = registry.GenerateLatest();
        Assert.DoesNotContain("id=\"id-5\"", afterRemove);
        Assert.Contains("id=\"id-6\"", afterRemove);

        metrics.ClearChurn();
        Assert.DoesNotContain("id=\"id-6\"", registry.GenerateLatest());
        Assert.False(metrics.RemoveChurn("id-6"));
    }

    [Fact]
    public void LookupReturnsTheSameHandleForTheSameLabels()
    {
        var metrics = new ShopMetrics(new MetricRegistry());
        Assert.Same(metrics.Orders("a", Outcome.Ok), metrics.Orders(new string('a', 1), Outcome.Ok));
        Assert.NotSame(metrics.Orders("a", Outcome.Ok), metrics.Orders("a", Outcome.Error));
        Assert.Same(metrics.Latency(Region.EuWest), metrics.Latency(Region.EuWest));
        Assert.Same(metrics.SentBytes(true, 1), metrics.SentBytes(true, 1));
        Assert.Same(metrics.StockItems, metrics.StockItems);
    }

    [Fact]
    public void NegativeOrNaNIncrementThrowsNamingTheMetric()
    {
        var metrics = new ShopMetrics(new MetricRegistry());
        Counter counter = metrics.Orders("a", Outcome.Ok);
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => counter.Inc(-1));
        Assert.Contains("test_orders_total", negative.Message);
        var nan = Assert.Throws<ArgumentOutOfRangeException>(() => counter.Inc(double.NaN));
        Assert.Contains("test_orders_total", nan.Message);
        Assert.Equal(0, counter.Value);
        counter.Inc(0);
        Assert.Equal(0, counter.Value);

        var histogramNaN = Assert.Throws<ArgumentOutOfRangeException>(() => metrics.Latency(Region.UsEast).Observe(double.NaN));
        Assert.Contains("test_latency_seconds", histogramNaN.Message);
    }

    [Fact]
    public void NullStringLabelThrowsNamingMetricAndLabel()
    {
        var metrics = new ShopMetrics(new MetricRegistry());
        var error = Assert.Throws<ArgumentNullException>(() => metrics.Orders(null!, Outcome.Ok));
        Assert.Equal("shop", error.ParamName);
        Assert.Contains("test_orders_total", error.Message);
        Assert.Contains("'shop'", error.Message);
    }

    [Fact]
    public void UndefinedEnumValueThrowsNamingMetricAndLabel()
    {
        var registry = new MetricRegistry();
        var metrics = new ShopMetrics(registry);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => metrics.Latency((Region)5));
        Assert.Contains("test_latency_seconds", error.Message);
        Assert.Contains("region", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => metrics.Orders("a", (Outcome)9));
        Assert.DoesNotContain("test_latency_seconds_count{", registry.GenerateLatest());
    }

    [Fact]
    public void UndefinedValueInAnyPositionOfAClosedLabelSetFindsNoOtherSeries()
    {
        // Every slot of the two-enum family holds a series, so a slot computed wrongly from an undefined value
        // (an index of -1 would make Error x undefined the slot of Ok x UsEast) would hand out a wrong series.
        var registry = new MetricRegistry();
        var metrics = new HostileMetrics(registry);
        foreach (Outcome outcome in new[] { Outcome.Ok, Outcome.Error })
        {
            foreach (Region region in new[] { Region.EuWest, Region.UsEast })
            {
                metrics.EnumOnly(outcome, region).Inc();
            }
        }

        var inner = Assert.Throws<ArgumentOutOfRangeException>(() => metrics.EnumOnly(Outcome.Error, (Region)5));
        Assert.Equal("region", inner.ParamName);
        var outer = Assert.Throws<ArgumentOutOfRangeException>(() => metrics.EnumOnly((Outcome)2, Region.EuWest));
        Assert.Equal("outcome", outer.ParamName);
        Assert.False(metrics.RemoveEnumOnly(Outcome.Ok, (Region)(-1)));
        Assert.False(metrics.RemoveEnumOnly((Outcome)(-7), Region.UsEast));
        Assert.Equal(4, CountSamples(registry.GenerateLatest(), "enum_only_total{"));
    }

    private static int CountSamples(string exposition, string prefix)
    {
        int count = 0;
        foreach (string line in exposition.Split('\n'))
        {
            count += line.StartsWith(prefix, StringComparison.Ordinal) ? 1 : 0;
        }

        return count;
    }

    [Fact]
    public void GaugeOperations()
    {
        var metrics = new ShopMetrics(new MetricRegistry());
        Gauge gauge = metrics.StockItems;
        gauge.Inc();
        gauge.Inc(2.5);
        gauge.Dec();
        gauge.Dec(0.5);
        Assert.Equal(2, gauge.Value);
        using (gauge.TrackInProgress())
        {
            Assert.Equal(3, gauge.Value);
        }

        Assert.Equal(2, gauge.Value);
        gauge.Set(-7.25);
        Assert.Equal(-7.25, gauge.Value);
    }

    [Fact]
    public void TimerObservesTheSecondsBetweenNewTimerAndDispose()
    {
        var metrics = new ShopMetrics(new MetricRegistry());
        Histogram histogram = metrics.Latency(Region.EuWest);

        // The timer reads the Stopwatch, so the test brackets it with Stopwatch readings of its own: the observed
        // time lies between the inner and the outer bracket, whatever the machine's speed.
        long outerStart = Stopwatch.GetTimestamp();
        Histogram.Timer timer = histogram.NewTimer();
        long innerStart = Stopwatch.GetTimestamp();

        // At least a millisecond inside, so seconds are told apart from milliseconds or ticks.
        long oneMillisecond = Stopwatch.Frequency / 1000;
        while (Stopwatch.GetTimestamp() - innerStart < oneMillisecond)
        {
            Thread.SpinWait(100);
        }

        long innerEnd = Stopwatch.GetTimestamp();
        timer.Dispose();
        long outerEnd = Stopwatch.GetTimestamp();

        Assert.Equal(1, histogram.Count);
        double inner = (double)(innerEnd - innerStart) / Stopwatch.Frequency;
        double outer = (double)(outerEnd - outerStart) / Stopwatch.Frequency;
        Assert.True(histogram.Sum >= inner, $"observed {histogram.Sum} s, less than the {inner} s inside the timer");
        Assert.True(histogram.Sum <= outer, $"observed {histogram.Sum} s, more than the {outer} s around the timer");
    }

    [Fact]
    public async Task ManyThreadsIncrementingOneSeriesSumExactly()
    {
        var metrics = new ShopMetrics(new MetricRegistry());
        const int threads = 8;
        const int perThread = 100_000;
        using var start = new Barrier(threads);
        var workers = new Task[threads];
        for (int t = 0; t < threads; t++)
        {
            workers[t] = Task.Factory.StartNew(
                () =>
                {
                    start.SignalAndWait();
                    for (int i = 0; i < perThread; i++)
                    {
                        // Look the series up every time: creation races must also end in one series.
                        metrics.Orders("race", Outcome.Ok).Inc();
                        metrics.Orders("race", Outcome.Error).Inc(0.5);
                        metrics.Latency(Region.EuWest).Observe(0.5);
                        metrics.StockItems.Inc();
                    }
                },
                TaskCreationOptions.LongRunning);
        }

        await Task.WhenAll(workers);
        Assert.Equal(threads * perThread, metrics.Orders("race", Outcome.Ok).Value);
        Assert.Equal(threads * perThread * 0.5, metrics.Orders("race", Outcome.Error).Value);
        Assert.Equal(threads * perThread, metrics.Latency(Region.EuWest).Count);
        Assert.Equal(threads * perThread * 0.5, metrics.Latency(Region.EuWest).Sum);
        Assert.Equal(threads * perThread, metrics.StockItems.Value);
    }

    [Fact]
    public void ConcurrentCreationOfManySeriesKeepsEveryOneOnce()
    {
        // 5,000 series: above the default limit of 2,000, which this test is not about.
        var registry = new MetricRegistry { DefaultMaxSeries = 10_000 };
        var metrics = new HostileMetrics(registry);
        Parallel.For(0, 4, _ =>
        {
            for (int i = 0; i < 5_000; i++)
            {
                metrics.Value("series-" + i).Inc();
            }
        });

        string text = registry.GenerateLatest();
        for (int i = 0; i < 5_000; i += 499)
        {
            Assert.Contains($"hostile_value{{name=\"series-{i}\"}} 4\n", text);
        }

        int lines = text.Split('\n').Length;
        Assert.True(lines > 5_000, $"expected 5000 series, got {lines} lines");
        Assert.Equal(5_000, CountOccurrences(text, "hostile_value{"));
    }

    private static int CountOccurrences(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
