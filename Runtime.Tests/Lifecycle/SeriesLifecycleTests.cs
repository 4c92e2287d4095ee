using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Xunit;

namespace MetricsGen.Runtime.Tests.Lifecycle;

public sealed class SeriesLimitTests
{
    [Fact]
    public void PastTheLimitEveryNewLabelSetGetsTheOneOverflowSeries()
    {
        var registry = new MetricRegistry();
        var metrics = new LifeMetrics(registry);
        for (int i = 0; i < 100; i++)
        {
            metrics.Churn("id-" + i).Inc();
        }

        Counter overflow = metrics.Churn("id-100");
        for (int i = 100; i < 250; i++)
        {
            Counter series = metrics.Churn("id-" + i);
            Assert.Same(overflow, series);
            series.Inc();
        }

        Assert.Same(overflow, metrics.Churn("id-100"));
        Assert.NotSame(overflow, metrics.Churn("id-0"));
        string text = registry.GenerateLatest();
        Assert.Equal(101, Samples(text, "life_churn_total").Count);
        Assert.Contains("life_churn_total{metricsgen_overflow=\"true\"} 150\n", text);
        Assert.Contains("life_churn_total{id=\"id-99\"} 1\n", text);
        Assert.DoesNotContain("id-100", text);
        Assert.Equal(250, Samples(text, "life_churn_total").Values.Sum());
    }

    [Fact]
    public void TheOverflowSeriesCarriesOnlyItsOwnLabelInEveryType()
    {
        var registry = new MetricRegistry();
        var metrics = new LifeMetrics(registry);
        metrics.Sizes("a").Observe(0.5);
        metrics.Sizes("b").Observe(0.5);
        metrics.Sizes("c").Observe(2);
        metrics.Sizes("d").Observe(3);
        string text = registry.GenerateLatest(ExpositionFormat.OpenMetrics);
        Assert.Contains("life_sizes_bucket{metricsgen_overflow=\"true\",le=\"1.0\"} 0\n", text);
        Assert.Contains("life_sizes_bucket{metricsgen_overflow=\"true\",le=\"+Inf\"} 2\n", text);
        Assert.Contains("life_sizes_sum{metricsgen_overflow=\"true\"} 5\n", text);
        Assert.DoesNotContain("kind=\"c\"", text);
    }

    [Fact]
    public void MetricsWithAStringOrIntegralLabelTakeTheRegistryDefault()
    {
        Assert.Equal(2000, new MetricRegistry().DefaultMaxSeries);
        var registry = new MetricRegistry();
        var metrics = new LifeMetrics(registry);
        for (int i = 0; i < 2_100; i++)
        {
            metrics.Defaulted(i).Inc();
        }

        Dictionary<string, double> samples = Samples(registry.GenerateLatest(), "life_defaulted_total");
        Assert.Equal(2_001, samples.Count);
        Assert.Equal(100, samples["life_defaulted_total{metricsgen_overflow=\"true\"}"]);
        Assert.True(samples.ContainsKey("life_defaulted_total{id=\"1999\"}"));
    }

    [Fact]
    public void TheDefaultIsChangeablePerRegistryAndValidated()
    {
        var registry = new MetricRegistry { DefaultMaxSeries = 3 };
        var metrics = new LifeMetrics(registry);
        var other = new LifeMetrics(new MetricRegistry());
        for (int i = 0; i < 5; i++)
        {
            metrics.Defaulted(i).Inc();
            other.Defaulted(i).Inc();
        }

        Assert.Same(metrics.Defaulted(3), metrics.Defaulted(4));
        Assert.NotSame(other.Defaulted(3), other.Defaulted(4));
        Assert.Equal(4, Samples(registry.GenerateLatest(), "life_defaulted_total").Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => registry.DefaultMaxSeries = 0);
        Assert.Equal(3, registry.DefaultMaxSeries);
    }

    [Fact]
    public void EnumOnlyMetricsAreExemptFromTheDefaultButKeepAnExplicitLimit()
    {
        var registry = new MetricRegistry { DefaultMaxSeries = 1 };
        var metrics = new LifeMetrics(registry);
        metrics.ByOutcome(Outcome.Ok).Set(1);
        metrics.ByOutcome(Outcome.Error).Set(2);
        Assert.NotSame(metrics.ByOutcome(Outcome.Ok), metrics.ByOutcome(Outcome.Error));

        metrics.EnumLimited(Outcome.Ok).Inc();
        metrics.EnumLimited(Outcome.Error).Inc(2);
        metrics.EnumLimited(Outcome.Error).Inc(3);
        string text = registry.GenerateLatest();
        Assert.Contains("life_by_outcome{outcome=\"error\"} 2\n", text);
        Assert.Contains("life_enum_limited_total{outcome=\"ok\"} 1\n", text);
        Assert.Contains("life_enum_limited_total{metricsgen_overflow=\"true\"} 5\n", text);
        Assert.DoesNotContain("life_enum_limited_total{outcome=\"error\"}", text);
    }

