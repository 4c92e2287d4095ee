using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace MetricsGen.Generator.Tests;

/// <summary>
/// The pipeline must cache: re-running on an unchanged or unrelated-change compilation may not rebuild anything,
/// and a real change to a metric class must come through as a modified model.
/// </summary>
public sealed class IncrementalTests
{
    private const string MetricsSource = """
        using MetricsGen;

        namespace App;

        public enum Outcome { Ok, Failed }

        [GatewayMetric(Prefix = "app")]
        public partial class AppMetrics
        {
            [Counter(Help = "Calls by route and outcome.")]
            public partial Counter Calls(string route, Outcome outcome);

            [Gauge(Help = "Workers busy.")]
            public partial Gauge Busy { get; }

            [Histogram(Help = "Job latency.", Buckets = new[] { 0.1, 1.0 })]
            public partial Histogram JobSeconds();

            [Summary(Help = "Payload sizes.", Quantiles = new[] { 0.5, 0.9 })]
            public partial Summary PayloadBytes(string route);

            [Info("build", Help = "Build information.")]
            public partial void SetBuild(string version);

            [StateSet(Help = "Last outcome.")]
            public partial StateSet<Outcome> Last { get; }

            [Gauge(Help = "Queue length, read at scrape.")]
            public int QueueLength => 3;
        }
        """ + SecondPart;

    // A part without [GatewayMetric]: the orphan checks bind only such members, and every step must have outputs.
    private const string SecondPart = """

        public partial class AppMetrics
        {
            [Counter(Help = "Retries.")] public partial Counter Retries();
            [Gauge(Help = "Idle workers.")] public partial Gauge Idle { get; }
            [Histogram(Help = "Queue wait.")] public partial Histogram WaitSeconds();
            [Summary(Help = "Response sizes.")] public partial Summary ResponseBytes();
            [Info("runtime", Help = "Runtime information.")] public partial void SetRuntime(string version);
            [StateSet(Help = "Mode.")] public partial StateSet<Outcome> Mode { get; }
        }
        """;

    private const string OtherSource = """
        namespace App;

        public sealed class Unrelated
        {
            public int Value { get; set; }
        }
        """;

    /// <summary>Every constant of <see cref="TrackingNames"/>, found by reflection so that a new step cannot escape.</summary>
    public static IReadOnlyList<string> AllTrackingNames { get; } = typeof(TrackingNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(field => field.IsLiteral && field.FieldType == typeof(string))
        .Select(field => (string)field.GetRawConstantValue()!)
        .ToList();

    [Fact]
    public void TrackingNamesAreFound()
    {
        Assert.Contains(TrackingNames.ParseResults, AllTrackingNames);
        Assert.Contains(TrackingNames.Models, AllTrackingNames);
        Assert.Contains(TrackingNames.Diagnostics, AllTrackingNames);
        Assert.Equal(AllTrackingNames.Count, AllTrackingNames.Distinct().Count());
    }

    [Fact]
    public void RerunOnSameCompilationIsCached()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(MetricsSource, OtherSource);
        GeneratorRun first = GeneratorHarness.Run(compilation);
        GeneratorRun second = GeneratorHarness.Run(first.Driver, compilation);

        AssertAllStepsCached(second.Result);
        Assert.Equal(first.SingleSource, second.SingleSource);
    }

    [Fact]
    public void AddingAnUnrelatedTreeIsCached()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(MetricsSource, OtherSource);
        GeneratorRun first = GeneratorHarness.Run(compilation);
        Compilation changed = compilation.AddSyntaxTrees(GeneratorHarness.Parse("namespace App; public record Extra(int Id);", "Extra.cs"));
        GeneratorRun second = GeneratorHarness.Run(first.Driver, changed);

