using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using Xunit;

namespace MetricsGen.Runtime.Tests;

public class QuantileWindowTests
{
    private static readonly double[] Common = { 0.5, 0.9, 0.99 };
    private static readonly double[] Spread = { 0.01, 0.25, 0.5, 0.75, 0.999 };
    private static readonly TimeSpan TenMinutes = TimeSpan.FromMinutes(10);
    private static readonly long Second = Stopwatch.Frequency;

    private static readonly int[] Checkpoints = { 1, 2, 3, 10, 100, 511, 512, 513, 1_000, 4_097, 10_000, 50_000, 200_000 };

    public static IEnumerable<object[]> Distributions()
    {
        foreach (string name in new[] { "uniform", "exponential", "pareto", "ascending", "descending", "duplicates", "infinities", "constant", "drifting up", "drifting down" })
        {
            yield return new object[] { name };
        }
    }

    [Theory]
    [MemberData(nameof(Distributions))]
    public void EveryQuantileStaysWithinItsRankErrorAtEverySize(string distribution)
    {
        foreach (double[] quantiles in new[] { Common, Spread })
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                double[] data = Generate(distribution, 200_000, seed);
                var window = new QuantileWindow(quantiles, TenMinutes, 5, 0);
                var estimates = new double[quantiles.Length];
                int next = 0;
                for (int i = 0; i < data.Length; i++)
                {
                    window.Observe(data[i], 0);
                    if (i + 1 == Checkpoints[next])
                    {
                        // Querying mid-stream also flushes partial batches, a second path through the merge.
                        window.GetQuantiles(estimates, 0);
                        AssertWithinError(data.AsSpan(0, i + 1), quantiles, estimates, $"{distribution} seed {seed} n {i + 1}");
                        next++;
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Distributions))]
    public void FullBatchesOnlyStayWithinTheRankError(string distribution)
    {
        // No query until the end: every merge is a full buffer, as in a busy series between scrapes.
        for (int seed = 10; seed < 20; seed++)
        {
            var random = new Random(seed);
            int n = random.Next(1, 100_000);
            double[] data = Generate(distribution, n, seed);
            var window = new QuantileWindow(Spread, TenMinutes, 3, 0);
            foreach (double value in data)
            {
                window.Observe(value, 0);
            }

            var estimates = new double[Spread.Length];
            window.GetQuantiles(estimates, 0);
            AssertWithinError(data, Spread, estimates, $"{distribution} seed {seed} n {n}");
        }
    }

    [Fact]
    public void ManyRandomSetsOfQuantilesStayWithinTheirErrors()
    {
        for (int seed = 0; seed < 40; seed++)
        {
            var random = new Random(seed);
            var chosen = new SortedSet<double>();
            int wanted = random.Next(1, 6);
            while (chosen.Count < wanted)
            {
                chosen.Add(Math.Round(random.NextDouble(), 3) is var q && q > 0 && q < 1 ? q : 0.5);
            }

            double[] quantiles = new double[chosen.Count];
            chosen.CopyTo(quantiles);
            string[] kinds = { "uniform", "exponential", "pareto", "ascending", "descending", "duplicates" };
            double[] data = Generate(kinds[seed % kinds.Length], random.Next(1, 30_000), seed);
            var window = new QuantileWindow(quantiles, TenMinutes, 1 + (seed % 5), 0);
            foreach (double value in data)
            {
                window.Observe(value, 0);
            }

            var estimates = new double[quantiles.Length];
            window.GetQuantiles(estimates, 0);
            AssertWithinError(data, quantiles, estimates, $"seed {seed}");
        }
    }

    [Fact]
    public void AnEmptyWindowGivesNaNForEveryQuantile()
    {
        var window = new QuantileWindow(Common, TenMinutes, 5, 0);
        var estimates = new double[] { 1, 2, 3 };
        window.GetQuantiles(estimates, 0);
        Assert.All(estimates, value => Assert.True(double.IsNaN(value)));
    }

    [Fact]
    public void OneAndTwoValuesAreReturnedExactly()
    {
        var window = new QuantileWindow(Spread, TenMinutes, 5, 0);
        var estimates = new double[Spread.Length];
        window.Observe(42, 0);
        window.GetQuantiles(estimates, 0);
        Assert.All(estimates, value => Assert.Equal(42, value));

        window.Observe(double.NegativeInfinity, 0);
        window.GetQuantiles(estimates, 0);
        // With two values either one is within a rank of every quantile; the low ones must be the lower one.
        Assert.Equal(double.NegativeInfinity, estimates[0]);
        AssertWithinError(new[] { 42, double.NegativeInfinity }, Spread, estimates, "two values");
    }