    [Fact]
    public void TheFirstOverflowIsReportedOncePerMetricAndAFailingHandlerIsContained()
    {
        var registry = new MetricRegistry();
        var warnings = new List<Exception>();
        registry.Warning += warnings.Add;
        registry.Warning += _ => throw new InvalidOperationException("handler bug");
        var metrics = new LifeMetrics(registry);
        for (int i = 0; i < 300; i++)
        {
            metrics.Churn("id-" + i).Inc();
        }

        metrics.EnumLimited(Outcome.Ok).Inc();
        metrics.EnumLimited(Outcome.Error).Inc();
        metrics.EnumLimited(Outcome.Error).Inc();

        Assert.Equal(2, warnings.Count);
        var churn = Assert.IsType<SeriesLimitExceededException>(warnings[0]);
        Assert.Equal("life_churn_total", churn.MetricName);
        Assert.Equal(100, churn.MaxSeries);
        Assert.Contains("life_churn_total", churn.Message);
        Assert.Equal("life_enum_limited_total", Assert.IsType<SeriesLimitExceededException>(warnings[1]).MetricName);
    }

    [Fact]
    public void TheExporterPassesTheOverflowWarningToOnError()
    {
        var registry = new MetricRegistry();
        var errors = new List<Exception>();
        var metrics = new LifeMetrics(registry);
        var exporter = new PrometheusExporter(new PrometheusExporterOptions { Host = "127.0.0.1", Port = 0, OnError = errors.Add }, registry);
        exporter.Start();
        try
        {
            metrics.EnumLimited(Outcome.Ok).Inc();
            metrics.EnumLimited(Outcome.Error).Inc();
        }
        finally
        {
            exporter.Stop();
        }

        Assert.Equal("life_enum_limited_total", Assert.IsType<SeriesLimitExceededException>(Assert.Single(errors)).MetricName);
    }

    [Fact]
    public void ALookupOverTheLimitAllocatesNothing()
    {
        var metrics = new LifeMetrics(new MetricRegistry());
        string[] ids = Enumerable.Range(0, 10_000).Select(i => "id-" + i).ToArray();
        foreach (string id in ids)
        {
            metrics.Churn(id).Inc();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        foreach (string id in ids.AsSpan(100))
        {
            metrics.Churn(id).Inc();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>The samples of one family: "name{labels}" to value.</summary>
    internal static Dictionary<string, double> Samples(string text, string name)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith(name + "{", StringComparison.Ordinal) || line.StartsWith(name + " ", StringComparison.Ordinal))
            {
                int space = line.LastIndexOf(' ');
                samples.Add(line[..space], double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture));
            }
        }

        return samples;
    }
}

/// <summary>
/// Measures the retained heap, which is process-wide: run alone, so that other tests' allocations do not count.
/// </summary>
[Collection(nameof(MetricsGen.Runtime.Tests.Exporter.AllocationSensitive))]
public sealed class SeriesFloodMemoryTests
{
    [Fact]
    public void AFloodOfAMillionLabelValuesKeepsMemoryBoundedByTheLimit()
    {
        var registry = new MetricRegistry();
        var metrics = new LifeMetrics(registry);
        metrics.Churn("warm-up").Inc();
        long before = GC.GetTotalMemory(forceFullCollection: true);
        for (int i = 0; i < 1_000_000; i++)
        {
            metrics.Churn(i.ToString(CultureInfo.InvariantCulture)).Inc();
        }

        long grown = GC.GetTotalMemory(forceFullCollection: true) - before;
        GC.KeepAlive(metrics);

        // 100 series with their labels and map nodes take tens of kilobytes; a million would take over 100 MB.
        Assert.True(grown < 1024 * 1024, $"the heap grew by {grown} bytes");
        Dictionary<string, double> samples = SeriesLimitTests.Samples(registry.GenerateLatest(), "life_churn_total");
        Assert.Equal(101, samples.Count);
        Assert.Equal(1_000_001, samples.Values.Sum());
    }
}

