using System;
using System.Diagnostics;
using System.Globalization;

namespace MetricsGen.Benchmarks;

/// <summary>
/// Benchmark cases in a plain loop for a sampling profiler (<c>DOTNET_PerfMapEnabled=1 perf record -e cpu-clock</c>)
/// and for quick A/B runs of two builds: <c>exposition-loop</c>, <c>lookup-loop</c> and <c>generator-loop</c>, each
/// with an optional duration in seconds (default 10). Each prints the mean time of one call.
/// </summary>
internal static class ExpositionLoopMode
{
    /// <summary><c>Benchmarks exposition-loop [SECONDS]</c>: case 4b's MetricsGen update + scrape (10,000 fractional series, all changed).</summary>
    public static int Run(string[] args)
    {
        var bench = new FractionalExpositionBenchmarks();
        bench.Setup();
        (long scrapes, TimeSpan elapsed) = Loop(args, bench.MetricsGen);
        Console.WriteLine($"{scrapes} scrapes, {elapsed.TotalMilliseconds / scrapes:F3} ms per update + scrape");
        bench.Cleanup();
        return 0;
    }

    /// <summary><c>Benchmarks lookup-loop [SECONDS]</c>: case 1b's alternating lookup + <c>Inc()</c>.</summary>
    public static int RunLookup(string[] args)
    {
        var bench = new AlternatingLabelBenchmarks();
        bench.Setup();
        (long calls, TimeSpan elapsed) = Loop(args, bench.MetricsGen, batch: 100_000);
        Console.WriteLine($"{calls} calls, {elapsed.TotalMilliseconds * 1e6 / calls:F2} ns per lookup + Inc()");
        bench.Cleanup();
        return 0;
    }

    /// <summary><c>Benchmarks generator-loop [SECONDS]</c>: case 8's 200-class full run.</summary>
    public static int RunGenerator(string[] args)
    {
        var bench = new GeneratorBenchmarks();
        bench.Setup();
        (long runs, TimeSpan elapsed) = Loop(args, () => bench.TwoHundredClassesOf10Metrics());
        Console.WriteLine($"{runs} runs, {elapsed.TotalMilliseconds / runs:F1} ms per full run of 200 classes");
        return 0;
    }

    /// <summary>Calls <paramref name="body"/> in batches until the seconds given in <c>args[1]</c> have passed.</summary>
    private static (long Calls, TimeSpan Elapsed) Loop(string[] args, Action body, int batch = 1)
    {
        double seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        var clock = Stopwatch.StartNew();
        long calls = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            for (int i = 0; i < batch; i++)
            {
                body();
            }

            calls += batch;
        }

        return (calls, clock.Elapsed);
    }
}
