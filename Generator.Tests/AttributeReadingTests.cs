using System.Linq;
using Xunit;

namespace MetricsGen.Generator.Tests;

/// <summary>
/// Attributes whose arguments are plain literals are read from syntax; anything else (constants, expressions,
/// aliases, qualified names, collection expressions) is read from the bound attribute. Both must give the same code
/// and the same diagnostics.
/// </summary>
public sealed class AttributeReadingTests
{
    private const string Literals = """
        using MetricsGen;

        namespace App;

        public enum Outcome { Ok, [LabelValue("bad")] Failed }

        [GatewayMetric(Prefix = "app")]
        public partial class AppMetrics
        {
            [Counter("calls", Help = "Calls.", Exemplars = true, MaxSeries = 50, ExpireAfterSeconds = 30)]
            public partial Counter Calls([Label("route_name")] string route, Outcome outcome);

            [Histogram(Help = "Latency.", Unit = "seconds", Buckets = new[] { -1, -0, 0.5, 2 }, Native = true, NativeBucketFactor = 2, NativeMaxBuckets = 100, NativeZeroThreshold = 1e-10)]
            public partial Histogram LatencySeconds();

            [Summary(Help = @"Payload ""sizes"".", Quantiles = new double[] { 0.5, 0.99 }, MaxAgeSeconds = 120, AgeBuckets = 3)]
            public partial Summary PayloadBytes(string route);

            [property: Gauge(Help = "Busy.")]
            public partial Gauge Busy { get; }

            [Info(Help = "SetBuild")]
            public partial void SetBuild(string version, long number);

            [StateSet(Help = "Last.")]
            public partial StateSet<Outcome> Last { get; }

            [Gauge(Help = "Queue length.")]
            public int QueueLength => 3;

            [Histogram(Help = "Bad buckets.", Buckets = new double[] { 2, 1 })]
            public partial Histogram Broken();
        }
        """;

    private const string Expressions = """
        using MetricsGen;
        using C = MetricsGen.CounterAttribute;

        namespace App;

        public enum Outcome { Ok, [LabelValue("bad")] Failed }

        internal static class Names
        {
            public const string Calls = "calls";
            public const double Half = 0.5;
        }

        [GatewayMetric(Prefix = "app")]
        public partial class AppMetrics
        {
            [C(Names.Calls, Help = "Cal" + "ls.", Exemplars = !false, MaxSeries = 25 * 2, ExpireAfterSeconds = (double)30)]
            public partial Counter Calls([MetricsGen.Label("route" + "_name")] string route, Outcome outcome);

            [MetricsGen.Histogram(Help = "Lat" + "ency.", Unit = "seconds", Buckets = [-1, -0, Names.Half, 2], Native = true, NativeBucketFactor = 2, NativeMaxBuckets = 100, NativeZeroThreshold = 1e-10)]
            public partial Histogram LatencySeconds();

            [SummaryAttribute(Help = "Payload \"sizes\".", Quantiles = [Names.Half, 0.99], MaxAgeSeconds = 2 * 60, AgeBuckets = +3)]
            public partial Summary PayloadBytes(string route);

            [property: global::MetricsGen.Gauge(Help = "Busy.")]
            public partial Gauge Busy { get; }

            [Info(name: null, Help = nameof(SetBuild))]
            public partial void SetBuild(string version, long number);

            [StateSet(Help = $"Last.")]
            public partial StateSet<Outcome> Last { get; }

            [Gauge(Help = "Queue " + "length.")]
            public int QueueLength => 3;

            [Histogram(Help = "Bad buckets.", Buckets = [2, 1])]
            public partial Histogram Broken();
        }
        """;

    [Fact]
    public void LiteralsReadFromSyntaxMatchTheBoundAttributes()
    {
        GeneratorRun literals = GeneratorHarness.Run(Literals);
        GeneratorRun expressions = GeneratorHarness.Run(Expressions);

        Assert.Equal(expressions.SingleSource, literals.SingleSource);
        Assert.Equal(Describe(expressions), Describe(literals));
        Assert.Contains("MG0013", Describe(literals));
        Assert.Contains("\"route_name\"u8", literals.SingleSource);
        Assert.Contains("new double[] { -1.0, 0.0, 0.5, 2.0 }", literals.SingleSource);
    }

    [Fact]
    public void AnAttributeNamedLikeOursButNotOursIsIgnored()
    {
        // App.GaugeAttribute is found before the using's MetricsGen.GaugeAttribute, so [Gauge] here is not a metric.
        GeneratorRun run = GeneratorHarness.Run("""
            using MetricsGen;

            namespace App;

            public sealed class GaugeAttribute : System.Attribute { }

            [GatewayMetric]
            public partial class AppMetrics
            {
                [Counter(Help = "Calls.")]
                public partial Counter Calls();

                [Gauge]
                public int NotAMetric => 1;
            }
            """);

        Assert.Empty(run.Diagnostics);
        GeneratorHarness.AssertCompilesCleanly(run);
        Assert.Contains("\"calls_total\"", run.SingleSource);
        Assert.DoesNotContain("not_a_metric", run.SingleSource);
    }

    [Fact]
    public void NamesResolvedForOneClassAreNotReusedWhereAFileOrClassTypeShadowsThem()
    {
        // Classes with the same usings share attribute name lookups; a file-local or nested GaugeAttribute must still
        // win in its own file or class, whichever class is read first.
        static string Plain(string name) => $$"""
            using MetricsGen;

            namespace App;

            [GatewayMetric]
            public partial class {{name}}
            {
                [Gauge(Help = "Busy.")]
                public partial Gauge Busy { get; }
            }
            """;
        const string fileLocal = """
            using MetricsGen;

            namespace App;

            file sealed class GaugeAttribute : System.Attribute { }

            [GatewayMetric]
            public partial class FileShadowed
            {
                [Counter(Help = "Calls.")]
                public partial Counter Calls();

                [Gauge]
                public int NotAMetric => 1;
            }
            """;
        const string nested = """
            using MetricsGen;

            namespace App;

            [GatewayMetric]
            public partial class NestedShadowed
            {
                [Counter(Help = "Calls.")]
                public partial Counter Calls();

                [Gauge]
                public int NotAMetric => 1;

                private sealed class GaugeAttribute : System.Attribute { }
            }
            """;

        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(
            GeneratorHarness.Parse(Plain("First"), "First.cs"),
            GeneratorHarness.Parse(fileLocal, "FileShadowed.cs"),
            GeneratorHarness.Parse(nested, "NestedShadowed.cs"),
            GeneratorHarness.Parse(Plain("Last"), "Last.cs")));

        Assert.Empty(run.Diagnostics);
        GeneratorHarness.AssertCompilesCleanly(run);
        string[] sources = run.Result.GeneratedSources.Select(source => source.SourceText.ToString()).ToArray();
        Assert.Equal(4, sources.Length);
        Assert.Equal(2, sources.Count(source => source.Contains("\"busy\"")));
        Assert.Equal(2, sources.Count(source => source.Contains("\"calls_total\"")));
        Assert.DoesNotContain(sources, source => source.Contains("not_a_metric"));
    }

    private static string Describe(GeneratorRun run) =>
        string.Join("\n", run.Diagnostics.Select(diagnostic => $"{diagnostic.Id} {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}"));
}
