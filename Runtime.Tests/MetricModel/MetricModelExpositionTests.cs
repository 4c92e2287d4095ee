using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace MetricsGen.Runtime.Tests.MetricModel;

/// <summary>Summary, info, state sets, exemplars, _created and callbacks, written exactly in both text formats.</summary>
public sealed class MetricModelExpositionTests
{
    private static (JobMetrics Metrics, MetricRegistry Registry) NewJobs()
    {
        var registry = new MetricRegistry();
        return (new JobMetrics(registry), registry);
    }

    private static void Record(JobMetrics metrics)
    {
        metrics.Latency("fast").Observe(1);
        metrics.Latency("fast").Observe(2);
        metrics.Latency("fast").Observe(3);
        metrics.Payload.Observe(100);
        metrics.Payload.Observe(50.5);
        metrics.SetBuildInfo("1.2.3", "abc\"def");
        metrics.State.Set(JobState.Running);
        metrics.QueueState("q1").Set(JobState.Failed);
        metrics.Runs("q1").Inc();
        metrics.Runs("q1").Inc(2, new Exemplar("trace_id", "0af7651916cd43dd8448eb211c80319c"));
        metrics.RunTime.Observe(0.5, new Exemplar("trace_id", "t1", "span_id", "s1"));
        metrics.RunTime.Observe(20);
        metrics.Enqueue("a");
        metrics.Enqueue("b");
        metrics.Read(4096);
    }

    [Fact]
    public void PrometheusTextIsExact()
    {
        var (metrics, registry) = NewJobs();
        Record(metrics);

        const string expected =
            "# HELP jobs_build_info Build information.\n" +
            "# TYPE jobs_build_info gauge\n" +
            "jobs_build_info{version=\"1.2.3\",commit=\"abc\\\"def\"} 1\n" +
            "# HELP jobs_bytes_read_total Bytes read, from another component's counter.\n" +
            "# TYPE jobs_bytes_read_total counter\n" +
            "jobs_bytes_read_total 4096\n" +
            "# HELP jobs_latency_seconds Job latency.\n" +
            "# TYPE jobs_latency_seconds summary\n" +
            "jobs_latency_seconds{queue=\"fast\",quantile=\"0.5\"} 2\n" +
            "jobs_latency_seconds{queue=\"fast\",quantile=\"0.9\"} 3\n" +
            "jobs_latency_seconds{queue=\"fast\",quantile=\"0.99\"} 3\n" +
            "jobs_latency_seconds_sum{queue=\"fast\"} 6\n" +
            "jobs_latency_seconds_count{queue=\"fast\"} 3\n" +
            "# HELP jobs_payload_bytes Payload sizes, count and sum only.\n" +
            "# TYPE jobs_payload_bytes summary\n" +
            "jobs_payload_bytes_sum 150.5\n" +
            "jobs_payload_bytes_count 2\n" +
            "# HELP jobs_queue_depth Jobs waiting, read at scrape.\n" +
            "# TYPE jobs_queue_depth gauge\n" +
            "jobs_queue_depth 2\n" +
            "# HELP jobs_queue_state State per queue.\n" +
            "# TYPE jobs_queue_state gauge\n" +
            "jobs_queue_state{queue=\"q1\",jobs_queue_state=\"idle\"} 0\n" +
            "jobs_queue_state{queue=\"q1\",jobs_queue_state=\"running\"} 0\n" +
            "jobs_queue_state{queue=\"q1\",jobs_queue_state=\"failed_hard\"} 1\n" +
            "# HELP jobs_run_seconds Run time.\n" +
            "# TYPE jobs_run_seconds histogram\n" +
            "jobs_run_seconds_bucket{le=\"0.1\"} 0\n" +
            "jobs_run_seconds_bucket{le=\"1.0\"} 1\n" +
            "jobs_run_seconds_bucket{le=\"10.0\"} 1\n" +
            "jobs_run_seconds_bucket{le=\"+Inf\"} 2\n" +
            "jobs_run_seconds_count 2\n" +
            "jobs_run_seconds_sum 20.5\n" +
            "# HELP jobs_runs_total Runs.\n" +
            "# TYPE jobs_runs_total counter\n" +
            "jobs_runs_total{queue=\"q1\"} 3\n" +
            "# HELP jobs_state Scheduler state.\n" +
            "# TYPE jobs_state gauge\n" +
            "jobs_state{jobs_state=\"idle\"} 0\n" +
            "jobs_state{jobs_state=\"running\"} 1\n" +
            "jobs_state{jobs_state=\"failed_hard\"} 0\n";
        Assert.Equal(expected, registry.GenerateLatest());
    }

