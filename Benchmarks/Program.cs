using System;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace MetricsGen.Benchmarks;

/// <summary>
/// <c>Benchmarks memory</c> prints the memory-per-series table; <c>Benchmarks serve LIBRARY PORT</c> serves 10,000
/// series over HTTP for <c>Benchmarks/http.sh</c> (case 5); <c>Benchmarks formatter [COUNT] [SEED]</c> runs the long
/// differential test of the double formatter; anything else goes to BenchmarkDotNet
/// (for example <c>--filter '*'</c>, <c>--job short</c>).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "memory")
        {
            return MemoryMode.Run();
        }

        if (args.Length > 0 && args[0] == "formatter")
        {
            return FormatterMode.Run(args);
        }

        if (args.Length > 0 && args[0] == "generator-loop")
        {
            return ExpositionLoopMode.RunGenerator(args);
        }

        if (args.Length > 0 && args[0] == "lookup-loop")
        {
            return ExpositionLoopMode.RunLookup(args);
        }

        if (args.Length > 0 && args[0] == "exposition-loop")
        {
            return ExpositionLoopMode.Run(args);
        }

        if (args.Length > 0 && args[0] == "serve")
        {
            return ServeMode.Run(args);
        }

        IConfig config = DefaultConfig.Instance;
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return summaries.Any(summary => summary.HasCriticalValidationErrors) ? 1 : 0;
    }
}
