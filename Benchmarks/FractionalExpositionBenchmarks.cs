using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using MetricsGen.CompilerServices;
using Prom = Prometheus;

namespace MetricsGen.Benchmarks;

/// <summary>
/// Case 4b (issue 16): the scrape of a busy service. The 10,000 counter series of case 4 (1,000 families x 10, two
/// string labels), but every value is fractional and every one changed since the last scrape: each benchmark call
/// adds a fractional amount to all 10,000 series through kept handles, then writes one scrape into a reused
/// buffer. The <c>*UpdateOnly</c> rows are the updates alone, so the scrape's share can be read off.
/// </summary>
[MemoryDiagnoser]
public class FractionalExpositionBenchmarks
{
    private const int SeriesPerFamily = 10;
    private const int Families = 1_000;

    private MetricRegistry _registry = null!;
    private Counter[] _ours = null!;
    private PooledBufferWriter _buffer = null!;
    private Prom.CollectorRegistry _promRegistry = null!;
    private Prom.Counter.Child[] _theirs = null!;
    private MemoryStream _promStream = null!;
    private int _round;

    [GlobalSetup]
    public void Setup()
    {
        var source = new ChangingSource(Families, SeriesPerFamily);
        _ours = source.Series;
        _registry = new MetricRegistry();
        _registry.Register(source);
        _buffer = new PooledBufferWriter();

        _promRegistry = PromRegistries.NewRegistry();
        Prom.IMetricFactory factory = Prom.Metrics.WithCustomRegistry(_promRegistry);
        var configuration = new Prom.CounterConfiguration { LabelNames = new[] { "tenant", "route" } };
        var children = new List<Prom.Counter.Child>();
        for (int f = 0; f < Families; f++)
        {
            Prom.Counter counter = factory.CreateCounter(SyntheticSource.FamilyName(f), SyntheticSource.FamilyHelp(f), configuration);
            for (int s = 0; s < SeriesPerFamily; s++)
            {
                Prom.Counter.Child child = counter.WithLabels(SyntheticSource.Tenant(s), SyntheticSource.Route(f, s));
                child.Inc(ChangingSource.Start(f, s));
                children.Add(child);
            }
        }

        _theirs = children.ToArray();
        _promStream = new MemoryStream();

        MetricsGen();
        PrometheusNet().GetAwaiter().GetResult();
        if (CountFractional(_buffer.WrittenSpan) < _ours.Length
            || CountFractional(_promStream.GetBuffer().AsSpan(0, (int)_promStream.Length)) < _theirs.Length)
        {
            throw new InvalidOperationException("Expected every sample value to be fractional.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _buffer.Dispose();

    // A different fractional step each call, so that every value changes and keeps many digits (like a latency sum).
    private double Step() => 0.1 + (0.001 * (++_round % 97));

    [Benchmark]
    public void MetricsGen()
    {
        double step = Step();
        foreach (Counter series in _ours)
        {
            series.Inc(step);
        }

        _buffer.Clear();
        _registry.WriteTo(_buffer, ExpositionFormat.PrometheusText);
    }

    [Benchmark(Baseline = true)]
    public Task PrometheusNet()
    {
        double step = Step();
        foreach (Prom.Counter.Child series in _theirs)
        {
            series.Inc(step);
        }

        _promStream.SetLength(0);
        return _promRegistry.CollectAndExportAsTextAsync(_promStream);
    }

    [Benchmark]
    public void MetricsGenUpdateOnly()
    {
        double step = Step();
        foreach (Counter series in _ours)
        {
            series.Inc(step);
        }
    }

    [Benchmark]
    public void PrometheusNetUpdateOnly()
    {
        double step = Step();
        foreach (Prom.Counter.Child series in _theirs)
        {
            series.Inc(step);
        }
    }

    /// <summary>Sample lines whose value has a decimal point or an exponent.</summary>
    private static int CountFractional(ReadOnlySpan<byte> text)
    {
        int fractional = 0;
        while (!text.IsEmpty)
        {
            int end = text.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = end < 0 ? text : text.Slice(0, end);
            text = end < 0 ? default : text.Slice(end + 1);
            if (line.IsEmpty || line[0] == (byte)'#')
            {
                continue;
            }

            ReadOnlySpan<byte> value = line.Slice(line.LastIndexOf((byte)' ') + 1);
            if (value.IndexOfAny(".E"u8) >= 0)
            {
                fractional++;
            }
        }

        return fractional;
    }
}

/// <summary>Case 4's families with fractional starting values, keeping every series' handle for the updates.</summary>
internal sealed class ChangingSource : IMetricSource
{
    private readonly CounterFamily[] _families;
    private readonly MetricDescriptor[] _descriptors;

    public ChangingSource(int families, int seriesPerFamily)
    {
        _families = new CounterFamily[families];
        _descriptors = new MetricDescriptor[families];
        Series = new Counter[families * seriesPerFamily];
        for (int f = 0; f < families; f++)
        {
            var descriptor = new MetricDescriptor(SyntheticSource.FamilyName(f), MetricType.Counter, SyntheticSource.FamilyHelp(f));
            var family = new CounterFamily(descriptor);
            for (int s = 0; s < seriesPerFamily; s++)
            {
                byte[] labels = new LabelSetBuilder().Add("tenant"u8, SyntheticSource.Tenant(s)).Add("route"u8, SyntheticSource.Route(f, s)).ToArray();
                Counter series = family.Add(labels);
                series.Inc(Start(f, s));
                Series[(f * seriesPerFamily) + s] = series;
            }

            _descriptors[f] = descriptor;
            _families[f] = family;
        }
    }

    public Counter[] Series { get; }

    public string SourceName => nameof(ChangingSource);

    public IReadOnlyList<MetricDescriptor> Metrics => _descriptors;

    /// <summary>A fractional start: case 4's amount plus a fraction that is not a short binary number.</summary>
    public static double Start(int family, int series) => SyntheticSource.Amount(family, series) + 0.123;

    public void Collect(ref ExpositionWriter writer)
    {
        foreach (CounterFamily family in _families)
        {
            writer.Write(family);
        }
    }
}