public sealed class SeriesRemovalTests
{
    [Fact]
    public void RemoveIsTrueForAnExistingSeriesWhichDisappearsWhileItsHandleKeepsCounting()
    {
        var registry = new MetricRegistry();
        var metrics = new LifeMetrics(registry);
        Counter kept = metrics.Churn("id-5");
        kept.Inc(3);
        metrics.Churn("id-6").Inc();

        Assert.True(metrics.RemoveChurn("id-5"));
        Assert.False(metrics.RemoveChurn("id-5"));
        Assert.False(metrics.RemoveChurn("never"));
        Assert.False(metrics.RemoveChurn(null!));

        kept.Inc();
        Assert.Equal(4, kept.Value);
        string text = registry.GenerateLatest();
        Assert.DoesNotContain("id-5", text);
        Assert.Contains("life_churn_total{id=\"id-6\"} 1\n", text);

        Counter fresh = metrics.Churn("id-5");
        Assert.NotSame(kept, fresh);
        Assert.Equal(0, fresh.Value);
        Assert.Contains("life_churn_total{id=\"id-5\"} 0\n", registry.GenerateLatest());
    }

    [Fact]
    public void RemoveWorksOnSlotArrays()
    {
        var registry = new MetricRegistry();
        var metrics = new LifeMetrics(registry);
        Gauge kept = metrics.ByOutcome(Outcome.Ok);
        kept.Set(5);
        metrics.ByOutcome(Outcome.Error).Set(7);

        Assert.True(metrics.RemoveByOutcome(Outcome.Ok));
        Assert.False(metrics.RemoveByOutcome(Outcome.Ok));
        Assert.False(metrics.RemoveByOutcome((Outcome)42));

        kept.Inc();
        Assert.Equal(6, kept.Value);
        string text = registry.GenerateLatest();
        Assert.DoesNotContain("outcome=\"ok\"", text);
        Assert.Contains("life_by_outcome{outcome=\"error\"} 7\n", text);
        Gauge fresh = metrics.ByOutcome(Outcome.Ok);
        Assert.NotSame(kept, fresh);
        Assert.Equal(0, fresh.Value);
    }

    [Fact]
    public void RemovingASeriesMakesRoomUnderTheLimit()
    {
        var metrics = new LifeMetrics(new MetricRegistry());
        for (int i = 0; i < 100; i++)
        {
            metrics.Churn("id-" + i).Inc();
        }

        Counter overflow = metrics.Churn("late");
        Assert.True(metrics.RemoveChurn("id-0"));
        Counter late = metrics.Churn("late");
        Assert.NotSame(overflow, late);
        Assert.Same(late, metrics.Churn("late"));
        Assert.Same(overflow, metrics.Churn("later"));
    }

    [Fact]
    public void ClearRemovesEverySeriesTheOverflowSeriesIncluded()
    {
        var registry = new MetricRegistry();
        var metrics = new LifeMetrics(registry);
        for (int i = 0; i < 120; i++)
        {
            metrics.Churn("id-" + i).Inc();
        }

        metrics.ByOutcome(Outcome.Ok).Set(1);
        metrics.EnumLimited(Outcome.Ok).Inc();
        metrics.EnumLimited(Outcome.Error).Inc();

        metrics.ClearChurn();
        metrics.ClearByOutcome();
        metrics.ClearEnumLimited();

        string text = registry.GenerateLatest();
        Assert.Empty(SeriesLimitTests.Samples(text, "life_churn_total"));
        Assert.Empty(SeriesLimitTests.Samples(text, "life_by_outcome"));
        Assert.Empty(SeriesLimitTests.Samples(text, "life_enum_limited_total"));
        Assert.Contains("# TYPE life_churn_total counter\n", text);

        for (int i = 0; i < 101; i++)
        {
            metrics.Churn("new-" + i).Inc();
        }

        Dictionary<string, double> samples = SeriesLimitTests.Samples(registry.GenerateLatest(), "life_churn_total");
        Assert.Equal(101, samples.Count);
        Assert.Equal(1, samples["life_churn_total{metricsgen_overflow=\"true\"}"]);
    }
}

