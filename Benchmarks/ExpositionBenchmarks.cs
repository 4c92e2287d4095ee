using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using MetricsGen.CompilerServices;
using Prom = Prometheus;

namespace MetricsGen.Benchmarks;

/// <summary>
/// Case 4: one scrape of <see cref="Series"/> counter series (families of 10 series, two string labels each) into a
/// buffer reused across scrapes, in the Prometheus text format.
/// </summary>
[MemoryDiagnoser]
public class ExpositionBenchmarks
{
    private const int SeriesPerFamily = 10;

    private MetricRegistry _registry = null!;
    private PooledBufferWriter _buffer = null!;
    private Prom.CollectorRegistry _promRegistry = null!;
    private MemoryStream _promStream = null!;

    [Params(10_000, 100_000)]
    public int Series { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        int families = Series / SeriesPerFamily;
        _registry = new MetricRegistry();
        _registry.Register(new SyntheticSource(families, SeriesPerFamily));
        _buffer = new PooledBufferWriter();

        _promRegistry = PromRegistries.NewRegistry();
        Prom.IMetricFactory factory = Prom.Metrics.WithCustomRegistry(_promRegistry);
        var configuration = new Prom.CounterConfiguration { LabelNames = new[] { "tenant", "route" } };
        for (int f = 0; f < families; f++)
        {
            Prom.Counter counter = factory.CreateCounter(SyntheticSource.FamilyName(f), SyntheticSource.FamilyHelp(f), configuration);
            for (int s = 0; s < SeriesPerFamily; s++)
            {
                counter.WithLabels(SyntheticSource.Tenant(s), SyntheticSource.Route(f, s)).Inc(SyntheticSource.Amount(f, s));
            }
        }

        _promStream = new MemoryStream();

        // Grow both buffers once and check that the two expositions hold the same samples.
        MetricsGen();
        PrometheusNet().GetAwaiter().GetResult();
        int ours = CountSamples(_buffer.WrittenSpan);
        int theirs = CountSamples(_promStream.GetBuffer().AsSpan(0, (int)_promStream.Length));
        if (ours != Series || theirs != Series)
        {
            throw new InvalidOperationException($"Expected {Series} samples; MetricsGen wrote {ours}, prometheus-net {theirs}.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _buffer.Dispose();

    [Benchmark]
    public void MetricsGen()
    {
        _buffer.Clear();
        _registry.WriteTo(_buffer, ExpositionFormat.PrometheusText);
    }

    [Benchmark(Baseline = true)]
    public Task PrometheusNet()
    {
        _promStream.SetLength(0);
        return _promRegistry.CollectAndExportAsTextAsync(_promStream);
    }

    private static int CountSamples(ReadOnlySpan<byte> text)
    {
        int samples = 0;
        bool lineStart = true;
        foreach (byte b in text)
        {
            if (lineStart && b != (byte)'#')
            {
                samples++;
            }

            lineStart = b == (byte)'\n';
        }

        return samples;
    }
}

/// <summary>Counter families built with the runtime API, as a hand-written metric source would.</summary>
internal sealed class SyntheticSource : IMetricSource
{
    private readonly CounterFamily[] _families;
    private readonly MetricDescriptor[] _descriptors;

    public SyntheticSource(int families, int seriesPerFamily)
    {
        _families = new CounterFamily[families];
        _descriptors = new MetricDescriptor[families];
        for (int f = 0; f < families; f++)
        {
            var descriptor = new MetricDescriptor(FamilyName(f), MetricType.Counter, FamilyHelp(f));
            var family = new CounterFamily(descriptor);
            for (int s = 0; s < seriesPerFamily; s++)
            {
                byte[] labels = new LabelSetBuilder().Add("tenant"u8, Tenant(s)).Add("route"u8, Route(f, s)).ToArray();
                family.Add(labels).Inc(Amount(f, s));
            }

            _descriptors[f] = descriptor;
            _families[f] = family;
        }
    }

    public string SourceName => nameof(SyntheticSource);

    public IReadOnlyList<MetricDescriptor> Metrics => _descriptors;

    public static string FamilyName(int family) => $"app_operation_{family}_total";

    public static string FamilyHelp(int family) => $"Operations of kind {family}.";

    public static string Tenant(int series) => $"tenant-{series}";

    public static string Route(int family, int series) => $"/api/v1/items/{family}/{series}";

    // Mostly whole counts, some fractional, as real counters hold.
    public static double Amount(int family, int series) => (family * 7 + series * 13) % 5 == 0 ? 12.75 + series : 1 + (family * 31 + series) % 100_000;

    public void Collect(ref ExpositionWriter writer)
    {
        foreach (CounterFamily family in _families)
        {
            writer.Write(family);
        }
    }
}
