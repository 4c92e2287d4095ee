using System;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace MetricsGen.Benchmarks;

/// <summary>
/// <c>Benchmarks memory</c> prints the memory-per-series table; anything else goes to BenchmarkDotNet
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

        IConfig config = DefaultConfig.Instance;
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return summaries.Any(summary => summary.HasCriticalValidationErrors) ? 1 : 0;
    }
}
