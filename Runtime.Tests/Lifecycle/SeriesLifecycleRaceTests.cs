using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace MetricsGen.Runtime.Tests.Lifecycle;

/// <summary>
/// Lookups, increments, removal, clear, expiry and overflow racing with scrapes. Every scrape is parsed: no exception,
/// no torn line, no series twice; totals are checked exactly where the rules guarantee them.
/// </summary>
public sealed class SeriesLifecycleRaceTests
{
    private const int Workers = 3;
    private const int Rounds = 60_000;

    private static readonly Regex Sample = new(@"^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^{}\n]*\})? [^ \n]+$", RegexOptions.CultureInvariant);

    [Fact]
    public async Task LookupsOverTheLimitRacingWithScrapesLoseNothing()
    {
        var registry = new MetricRegistry();
        var metrics = new LifeMetrics(registry);
        var scrapes = new Scraper(registry);
        long total = 0;
        Parallel.For(0, Workers, worker =>
        {
            int i = 0;
            for (; scrapes.Running(i); i++)
            {
                // 300 label values on a metric limited to 100: a third fits, the rest overflows.
                metrics.Churn("id-" + ((i * 7 + worker) % 300)).Inc();
            }

            Interlocked.Add(ref total, i);
        });
        await scrapes.StopAsync();

        Dictionary<string, double> samples = SeriesLimitTests.Samples(registry.GenerateLatest(), "life_churn_total");
        Assert.Equal(101, samples.Count);
        Assert.Equal(total, samples.Values.Sum());
    }

    [Fact]
    public async Task UpdatesRacingWithExpiryAreNeverLost()
    {
        var clock = new ManualClock();
        MetricRegistry registry = ManualClock.Registry(clock);
        var metrics = new LifeMetrics(registry);
        Counter[][] handles = Enumerable.Range(0, Workers)
            .Select(worker => Enumerable.Range(0, 20).Select(user => metrics.Sessions($"w{worker}-u{user}")).ToArray())
            .ToArray();
        using var ticking = new CancellationTokenSource();
        Task clockTask = Task.Run(() =>
        {
            while (!ticking.IsCancellationRequested)
            {
                // Each step is a third of the expiry: idle series keep expiring while others are updated.
                clock.Advance(TimeSpan.FromSeconds(100));
                Thread.Yield();
            }
        });
        var scrapes = new Scraper(registry);
        long total = 0;
        Parallel.For(0, Workers, worker =>
        {
            Counter[] mine = handles[worker];
            int i = 0;
            for (; scrapes.Running(i); i++)
            {
                mine[(i * 7) % mine.Length].Inc();
            }

            Interlocked.Add(ref total, i);
        });
        await scrapes.StopAsync();
        ticking.Cancel();
        await clockTask;

        // Expiry removes idle series from the exposition; an update (even of zero) brings each back with its value.
        foreach (Counter handle in handles.SelectMany(mine => mine))
        {
            handle.Inc(0);
        }

        Dictionary<string, double> samples = SeriesLimitTests.Samples(registry.GenerateLatest(), "life_sessions_total");
        Assert.Equal(Workers * 20, samples.Count);
        Assert.Equal(total, samples.Values.Sum());
        for (int worker = 0; worker < Workers; worker++)
        {
            for (int user = 0; user < 20; user++)
            {
                Assert.Same(handles[worker][user], metrics.Sessions($"w{worker}-u{user}"));
            }
        }
    }

    [Fact]
    public async Task RemoveAndClearRacingWithLookupsAndScrapesKeepEveryIncrementInSomeSeries()
    {
        var clock = new ManualClock();
        MetricRegistry registry = ManualClock.Registry(clock);
        var metrics = new LifeMetrics(registry);
        var seen = new HashSet<Counter>[Workers];
        using var removing = new CancellationTokenSource();
        Task remover = Task.Run(() =>
        {
            for (int i = 0; !removing.IsCancellationRequested; i++)
            {
                if (i % 50 == 49)
                {
                    metrics.ClearChurn();
                    metrics.ClearEnumExpiring();
                }
                else
                {
                    metrics.RemoveChurn("id-" + (i % 150));
                    metrics.RemoveEnumExpiring(i % 2 == 0 ? Outcome.Ok : Outcome.Error);
                }

                clock.Advance(TimeSpan.FromSeconds(7));
            }
        });
        var scrapes = new Scraper(registry);
        long total = 0;
        Parallel.For(0, Workers, worker =>
        {
            var mine = new HashSet<Counter>(ReferenceEqualityComparer.Instance);
            int i = 0;
            for (; scrapes.Running(i); i++)
            {
                Counter series = metrics.Churn("id-" + ((i * 13 + worker) % 150));
                series.Inc();
                mine.Add(series);
                metrics.EnumExpiring(i % 3 == 0 ? Outcome.Ok : Outcome.Error).Inc();
            }

            seen[worker] = mine;
            Interlocked.Add(ref total, i);
        });
        await scrapes.StopAsync();
        removing.Cancel();
        await remover;

        // Removal only unlists series: every increment is in one of the series the lookups returned.
        var all = new HashSet<Counter>(seen.SelectMany(set => set), ReferenceEqualityComparer.Instance);
        Assert.Equal(total, all.Sum(series => series.Value));

        // What is exposed now is exactly what the lookups now return, each label set once.
        Dictionary<string, double> samples = SeriesLimitTests.Samples(registry.GenerateLatest(), "life_churn_total");
        foreach ((string sample, double value) in samples)
        {
            string id = sample.Contains("metricsgen_overflow", StringComparison.Ordinal) ? null! : sample.Split('"')[1];
            if (id is not null)
            {
                Assert.Equal(value, metrics.Churn(id).Value);
            }
        }

        Assert.True(samples.Count <= 101);
    }

    /// <summary>Scrapes in a loop into one reused buffer and checks each exposition until stopped.</summary>
    private sealed class Scraper
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _task;
        private int _count;

        public Scraper(MetricRegistry registry)
        {
            _task = Task.Run(() =>
            {
                var buffer = new PooledBufferWriter();
                while (!_stop.IsCancellationRequested)
                {
                    buffer.Clear();
                    registry.WriteTo(buffer, _count % 2 == 0 ? ExpositionFormat.PrometheusText : ExpositionFormat.OpenMetrics);
                    Check(Encoding.UTF8.GetString(buffer.WrittenMemory.Span));
                    Interlocked.Increment(ref _count);
                }

                buffer.Dispose();
            });
        }

        public int Count => Volatile.Read(ref _count);

        /// <summary>Whether a worker at round <paramref name="round"/> goes on: for its rounds, and until a few scrapes ran.</summary>
        public bool Running(int round) => round < Rounds || (Count < 5 && !_task.IsCompleted);

        public Task StopAsync()
        {
            _stop.Cancel();
            return _task;
        }

        private static void Check(string text)
        {
            Assert.EndsWith("\n", text);
            var series = new HashSet<string>(StringComparer.Ordinal);
            foreach (string line in text.AsSpan(0, text.Length - 1).ToString().Split('\n'))
            {
                if (line.StartsWith('#'))
                {
                    continue;
                }

                Assert.Matches(Sample, line);
                string key = line[..line.LastIndexOf(' ')];
                Assert.True(series.Add(key), "twice in one scrape: " + key);
                Assert.True(double.TryParse(line[(line.LastIndexOf(' ') + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out _) || line.EndsWith("Inf", StringComparison.Ordinal) || line.EndsWith("NaN", StringComparison.Ordinal), line);
            }
        }
    }
}