        AssertAllStepsCached(second.Result);
        Assert.Equal(first.SingleSource, second.SingleSource);
    }

    [Fact]
    public void EditingAnUnrelatedFileIsCached()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(MetricsSource, OtherSource);
        GeneratorRun first = GeneratorHarness.Run(compilation);
        SyntaxTree other = compilation.SyntaxTrees.Single(tree => tree.FilePath == "Test1.cs");
        Compilation changed = compilation.ReplaceSyntaxTree(
            other,
            GeneratorHarness.Parse("// A comment.\n" + OtherSource.Replace("Value", "Amount") + "\npublic class More { }\n", "Test1.cs"));
        GeneratorRun second = GeneratorHarness.Run(first.Driver, changed);

        AssertAllStepsCached(second.Result);
        Assert.Equal(first.SingleSource, second.SingleSource);
    }

    [Fact]
    public void OrphanDiagnosticIsCachedAndStillReportedAfterAnUnrelatedEdit()
    {
        const string orphan = """
            using MetricsGen;
            public partial class Forgotten
            {
                [Counter(Help = "h")] public partial Counter Dropped();
            }
            """;
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(MetricsSource, orphan, OtherSource);
        GeneratorRun first = GeneratorHarness.Run(compilation);
        Assert.Equal("MG0017", Assert.Single(first.Diagnostics).Id);

        SyntaxTree other = compilation.SyntaxTrees.Single(tree => tree.FilePath == "Test2.cs");
        Compilation changed = compilation.ReplaceSyntaxTree(other, GeneratorHarness.Parse(OtherSource + "\n// edited\n", "Test2.cs"));
        GeneratorRun second = GeneratorHarness.Run(first.Driver, changed);

        Assert.Equal("MG0017", Assert.Single(second.Diagnostics).Id);
        Assert.All(
            second.Result.TrackedOutputSteps.SelectMany(pair => pair.Value).SelectMany(step => step.Outputs),
            output => Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"An output step is {output.Reason}."));
    }

    [Fact]
    public void EditingTheMetricClassModifiesTheModel()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(MetricsSource, OtherSource);
        GeneratorRun first = GeneratorHarness.Run(compilation);
        SyntaxTree metrics = compilation.SyntaxTrees.Single(tree => tree.FilePath == "Test0.cs");
        Compilation changed = compilation.ReplaceSyntaxTree(
            metrics,
            GeneratorHarness.Parse(MetricsSource.Replace("Workers busy.", "Workers currently busy."), "Test0.cs"));
        GeneratorRun second = GeneratorHarness.Run(first.Driver, changed);

        IncrementalStepRunReason reason = Assert.Single(Outputs(second.Result, TrackingNames.Models)).Reason;
        Assert.Equal(IncrementalStepRunReason.Modified, reason);
        Assert.Contains("Workers currently busy.", second.SingleSource);

        // The diagnostics did not change (there are none), so that step must still be cached.
        Assert.All(Outputs(second.Result, TrackingNames.Diagnostics), output => Assert.True(
            output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
            $"Diagnostics output was {output.Reason}"));
    }

    [Fact]
    public void EquivalentSourceGivesEqualModelAndCachedOutputs()
    {
        // The same class below another declaration, with comments and different whitespace.
        const string Equivalent = """
            using MetricsGen;

            namespace App;

            // The enum now comes after a new, unrelated type.
            internal static class Helpers { }

            public enum Outcome { Ok, Failed }

            /* The metrics. */
            [GatewayMetric(Prefix = "app")]
            public partial class AppMetrics
            {
                [Counter(Help = "Calls by route and outcome.")]   public partial Counter Calls(string route, Outcome outcome);

                // A comment between members.
                [Gauge(Help = "Workers busy.")]
                public partial Gauge Busy { get; }

                [Histogram(Help = "Job latency.", Buckets = new[] { 0.1, 1.0 })]
                public partial Histogram JobSeconds();

                [Summary(Help = "Payload sizes.", Quantiles = new[] { 0.5, 0.9 })] public partial Summary PayloadBytes(string route);

                [Info("build", Help = "Build information.")]
                public partial void SetBuild(string version);

                [StateSet(Help = "Last outcome.")] public partial StateSet<Outcome> Last { get; }

                [Gauge(Help = "Queue length, read at scrape.")]
                public int QueueLength => 3;   // a callback
            }
            """ + SecondPart;

        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(MetricsSource, OtherSource);
        GeneratorRun first = GeneratorHarness.Run(compilation);
        SyntaxTree metrics = compilation.SyntaxTrees.Single(tree => tree.FilePath == "Test0.cs");
        GeneratorRun second = GeneratorHarness.Run(first.Driver, compilation.ReplaceSyntaxTree(metrics, GeneratorHarness.Parse(Equivalent, "Test0.cs")));

        object firstModel = Assert.Single(Outputs(first.Result, TrackingNames.Models)).Value;
        object secondModel = Assert.Single(Outputs(second.Result, TrackingNames.Models)).Value;
        Assert.Equal(firstModel, secondModel);

        // The transform ran again on the changed file and produced an equal result, which the driver kept.
        Assert.Equal(IncrementalStepRunReason.Unchanged, Assert.Single(Outputs(second.Result, TrackingNames.ParseResults)).Reason);

        // The transform had to run again (its file changed), but everything it produced is equal.
        AssertAllStepsCached(second.Result);
        Assert.Equal(first.SingleSource, second.SingleSource);

        // A fresh run over the equivalent source alone gives an equal model too.
        GeneratorRun fresh = GeneratorHarness.Run(Equivalent);
        object freshModel = Assert.Single(Outputs(fresh.Result, TrackingNames.Models)).Value;
        Assert.NotSame(firstModel, freshModel);
        Assert.Equal(firstModel, freshModel);
        Assert.Equal(firstModel.GetHashCode(), freshModel.GetHashCode());
    }

    internal static IEnumerable<(object Value, IncrementalStepRunReason Reason)> Outputs(GeneratorRunResult result, string stepName)
    {
        Assert.True(result.TrackedSteps.TryGetValue(stepName, out ImmutableArray<IncrementalGeneratorRunStep> steps), $"No tracked step '{stepName}'.");
        return steps.SelectMany(step => step.Outputs);
    }

    private static void AssertAllStepsCached(GeneratorRunResult result)
    {
        Assert.NotEmpty(AllTrackingNames);
        foreach (string name in AllTrackingNames)
        {
            var outputs = Outputs(result, name).ToList();
            Assert.True(outputs.Count > 0, $"Step '{name}' has no outputs, so caching was not checked.");
            foreach ((object _, IncrementalStepRunReason reason) in outputs)
            {
                Assert.True(
                    reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                    $"Step '{name}' has an output that is {reason}.");
            }
        }

        // The source output must not have run again either.
        Assert.All(
            result.TrackedOutputSteps.SelectMany(pair => pair.Value).SelectMany(step => step.Outputs),
            output => Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"An output step is {output.Reason}."));
    }
}