public sealed class SeriesExpiryTests
{
    [Fact]
    public void ASeriesNotUpdatedForItsExpiryIsGoneFromTheNextScrape()
    {
        var clock = new ManualClock();
        MetricRegistry registry = ManualClock.Registry(clock);
        var metrics = new LifeMetrics(registry);
        metrics.Sessions("a").Inc(2);
        metrics.Sessions("b").Inc();
        clock.Advance(TimeSpan.FromSeconds(200));
        metrics.Sessions("b").Inc();
        clock.Advance(TimeSpan.FromSeconds(150));

        string text = registry.GenerateLatest();
        Assert.DoesNotContain("user=\"a\"", text);
        Assert.Contains("life_sessions_total{user=\"b\"} 2\n", text);
        Assert.False(metrics.RemoveSessions("a"));
    }

    [Fact]
    public void AnUpdateThroughAHandleKeptAcrossExpiryBringsTheSeriesBackWithItsValue()
    {
        var clock = new ManualClock();
        MetricRegistry registry = ManualClock.Registry(clock);
        var metrics = new LifeMetrics(registry);
        Counter kept = metrics.Sessions("a");
        kept.Inc(5);
        clock.Advance(TimeSpan.FromSeconds(301));
        Assert.DoesNotContain("user=\"a\"", registry.GenerateLatest());

        kept.Inc();
        Assert.Contains("life_sessions_total{user=\"a\"} 6\n", registry.GenerateLatest());
        Assert.Same(kept, metrics.Sessions("a"));
        Assert.Single(SeriesLimitTests.Samples(registry.GenerateLatest(), "life_sessions_total"));
    }

    [Fact]
    public void AnOldHandleWhoseLabelsWereTakenAgainCountsInTheNewSeries()
    {
        var clock = new ManualClock();
        MetricRegistry registry = ManualClock.Registry(clock);
        var metrics = new LifeMetrics(registry);
        Counter old = metrics.Sessions("a");
        old.Inc(5);
        clock.Advance(TimeSpan.FromSeconds(301));
        registry.GenerateLatest();

        Counter current = metrics.Sessions("a");
        Assert.NotSame(old, current);
        old.Inc(2);
        Assert.Equal(2, current.Value);
        Dictionary<string, double> samples = SeriesLimitTests.Samples(registry.GenerateLatest(), "life_sessions_total");
        Assert.Equal(2, Assert.Single(samples).Value);
    }

    [Fact]
    public void SlotSeriesExpireAndComeBackToTheirSlot()
    {
        var clock = new ManualClock();
        MetricRegistry registry = ManualClock.Registry(clock);
        var metrics = new LifeMetrics(registry);
        Gauge kept = metrics.EnumExpiring(Outcome.Ok);
        kept.Set(3);
        metrics.EnumExpiring(Outcome.Error).Set(1);
        clock.Advance(TimeSpan.FromSeconds(40));
        metrics.EnumExpiring(Outcome.Error).Inc();
        clock.Advance(TimeSpan.FromSeconds(30));

        string text = registry.GenerateLatest();
        Assert.DoesNotContain("outcome=\"ok\"", text);
        Assert.Contains("life_enum_expiring{outcome=\"error\"} 2\n", text);

        kept.Set(4);
        Assert.Contains("life_enum_expiring{outcome=\"ok\"} 4\n", registry.GenerateLatest());
        Assert.Same(kept, metrics.EnumExpiring(Outcome.Ok));
    }

    [Fact]
    public void ARemovedSeriesNeverComesBack()
    {
        var clock = new ManualClock();
        MetricRegistry registry = ManualClock.Registry(clock);
        var metrics = new LifeMetrics(registry);
        Counter kept = metrics.Sessions("a");
        kept.Inc();
        Assert.True(metrics.RemoveSessions("a"));
        clock.Advance(TimeSpan.FromSeconds(301));
        registry.GenerateLatest();
        kept.Inc();
        Assert.DoesNotContain("user=\"a\"", registry.GenerateLatest());
        Assert.Equal(2, kept.Value);
    }

    [Fact]
    public void AScrapeWithoutExpiredSeriesAllocatesNothing()
    {
        var clock = new ManualClock();
        MetricRegistry registry = ManualClock.Registry(clock);
        var metrics = new LifeMetrics(registry);
        for (int i = 0; i < 50; i++)
        {
            metrics.Sessions("u" + i).Inc();
        }

        var buffer = new PooledBufferWriter();
        registry.WriteTo(buffer, ExpositionFormat.PrometheusText);
        buffer.Clear();
        long before = GC.GetAllocatedBytesForCurrentThread();
        registry.WriteTo(buffer, ExpositionFormat.PrometheusText);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        buffer.Dispose();
    }
}
