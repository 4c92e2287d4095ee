using System;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using MetricsGen.Generator.Analyzers;
using Microsoft.CodeAnalysis.CodeFixes;
using Xunit;

namespace MetricsGen.CodeFixes.Tests;

/// <summary>What hosts need to find the fixes, and the analyzer's side of the bargain.</summary>
public sealed class RegistrationTests
{
    private static readonly CodeFixProvider[] Fixers = typeof(FixIds).Assembly.GetTypes()
        .Where(type => typeof(CodeFixProvider).IsAssignableFrom(type) && !type.IsAbstract)
        .Select(type => (CodeFixProvider)Activator.CreateInstance(type)!)
        .ToArray();

    [Fact]
    public void EveryAnalyzerDiagnosticHasAFixAndEveryFixAnId()
    {
        // One ID per analyzer: dotnet format hands a fixer the first diagnostic of the analyzers that support the ID it fixes.
        Assert.All(DeclarationAnalyzer.CreateAll(), analyzer => Assert.Single(analyzer.SupportedDiagnostics));
        var analyzed = DeclarationAnalyzer.CreateAll().SelectMany(analyzer => analyzer.SupportedDiagnostics).Select(descriptor => descriptor.Id).OrderBy(id => id).ToArray();
        var fixedIds = Fixers.SelectMany(fixer => fixer.FixableDiagnosticIds).Except(RenameMetricFix.LintIds).OrderBy(id => id).ToArray();
        Assert.Equal(new[] { "MG0001", "MG0003", "MG0005", "MG0006", "MG0013", "MG0014", "MG0017" }, analyzed);
        Assert.Equal(analyzed, fixedIds);
        // Every concrete analyzer in the generator assembly is one the package's hosts will find.
        var exported = typeof(DeclarationAnalyzer).Assembly.GetTypes().Where(type => type.IsSubclassOf(typeof(DeclarationAnalyzer)) && !type.IsAbstract).ToArray();
        Assert.Equal(7, exported.Length);
        Assert.All(exported, type => Assert.NotNull(type.GetCustomAttribute<Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzerAttribute>()));
    }

    [Fact]
    public void EveryFixIsExportedAndFixesAll()
    {
        Assert.Equal(5, Fixers.Length);
        foreach (CodeFixProvider fixer in Fixers)
        {
            // The IDE and dotnet format find fixes through this MEF export; Fix All is what dotnet format runs.
            Assert.NotNull(fixer.GetType().GetCustomAttribute<ExportCodeFixProviderAttribute>());
            Assert.Same(WellKnownFixAllProviders.BatchFixer, fixer.GetFixAllProvider());
        }
    }

    /// <summary>
    /// With the generator's output in the compilation, as in every real build: the members it implemented are not
    /// "already implemented" (MG0003). Caught by the package suite's first build before this test existed.
    /// </summary>
    [Fact]
    public Task ValidDeclarationsHaveNoAnalyzerDiagnostics() => Verify<MakeClassPartialFix>.CleanBuildAsync("""
        using MetricsGen;
        public enum Tier { Free, Paid }

        [GatewayMetric(Prefix = "shop")]
        public partial class Metrics
        {
            [Counter("requests", Help = "h")] public partial Counter Requests(string route, Tier tier);
            [Histogram("latency_seconds", Unit = "seconds", Help = "h", Buckets = new[] { 0.1, 1, 10 })] public partial Histogram Latency();
            [Gauge(Help = "h")] public partial Gauge Level { get; }
            [Gauge(Help = "h")] public int Callback => 1;
        }

        public partial class Metrics
        {
            // The class is marked in its other part, so no MG0017 (as the generator decides it).
            [Counter(Help = "h")] public partial Counter More();
        }
        """);

    [Fact]
    public Task TheAnalyzerReportsOnlyTheFixableIds() => Verify<MakeClassPartialFix>.NoFixAsync("""
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            // MG0015 (no help) and MG0004 (return type) stay with the generator.
            [Counter] public partial Counter NoHelp();
            [Counter(Help = "h")] public partial Gauge WrongType();
        }
        """);
}