    [Fact]
    public void ObservationsOlderThanMaxAgeDropOut()
    {
        // 10 s over 5 buckets: rotation every 2 s; the queried stream covers between 8 and 10 s.
        var maxAge = TimeSpan.FromSeconds(10);
        long t0 = 1_000 * Second;
        var window = new QuantileWindow(Common, maxAge, 5, t0);
        var estimates = new double[3];

        window.Observe(1, t0 + (Second / 2));
        window.Observe(2, t0 + (3 * Second));
        window.GetQuantiles(estimates, t0 + (7 * Second));
        Assert.Equal(2, window.Streams[window.HeadIndex].Count);
        AssertWithinError(new double[] { 1, 2 }, Common, estimates, "both values");

        // 10.5 s after the first value, 7.5 s after the second: only the second is left.
        window.GetQuantiles(estimates, t0 + (11 * Second));
        Assert.Equal(1, window.Streams[window.HeadIndex].Count);
        Assert.Equal(new double[] { 2, 2, 2 }, estimates);

        // 10 s after the second value: the window is empty.
        window.GetQuantiles(estimates, t0 + (13 * Second));
        Assert.All(estimates, value => Assert.True(double.IsNaN(value)));
    }

    [Fact]
    public void ASingleAgeBucketResetsTheWholeWindowEveryMaxAge()
    {
        var maxAge = TimeSpan.FromSeconds(10);
        var window = new QuantileWindow(Common, maxAge, 1, 0);
        var estimates = new double[3];
        window.Observe(5, 0);
        window.GetQuantiles(estimates, (10 * Second) - 1);
        Assert.Equal(new double[] { 5, 5, 5 }, estimates);
        window.GetQuantiles(estimates, 10 * Second);
        Assert.All(estimates, value => Assert.True(double.IsNaN(value)));
    }

    [Fact]
    public void BufferedObservationsRotateWithTheStreamsTheyWereObservedIn()
    {
        // Values still in the buffer when the head expires were observed before: they must leave with that stream.
        var maxAge = TimeSpan.FromSeconds(10);
        var window = new QuantileWindow(Common, maxAge, 2, 0);
        var estimates = new double[3];
        for (int i = 0; i < 100; i++)
        {
            window.Observe(1, 0); // buffered, never flushed by a query
        }

        window.Observe(2, 6 * Second);
        window.GetQuantiles(estimates, 9 * Second);
        Assert.Equal(101, window.Streams[window.HeadIndex].Count);
        window.GetQuantiles(estimates, 11 * Second);
        Assert.Equal(1, window.Streams[window.HeadIndex].Count);
        Assert.Equal(new double[] { 2, 2, 2 }, estimates);
    }

    [Fact]
    public void ALongPauseEmptiesTheWindowAndRotationCatchesUp()
    {
        var maxAge = TimeSpan.FromSeconds(10);
        var window = new QuantileWindow(Common, maxAge, 5, 0);
        var estimates = new double[3];
        for (int i = 0; i < 1_000; i++)
        {
            window.Observe(i, i * (Second / 100));
        }

        long later = 3_600 * Second;
        window.GetQuantiles(estimates, later);
        Assert.All(estimates, value => Assert.True(double.IsNaN(value)));
        Assert.All(window.Streams, stream => Assert.Equal(0, stream.Count));

        window.Observe(7, later);
        window.GetQuantiles(estimates, later + 1);
        Assert.Equal(new double[] { 7, 7, 7 }, estimates);

        // Rotation after the pause keeps its 2 s rhythm: 9 s on the value is still there, 10 s on it is gone.
        window.GetQuantiles(estimates, later + (8 * Second));
        Assert.Equal(new double[] { 7, 7, 7 }, estimates);
        window.GetQuantiles(estimates, later + (10 * Second));
        Assert.All(estimates, value => Assert.True(double.IsNaN(value)));
    }

    [Fact]
    public void TheQueriedStreamHoldsWhatTheWindowPromisesAtRandomTimes()
    {
        // Whatever the rotation phase, the queried stream holds every observation younger than maxAge − maxAge/buckets
        // and none of maxAge or older.
        var maxAge = TimeSpan.FromSeconds(10);
        for (int seed = 0; seed < 20; seed++)
        {
            var random = new Random(seed);
            int buckets = 1 + random.Next(6);
            long interval = (long)(maxAge.TotalSeconds * Second / buckets);
            long maxAgeTicks = (long)(maxAge.TotalSeconds * Second);
            long now = random.Next(1_000) * Second;
            var window = new QuantileWindow(Common, maxAge, buckets, now);
            var times = new List<long>();
            var estimates = new double[3];
            for (int step = 0; step < 2_000; step++)
            {
                // Mostly small steps, sometimes long gaps.
                now += random.Next(10) == 0 ? (long)(random.NextDouble() * 12 * Second) : (long)(random.NextDouble() * Second / 10);
                if (random.Next(4) == 0)
                {
                    window.GetQuantiles(estimates, now);
                    long held = window.Streams[window.HeadIndex].Count;
                    int surely = times.FindAll(t => now - t < maxAgeTicks - interval).Count;
                    int possibly = times.FindAll(t => now - t < maxAgeTicks).Count;
                    Assert.InRange(held, surely, possibly);
                    Assert.Equal(held == 0, double.IsNaN(estimates[0]));
                }
                else
                {
                    window.Observe(random.NextDouble(), now);
                    times.Add(now);
                }
            }
        }
    }

