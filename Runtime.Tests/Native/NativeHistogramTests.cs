using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using MetricsGen.Runtime.Tests.Protobuf;
using Xunit;

namespace MetricsGen.Runtime.Tests.Native;

public sealed class NativeHistogramTests
{
    public static TheoryData<int> Schemas()
    {
        var data = new TheoryData<int>();
        for (int schema = -4; schema <= 8; schema++)
        {
            data.Add(schema);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Schemas))]
    public void BucketIndexFollowsTheSpecFormula(int schema)
    {
        double[] bounds = schema > 0 ? NativeBuckets.OctaveBounds(schema) : Array.Empty<double>();

        // Powers of two are boundaries at every schema: 2^e sits at the top of bucket e·2^s (at schema < 0,
        // ⌈e / 2^−s⌉), so 1 is in bucket 0.
        for (int e = -1074; e <= 1023; e++)
        {
            double value = Math.ScaleB(1, e);
            int expected = schema >= 0 ? e << schema : (int)Math.Ceiling(e / (double)(1 << -schema));
            Assert.Equal(expected, NativeBuckets.Index(value, schema, bounds));
        }

        // Anywhere else: the bucket i with base^(i−1) < v <= base^i, that is i = ⌈log2(v) · 2^s⌉. Values too close to a
        // boundary for a double logarithm to decide are left to the boundary checks below.
        var random = new Random(schema + 100);
        int checkedValues = 0;
        for (int n = 0; n < 20_000; n++)
        {
            double value = Math.ScaleB(1 + random.NextDouble(), random.Next(-1074, 1023));
            if (value == 0 || double.IsInfinity(value))
            {
                continue;
            }

            double scaled = Math.Log2(value) * Math.Pow(2, schema);
            if (Math.Abs(scaled - Math.Round(scaled)) < 1e-6)
            {
                continue;
            }

            Assert.Equal((int)Math.Ceiling(scaled), NativeBuckets.Index(value, schema, bounds));
            checkedValues++;
        }

        Assert.True(checkedValues > 15_000);

        // Just above and below the boundaries of one octave (for schemas finer than an octave).
        if (schema > 0)
        {
            for (int j = 1; j < (1 << schema); j++)
            {
                double boundary = Math.Pow(2, (double)j / (1 << schema));
                Assert.Equal(j + 1, NativeBuckets.Index(boundary * (1 + 1e-12), schema, bounds));
                Assert.Equal(j, NativeBuckets.Index(boundary * (1 - 1e-12), schema, bounds));
            }
        }
    }

    [Theory]
    [InlineData(1.1, 3)]
    [InlineData(1.5, 1)]
    [InlineData(2.0, 0)]
    [InlineData(4.0, -1)]
    [InlineData(65536.0, -4)]
    [InlineData(1e9, -4)]
    [InlineData(1.0001, 8)]
    [InlineData(1.0905077326652577, 3)]
    public void SchemaIsTheCoarsestWithinTheFactor(double factor, int schema) =>
        Assert.Equal(schema, NativeBuckets.SchemaFor(factor));

    [Fact]
    public void ProtobufCarriesSpansDeltasZerosAndNegatives()
    {
        var registry = new MetricRegistry();
        var metrics = new NativeMetrics(registry);
        double[] values = { 0, 0, 1e-200, -1e-200, 1, 1, 1.2, 3, -3, -3.5, 1000, double.PositiveInfinity, 0.001 };
        foreach (double value in values)
        {
            metrics.Delta.Observe(value);
        }

        WireMessage histogram = NativeOf(registry, "native_delta");
        Assert.Equal((ulong)values.Length, histogram.Varint(1));
        Assert.Equal(double.PositiveInfinity, histogram.Double(2));
        Assert.Equal(1, histogram.SignedVarint(5)); // factor 1.5 → schema 1
        Assert.Equal(NativeHistogramSettings.DefaultZeroThreshold, histogram.Double(6));
        // The zero bucket holds |v| <= 2^-128: the two zeros and ±1e-200.
        Assert.Equal(4UL, histogram.Varint(7));
        Dictionary<int, long> positive = Buckets(histogram, spanField: 12, deltaField: 13);
        Dictionary<int, long> negative = Buckets(histogram, spanField: 9, deltaField: 10);

        // The rest from the formula at schema 1 (base √2): ⌈2·log2|v|⌉; +Inf counts only in count and sum.
        var expectedPositive = new Dictionary<int, long>();
        var expectedNegative = new Dictionary<int, long>();
        foreach (double value in values.Where(v => Math.Abs(v) > NativeHistogramSettings.DefaultZeroThreshold && !double.IsInfinity(v)))
        {
            int index = (int)Math.Ceiling(Math.Round(Math.Log2(Math.Abs(value)) * 2, 9));
            var target = value > 0 ? expectedPositive : expectedNegative;
            target[index] = target.GetValueOrDefault(index) + 1;
        }

        Assert.Equal(expectedPositive.OrderBy(p => p.Key), positive.OrderBy(p => p.Key));
        Assert.Equal(expectedNegative.OrderBy(p => p.Key), negative.OrderBy(p => p.Key));
        Assert.False(histogram.Has(3), "A native-only histogram has no classic buckets.");
    }

    [Fact]
    public void PastTheBucketLimitNeighboursAreMerged()
    {
        var registry = new MetricRegistry();
        var metrics = new NativeMetrics(registry);
        var observed = new List<double>();
        for (int i = 1; i <= 200; i++)
        {
            double value = Math.Pow(1.07, i);
            metrics.Coarse.Observe(value);
            observed.Add(value);
        }

        WireMessage histogram = NativeOf(registry, "native_coarse");
        int schema = (int)histogram.SignedVarint(5);
        Dictionary<int, long> buckets = Buckets(histogram, 12, 13);
        Assert.True(buckets.Count <= 4, $"{buckets.Count} buckets at schema {schema}");
        Assert.True(buckets.Count >= 2);
        Assert.Equal(200, buckets.Values.Sum());
        Assert.Equal(0.0, histogram.Double(6));

        // Every observation lies in the bucket it was counted in, at the reduced schema.
        double[] bounds = schema > 0 ? NativeBuckets.OctaveBounds(schema) : Array.Empty<double>();
        var recount = observed.GroupBy(value => NativeBuckets.Index(value, schema, bounds)).ToDictionary(group => group.Key, group => (long)group.Count());
        Assert.Equal(recount.OrderBy(p => p.Key), buckets.OrderBy(p => p.Key));
    }

    [Fact]
    public void TextFormatsCarryWhatTheyCan()
    {
        var registry = new MetricRegistry();
        var metrics = new NativeMetrics(registry);
        metrics.Latency(Route.Home).Observe(0.25);
        metrics.Latency(Route.Home).Observe(4);
        metrics.Size.Observe(50);
        metrics.Size.Observe(5000);

        string text = registry.GenerateLatest();
        Assert.Contains("native_latency_seconds_bucket{route=\"home\",le=\"+Inf\"} 2\n", text);
        Assert.Contains("native_latency_seconds_count{route=\"home\"} 2\n", text);
        Assert.Contains("native_latency_seconds_sum{route=\"home\"} 4.25\n", text);
        Assert.DoesNotContain("native_latency_seconds_bucket{route=\"home\",le=\"0.", text);
        Assert.Contains("native_size_bytes_bucket{le=\"100.0\"} 1\n", text);
        Assert.Contains("native_size_bytes_bucket{le=\"1000.0\"} 1\n", text);
        Assert.Contains("native_size_bytes_bucket{le=\"+Inf\"} 2\n", text);

        // Native and classic side by side in protobuf.
        WireMessage size = NativeOf(registry, "native_size_bytes");
        Assert.Equal(new[] { 100.0, 1000.0 }, size.Messages(3).Select(bucket => bucket.Double(2)).ToArray());
        Assert.Equal(3, size.SignedVarint(5));
        Assert.Equal(2, Buckets(size, 12, 13).Values.Sum());
    }

    [Fact]
    public void AnEmptyNativeHistogramStillReadsAsNative()
    {
        var registry = new MetricRegistry();
        _ = new NativeMetrics(registry);
        WireMessage coarse = NativeOf(registry, "native_coarse");
        Assert.Equal(0UL, coarse.Varint(1));
        WireMessage span = Assert.Single(coarse.Messages(12));
        Assert.Equal(0, span.SignedVarint(1));
        Assert.Equal(0UL, span.Varint(2));
    }

    [Fact]
    public void ConcurrentObservationsAreAllCounted()
    {
        var registry = new MetricRegistry();
        var metrics = new NativeMetrics(registry);
        const int Threads = 4;
        const int PerThread = 50_000;
        Parallel.For(0, Threads, thread =>
        {
            var random = new Random(thread);
            for (int i = 0; i < PerThread; i++)
            {
                // Spread over many octaves, so chunks are created while other threads count.
                double value = Math.ScaleB(random.NextDouble() + 0.5, random.Next(-40, 40)) * (random.Next(2) == 0 ? 1 : -1);
                metrics.Delta.Observe(value);
            }
        });

        WireMessage histogram = NativeOf(registry, "native_delta");
        long buckets = Buckets(histogram, 12, 13).Values.Sum() + Buckets(histogram, 9, 10).Values.Sum() + (long)histogram.Varint(7);
        Assert.Equal(Threads * PerThread, buckets);
        Assert.Equal((ulong)(Threads * PerThread), histogram.Varint(1));
    }

    [Fact]
    public void ObserveAllocatesNothingOnceTheRangeWasSeen()
    {
        var metrics = new NativeMetrics(new MetricRegistry());
        var values = Enumerable.Range(0, 64).Select(i => Math.Pow(1.3, i - 32) * (i % 3 == 0 ? -1 : 1)).ToArray();
        foreach (double value in values)
        {
            metrics.Delta.Observe(value);
            metrics.Latency(Route.Search).Observe(value);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100_000; i++)
        {
            metrics.Delta.Observe(values[i & 63]);
            metrics.Latency(Route.Search).Observe(values[i & 63]);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static WireMessage NativeOf(MetricRegistry registry, string family)
    {
        using var buffer = new PooledBufferWriter();
        registry.WriteTo(buffer, ExpositionFormat.Protobuf);
        WireMessage found = Assert.Single(WireMessage.ReadDelimited(buffer.WrittenSpan.ToArray()), message => message.String(1) == family);
        Assert.Equal(4UL, found.Varint(3));
        return found.Messages(4).First().Message(7);
    }

    /// <summary>Rebuilds index → count from spans and deltas, as Prometheus reads them.</summary>
    private static Dictionary<int, long> Buckets(WireMessage histogram, int spanField, int deltaField)
    {
        var result = new Dictionary<int, long>();
        long[] deltas = histogram.SignedVarints(deltaField).ToArray();
        int next = 0;
        long count = 0;
        int index = 0;
        bool first = true;
        foreach (WireMessage span in histogram.Messages(spanField))
        {
            int offset = span.Has(1) ? (int)span.SignedVarint(1) : 0;
            int length = span.Has(2) ? (int)span.Varint(2) : 0;
            index = first ? offset : index + offset;
            first = false;
            for (int i = 0; i < length; i++)
            {
                count += deltas[next++];
                Assert.True(count > 0, "A delta-encoded bucket count must be positive.");
                result[index] = count;
                index++;
            }
        }

        Assert.Equal(deltas.Length, next);
        return result;
    }
}
