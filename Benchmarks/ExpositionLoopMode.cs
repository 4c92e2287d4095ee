using System;
using System.Diagnostics;
using System.Globalization;

namespace MetricsGen.Benchmarks;

/// <summary>
/// <c>Benchmarks exposition-loop [SECONDS]</c>: case 4b's MetricsGen scrape (10,000 fractional series, all changed)
/// in a loop, for a sampling profiler (<c>DOTNET_PerfMapEnabled=1 perf record -e cpu-clock</c>); prints ms per scrape.
/// </summary>
internal static class ExpositionLoopMode
{
    /// <summary><c>Benchmarks generator-loop [SECONDS]</c>: case 8's 200-class full run in a loop, for a profiler.</summary>
    public static int RunGenerator(string[] args)
    {
        double seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        var bench = new GeneratorBenchmarks();
        bench.Setup();
        var clock = Stopwatch.StartNew();
        int runs = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            bench.TwoHundredClassesOf10Metrics();
            runs++;
        }

        Console.WriteLine($"{runs} runs, {clock.Elapsed.TotalMilliseconds / runs:F1} ms per full run of 200 classes");
        return 0;
    }

    /// <summary><c>Benchmarks lookup-loop [SECONDS]</c>: case 1b's alternating lookup + <c>Inc()</c> in a loop, for a profiler.</summary>
    public static int RunLookup(string[] args)
    {
        double seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        var bench = new AlternatingLabelBenchmarks();
        bench.Setup();
        var clock = Stopwatch.StartNew();
        long calls = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            for (int i = 0; i < 100_000; i++)
            {
                bench.MetricsGen();
            }

            calls += 100_000;
        }

        Console.WriteLine($"{calls} calls, {clock.Elapsed.TotalMilliseconds * 1e6 / calls:F2} ns per lookup + Inc()");
        bench.Cleanup();
        return 0;
    }

    public static int Run(string[] args)
    {
        double seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        var bench = new FractionalExpositionBenchmarks();
        bench.Setup();
        var clock = Stopwatch.StartNew();
        long scrapes = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            bench.MetricsGen();
            scrapes++;
        }

        Console.WriteLine($"{scrapes} scrapes, {clock.Elapsed.TotalMilliseconds / scrapes:F3} ms per update + scrape");
        bench.Cleanup();
        return 0;
    }
}