    [Theory]
    [InlineData("uniform")]
    [InlineData("ascending")]
    [InlineData("descending")]
    [InlineData("pareto")]
    [InlineData("drifting up")]
    [InlineData("drifting down")]
    public void SamplesStayBoundedOverAMillionObservations(string distribution)
    {
        var window = new QuantileWindow(Common, TenMinutes, 5, 0);
        double[] data = Generate(distribution, 1_000_000, 7);
        int most = 0;
        for (int i = 0; i < data.Length; i++)
        {
            window.Observe(data[i], 0);
            if ((i & 0xFFF) == 0)
            {
                foreach (QuantileStream stream in window.Streams)
                {
                    most = Math.Max(most, stream.SampleCount);
                }
            }
        }

        foreach (QuantileStream stream in window.Streams)
        {
            most = Math.Max(most, stream.SampleCount);
            Assert.Equal(1_000_000 - (1_000_000 % QuantileWindow.BufferSize), stream.Count);
        }

        Assert.InRange(most, 1, SampleBound(Common));
    }

    [Fact]
    public void ADescendingSeriesKeepsItsMinimumExactAndFewSamples()
    {
        // Each new value is a new minimum; with an exact first sample it enters with Δ 0 and merges freely. A merged
        // first sample would hand its Δ to every new minimum (926 samples at 10^6 instead of 94).
        var window = new QuantileWindow(Common, TenMinutes, 1, 0);
        int most = 0;
        for (int i = 1; i <= 1_000_000; i++)
        {
            window.Observe(-i, 0);
            most = Math.Max(most, window.Streams[0].SampleCount);
        }

        var estimates = new double[3];
        window.GetQuantiles(estimates, 0);
        QuantileStream.Sample first = window.Streams[0].First;
        Assert.Equal(-1_000_000, first.Value);
        Assert.Equal(1, first.Width);
        Assert.Equal(0, first.Delta);
        Assert.InRange(most, 1, 300);
    }