    [Fact]
    public void OpenMetricsIsExactWithExemplars()
    {
        var (metrics, registry) = NewJobs();
        double before = UnixNow();
        Record(metrics);
        double after = UnixNow();

        string text = registry.GenerateLatest(ExpositionFormat.OpenMetrics);
        string stable = CheckExemplarTimestamps(text, before, after, expectedCount: 2);
        const string expected =
            "# TYPE jobs_build info\n" +
            "# HELP jobs_build Build information.\n" +
            "jobs_build_info{version=\"1.2.3\",commit=\"abc\\\"def\"} 1\n" +
            "# TYPE jobs_bytes_read counter\n" +
            "# HELP jobs_bytes_read Bytes read, from another component's counter.\n" +
            "jobs_bytes_read_total 4096\n" +
            "# TYPE jobs_latency_seconds summary\n" +
            "# HELP jobs_latency_seconds Job latency.\n" +
            "jobs_latency_seconds{queue=\"fast\",quantile=\"0.5\"} 2\n" +
            "jobs_latency_seconds{queue=\"fast\",quantile=\"0.9\"} 3\n" +
            "jobs_latency_seconds{queue=\"fast\",quantile=\"0.99\"} 3\n" +
            "jobs_latency_seconds_sum{queue=\"fast\"} 6\n" +
            "jobs_latency_seconds_count{queue=\"fast\"} 3\n" +
            "# TYPE jobs_payload_bytes summary\n" +
            "# HELP jobs_payload_bytes Payload sizes, count and sum only.\n" +
            "jobs_payload_bytes_sum 150.5\n" +
            "jobs_payload_bytes_count 2\n" +
            "# TYPE jobs_queue_depth gauge\n" +
            "# HELP jobs_queue_depth Jobs waiting, read at scrape.\n" +
            "jobs_queue_depth 2\n" +
            "# TYPE jobs_queue_state stateset\n" +
            "# HELP jobs_queue_state State per queue.\n" +
            "jobs_queue_state{queue=\"q1\",jobs_queue_state=\"idle\"} 0\n" +
            "jobs_queue_state{queue=\"q1\",jobs_queue_state=\"running\"} 0\n" +
            "jobs_queue_state{queue=\"q1\",jobs_queue_state=\"failed_hard\"} 1\n" +
            "# TYPE jobs_run_seconds histogram\n" +
            "# HELP jobs_run_seconds Run time.\n" +
            "jobs_run_seconds_bucket{le=\"0.1\"} 0\n" +
            "jobs_run_seconds_bucket{le=\"1.0\"} 1 # {trace_id=\"t1\",span_id=\"s1\"} 0.5 <ts>\n" +
            "jobs_run_seconds_bucket{le=\"10.0\"} 1\n" +
            "jobs_run_seconds_bucket{le=\"+Inf\"} 2\n" +
            "jobs_run_seconds_count 2\n" +
            "jobs_run_seconds_sum 20.5\n" +
            "# TYPE jobs_runs counter\n" +
            "# HELP jobs_runs Runs.\n" +
            "jobs_runs_total{queue=\"q1\"} 3 # {trace_id=\"0af7651916cd43dd8448eb211c80319c\"} 2 <ts>\n" +
            "# TYPE jobs_state stateset\n" +
            "# HELP jobs_state Scheduler state.\n" +
            "jobs_state{jobs_state=\"idle\"} 0\n" +
            "jobs_state{jobs_state=\"running\"} 1\n" +
            "jobs_state{jobs_state=\"failed_hard\"} 0\n" +
            "# EOF\n";
        Assert.Equal(expected, stable);
    }