    [Fact]
    public void ObserveAndGetQuantilesAllocateNothingAfterWarmUp()
    {
        var window = new QuantileWindow(Common, TenMinutes, 5, 0);
        var random = new Random(3);
        var estimates = new double[3];
        for (int i = 0; i < 1_000_000; i++)
        {
            window.Observe(random.NextDouble(), i);
        }

        window.GetQuantiles(estimates, 0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100_000; i++)
        {
            window.Observe(random.NextDouble(), i);
            if (i % 1_000 == 0)
            {
                window.GetQuantiles(estimates, i);
            }
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.False(double.IsNaN(estimates[0]));
    }

    [Fact]
    public void RotationReusesTheArrays()
    {
        var maxAge = TimeSpan.FromSeconds(10);
        var window = new QuantileWindow(Common, maxAge, 5, 0);
        var random = new Random(5);
        var estimates = new double[3];
        long now = 0;
        for (int i = 0; i < 400_000; i++)
        {
            window.Observe(random.NextDouble(), now += Second / 10_000);
        }

        window.GetQuantiles(estimates, now);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200_000; i++)
        {
            // 20 s of observations: every stream is reset and refilled twice.
            window.Observe(random.NextDouble(), now += Second / 10_000);
        }

        window.GetQuantiles(estimates, now);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void ConcurrentObserversAndAReaderLoseNothing()
    {
        const int Threads = 4;
        const int PerThread = 250_000;
        var window = new QuantileWindow(Common, TenMinutes, 5, 0);
        var all = new double[Threads * PerThread];
        for (int i = 0; i < all.Length; i++)
        {
            all[i] = ((long)i * 7919 % all.Length) / (double)all.Length; // every value once, in scattered order
        }

        int finished = 0;
        Exception? failure = null;
        var readerEstimates = new double[3];
        var reader = new Thread(() =>
        {
            try
            {
                while (Volatile.Read(ref finished) < Threads)
                {
                    window.GetQuantiles(readerEstimates, 0);
                    foreach (double value in readerEstimates)
                    {
                        Assert.True(double.IsNaN(value) || (value >= 0 && value < 1));
                    }
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        reader.Start();

        var writers = new Thread[Threads];
        for (int t = 0; t < Threads; t++)
        {
            int start = t * PerThread;
            writers[t] = new Thread(() =>
            {
                for (int i = start; i < start + PerThread; i++)
                {
                    window.Observe(all[i], 0);
                }

                Interlocked.Increment(ref finished);
            });
            writers[t].Start();
        }

        foreach (Thread writer in writers)
        {
            writer.Join();
        }

        reader.Join();
        Assert.Null(failure);
        Assert.Equal(all.Length, window.ObservedCount);
        var estimates = new double[3];
        window.GetQuantiles(estimates, 0);
        Assert.All(window.Streams, stream => Assert.Equal(all.Length, stream.Count));
        AssertWithinError(all, Common, estimates, "concurrent");
    }

    [Fact]
    public void TheTargetedErrorIsOnePercentAndTighterInTheTails()
    {
        Assert.Equal(0.01, QuantileTargets.ErrorFor(0.5), 12);
        Assert.Equal(0.01, QuantileTargets.ErrorFor(0.9), 12);
        Assert.Equal(0.001, QuantileTargets.ErrorFor(0.99), 12);
        Assert.Equal(0.001, QuantileTargets.ErrorFor(0.01), 12);
        Assert.Equal(0.0001, QuantileTargets.ErrorFor(0.999), 12);
    }

    /// <summary>
    /// The rank of each estimate among the exact data must meet [(φ − ε)·n, (φ + ε)·n], widened to whole ranks (with
    /// few values no rank may lie inside the band). Ties: any rank the value occupies counts.
    /// </summary>
    private static void AssertWithinError(ReadOnlySpan<double> data, double[] quantiles, double[] estimates, string what)
    {
        double[] sorted = data.ToArray();
        Array.Sort(sorted);
        int n = sorted.Length;
        for (int j = 0; j < quantiles.Length; j++)
        {
            double phi = quantiles[j];
            double error = QuantileTargets.ErrorFor(phi);
            double value = estimates[j];
            int below = LowerBound(sorted, value, strict: true);
            int atOrBelow = LowerBound(sorted, value, strict: false);
            Assert.True(atOrBelow > below, $"{what}: q{phi} = {value} is not one of the observations");
            long lowest = Math.Max(1, (long)Math.Floor((phi - error) * n));
            long highest = Math.Min(n, (long)Math.Ceiling((phi + error) * n));
            bool inBand = atOrBelow >= lowest && below + 1 <= highest;
            Assert.True(inBand, $"{what}: q{phi} = {value} has ranks {below + 1}..{atOrBelow}, allowed {lowest}..{highest}");
        }
    }

    // The number of values below (strict) or at most (not strict) the given one.
    private static int LowerBound(double[] sorted, double value, bool strict)
    {
        int lo = 0;
        int hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            bool left = strict ? sorted[mid] < value : sorted[mid] <= value;
            if (left)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static double[] Generate(string distribution, int n, int seed)
    {
        var random = new Random(seed);
        var data = new double[n];
        for (int i = 0; i < n; i++)
        {
            data[i] = distribution switch
            {
                "uniform" => random.NextDouble(),
                "exponential" => -Math.Log(1 - random.NextDouble()),
                "pareto" => Math.Pow(1 - random.NextDouble(), -1 / 1.1), // heavy tail, barely finite mean
                "ascending" => i,
                "descending" => n - i,
                "duplicates" => random.Next(7),
                "infinities" => random.Next(10) switch
                {
                    0 => double.PositiveInfinity,
                    1 => double.NegativeInfinity,
                    _ => random.NextDouble(),
                },
                "constant" => 3.5,
                "drifting up" => i + (random.NextDouble() * 10_000), // a slowly rising latency, noisy
                "drifting down" => -i + (random.NextDouble() * 10_000),
                _ => throw new ArgumentException(distribution),
            };
        }

        return data;
    }

    /// <summary>
    /// Twice Σ 1/ε_j: around each target a band of 2ε_j·n ranks is covered by samples of g + Δ up to about ε_j·n, and
    /// away from the targets the invariant grows linearly, which adds the same order again. No worst-case bound is
    /// proven for CKMS; with the halved slopes of <see cref="QuantileTargets"/> the samples observed stay far below this
    /// (about 100 for stationary data, up to about 1,300 for a drifting series at n = 10^6), while the unmodified
    /// invariant keeps one sample per few values of a descending series (over 20,000 at 10^6).
    /// </summary>
    private static int SampleBound(double[] quantiles)
    {
        double sum = 0;
        foreach (double phi in quantiles)
        {
            sum += 1 / QuantileTargets.ErrorFor(phi);
        }

        return (int)(2 * sum);
    }
}