    [Fact]
    public void InfoIsAbsentUntilSetAndEachSetReplacesTheLabels()
    {
        var (metrics, registry) = NewJobs();
        Assert.DoesNotContain("jobs_build", registry.GenerateLatest());

        metrics.SetBuildInfo("1", "a");
        metrics.SetBuildInfo("2", "b");
        string text = registry.GenerateLatest();
        Assert.Contains("jobs_build_info{version=\"2\",commit=\"b\"} 1\n", text);
        Assert.Single(text.Split('\n'), line => line.StartsWith("jobs_build_info{", StringComparison.Ordinal));
        Assert.Throws<ArgumentNullException>(() => metrics.SetBuildInfo(null!, "c"));
        Assert.Contains("jobs_build_info{version=\"2\",commit=\"b\"} 1\n", registry.GenerateLatest());
    }

    [Fact]
    public void StateSetStartsInTheFirstDeclaredMemberAndRefusesUndefinedValues()
    {
        var (metrics, registry) = NewJobs();
        Assert.Equal(JobState.Idle, metrics.State.State);
        Assert.Contains("jobs_state{jobs_state=\"idle\"} 1\n", registry.GenerateLatest());

        metrics.State.Set(JobState.Failed);
        Assert.Equal(JobState.Failed, metrics.State.State);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => metrics.State.Set((JobState)42));
        Assert.Contains("jobs_state", error.Message);
        Assert.Equal(JobState.Failed, metrics.State.State);
    }

    [Fact]
    public void EmptySummaryWindowWritesNaN()
    {
        var (metrics, registry) = NewJobs();
        metrics.Latency("idle");
        string text = registry.GenerateLatest(ExpositionFormat.OpenMetrics);
        Assert.Contains("jobs_latency_seconds{queue=\"idle\",quantile=\"0.5\"} NaN\n", text);
        Assert.Contains("jobs_latency_seconds{queue=\"idle\",quantile=\"0.99\"} NaN\n", text);
        Assert.Contains("jobs_latency_seconds_count{queue=\"idle\"} 0\n", text);
        Assert.Throws<ArgumentOutOfRangeException>(() => metrics.Latency("idle").Observe(double.NaN));
    }

    [Fact]
    public void CreatedSamplesAreOpenMetricsOnlyAndOffByDefault()
    {
        var (metrics, registry) = NewJobs();
        double before = UnixNow();
        Record(metrics);
        Assert.DoesNotContain("_created", registry.GenerateLatest(ExpositionFormat.OpenMetrics));

        registry.EnableCreatedSamples = true;
        Assert.DoesNotContain("_created", registry.GenerateLatest());
        string text = registry.GenerateLatest(ExpositionFormat.OpenMetrics);
        string[] created = text.Split('\n').Where(line => line.Contains("_created", StringComparison.Ordinal)).ToArray();
        Assert.Equal(
            new[] { "jobs_latency_seconds_created{queue=\"fast\"}", "jobs_run_seconds_created", "jobs_runs_created{queue=\"q1\"}" },
            created.Select(line => line.Substring(0, line.IndexOf(' ', StringComparison.Ordinal))).Where(name => !name.StartsWith("jobs_payload", StringComparison.Ordinal)).ToArray());
        Assert.Contains(created, line => line.StartsWith("jobs_payload_bytes_created ", StringComparison.Ordinal));
        foreach (string line in created)
        {
            double seconds = double.Parse(line.Substring(line.LastIndexOf(' ') + 1), CultureInfo.InvariantCulture);
            Assert.InRange(seconds, before - 1, UnixNow() + 1);
        }

        // Each _created follows its own series' last sample.
        Assert.Contains("jobs_runs_total{queue=\"q1\"} 3 # {", text);
        int total = text.IndexOf("jobs_runs_total{queue=\"q1\"}", StringComparison.Ordinal);
        int createdAt = text.IndexOf("jobs_runs_created{queue=\"q1\"}", StringComparison.Ordinal);
        Assert.True(createdAt > total);
    }

    [Fact]
    public void ExplicitExemplarsWorkWithoutTheOptionAndRespectTheLimit()
    {
        var registry = new MetricRegistry();
        var shop = new ShopMetrics(registry);
        shop.Orders("main", Outcome.Ok).Inc();
        shop.Orders("main", Outcome.Ok).Inc(2, new Exemplar("trace_id", "x"));
        shop.Latency(Region.EuWest).Observe(0.5, new Exemplar("trace_id", "y", "span_id", "z"));
        Assert.Equal(3, shop.Orders("main", Outcome.Ok).Value);
        string text = registry.GenerateLatest(ExpositionFormat.OpenMetrics);
        Assert.Matches("test_orders_total\\{[^}]*\\} 3 # \\{trace_id=\"x\"\\} 2 [0-9.]+\n", text);
        Assert.Matches("test_latency_seconds_bucket\\{[^}]*le=\"1.0\"\\} 1 # \\{trace_id=\"y\",span_id=\"z\"\\} 0.5 [0-9.]+\n", text);
        Assert.DoesNotContain("# {", registry.GenerateLatest(ExpositionFormat.PrometheusText));

        // Without Exemplars = true a plain call inside a recorded activity leaves the explicit exemplar in place.
        using (var source = new ActivitySource("MetricsGen.Tests.ExplicitOnly"))
        using (var listener = new ActivityListener
        {
            ShouldListenTo = candidate => candidate.Name == source.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        })
        {
            ActivitySource.AddActivityListener(listener);
            using (source.StartActivity("job"))
            {
                shop.Orders("main", Outcome.Ok).Inc();
                shop.Latency(Region.EuWest).Observe(0.7);
            }
        }

        text = registry.GenerateLatest(ExpositionFormat.OpenMetrics);
        Assert.Matches("test_orders_total\\{[^}]*\\} 4 # \\{trace_id=\"x\"\\} 2 [0-9.]+\n", text);
        Assert.Matches("test_latency_seconds_bucket\\{[^}]*le=\"1.0\"\\} 2 # \\{trace_id=\"y\",span_id=\"z\"\\} 0.5 [0-9.]+\n", text);

        // A series that never got an exemplar writes none.
        shop.Orders("other", Outcome.Ok).Inc();
        Assert.Matches("test_orders_total\\{[^}]*\"other\"[^}]*\\} 1\n", registry.GenerateLatest(ExpositionFormat.OpenMetrics));

        Assert.Throws<ArgumentException>(() => new Exemplar("trace_id", new string('a', 121)));
        _ = new Exemplar("trace_id", new string('a', 120));
        Assert.Throws<ArgumentException>(() => new Exemplar("trace_id", new string('a', 60), "span_id", new string('b', 54)));
        Assert.Throws<ArgumentException>(() => new Exemplar("bad-name", "x"));
        Assert.Throws<ArgumentException>(() => new Exemplar("a", "x", "a", "y"));

        // 128 characters, not 128 UTF-16 units: an emoji is one character (two units).
        _ = new Exemplar("trace_id", string.Concat(Enumerable.Repeat("\U0001F600", 120)));

        var (jobs, _) = NewJobs();
        Assert.Throws<ArgumentOutOfRangeException>(() => jobs.Runs("q").Inc(-1, new Exemplar("trace_id", "x")));
        Assert.Equal(0, jobs.Runs("q").Value);
    }

    [Fact]
    public void PlainCallsAttachTheRecordedActivityAsExemplar()
    {
        var (metrics, registry) = NewJobs();
        using var source = new ActivitySource("MetricsGen.Tests.Exemplars");
        using var listener = new ActivityListener
        {
            ShouldListenTo = candidate => candidate.Name == source.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);

        metrics.Runs("traced").Inc();
        Assert.DoesNotContain("# {", registry.GenerateLatest(ExpositionFormat.OpenMetrics));

        string traceId;
        string spanId;
        using (Activity activity = source.StartActivity("job")!)
        {
            traceId = activity.TraceId.ToHexString();
            spanId = activity.SpanId.ToHexString();
            metrics.Runs("traced").Inc();
            metrics.RunTime.Observe(5);
        }

        string text = registry.GenerateLatest(ExpositionFormat.OpenMetrics);
        Assert.Matches($"jobs_runs_total\\{{queue=\"traced\"\\}} 2 # \\{{trace_id=\"{traceId}\",span_id=\"{spanId}\"\\}} 1 [0-9.]+\n", text);
        Assert.Matches($"jobs_run_seconds_bucket\\{{le=\"10.0\"\\}} 1 # \\{{trace_id=\"{traceId}\",span_id=\"{spanId}\"\\}} 5 [0-9.]+\n", text);
        Assert.DoesNotContain("# {", registry.GenerateLatest(ExpositionFormat.PrometheusText));
    }

    [Fact]
    public void CallbacksAreReadAtEveryScrape()
    {
        var (metrics, registry) = NewJobs();
        Assert.Contains("jobs_queue_depth 0\n", registry.GenerateLatest());
        metrics.Enqueue("x");
        metrics.Read(10);
        string text = registry.GenerateLatest();
        Assert.Contains("jobs_queue_depth 1\n", text);
        Assert.Contains("jobs_bytes_read_total 10\n", text);
    }

    [Fact]
    public void AFailingCallbackFailsTheScrapeNamingTheMetric()
    {
        var registry = new MetricRegistry();
        var broken = new BrokenCallbacks(registry) { Throw = true };
        var error = Assert.Throws<MetricCollectionException>(() => registry.GenerateLatest());
        Assert.Equal("broken_reading", error.MetricName);
        Assert.Equal("MetricsGen.Runtime.Tests.MetricModel.BrokenCallbacks", error.SourceName);
        Assert.Contains("sensor offline", error.Message);

        broken.Throw = false;
        broken.CounterValue = -5;
        error = Assert.Throws<MetricCollectionException>(() => registry.GenerateLatest(ExpositionFormat.OpenMetrics));
        Assert.Equal("broken_events_total", error.MetricName);

        broken.CounterValue = 5;
        Assert.Contains("broken_events_total 5\n", registry.GenerateLatest());
    }

    private static double UnixNow() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>Checks every exemplar timestamp lies in [before, after] and replaces it with &lt;ts&gt;.</summary>
    private static string CheckExemplarTimestamps(string text, double before, double after, int expectedCount)
    {
        int found = 0;
        string stable = Regex.Replace(text, @"( # \{[^}]*\} \S+) (\S+)\n", match =>
        {
            double timestamp = double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
            Assert.InRange(timestamp, before - 0.002, after + 0.002);
            found++;
            return match.Groups[1].Value + " <ts>\n";
        });
        Assert.Equal(expectedCount, found);
        return stable;
    }
}

/// <summary>The metric model's hot paths allocate nothing once the series exists.</summary>
public sealed class MetricModelAllocationTests
{
    [Fact]
    public void HotPathsAllocateNothing()
    {
        var metrics = new JobMetrics(new MetricRegistry());
        var exemplar = new Exemplar("trace_id", "0af7651916cd43dd8448eb211c80319c", "span_id", "b7ad6b7169203331");
        string queue = "main";
        double value = 0;
        void HotPath()
        {
            value += 0.37;
            metrics.Latency(queue).Observe(value % 7);
            metrics.Payload.Observe(value);
            metrics.State.Set(JobState.Running);
            metrics.QueueState(queue).Set(JobState.Failed);
            metrics.Runs(queue).Inc();
            metrics.Runs(queue).Inc(2, exemplar);
            metrics.RunTime.Observe(value % 12);
            metrics.RunTime.Observe(0.5, exemplar);
            using (metrics.Payload.NewTimer())
            {
            }
        }

        // Warm up past the summary's buffer and stream growth, then measure.
        for (int i = 0; i < 20_000; i++)
        {
            HotPath();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20_000; i++)
        {
            HotPath();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void AScrapeWithSummariesAndExemplarsAllocatesNothingIntoAReusedBuffer()
    {
        var registry = new MetricRegistry();
        var metrics = new JobMetrics(registry);
        metrics.Latency("a").Observe(1);
        metrics.Runs("a").Inc(1, new Exemplar("trace_id", "abc"));
        metrics.RunTime.Observe(0.5, new Exemplar("trace_id", "abc"));
        metrics.SetBuildInfo("1", "x");
        using var buffer = new PooledBufferWriter();
        registry.EnableCreatedSamples = true;
        registry.WriteTo(buffer, ExpositionFormat.OpenMetrics);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            buffer.Clear();
            registry.WriteTo(buffer, ExpositionFormat.OpenMetrics);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
