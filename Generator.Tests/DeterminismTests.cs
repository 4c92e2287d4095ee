using Xunit;

namespace MetricsGen.Generator.Tests;

/// <summary>The generated text depends only on what is declared, not on runs, file order or how a class is split.</summary>
public sealed class DeterminismTests
{
    private const string PartOne = """
        using MetricsGen;

        namespace Split;

        public enum Tier { Free, Paid }

        [GatewayMetric(Prefix = "split")]
        public partial class SplitMetrics
        {
            [Counter(Help = "Logins by tier.")]
            public partial Counter Logins(Tier tier);

            [Gauge(Help = "Sessions open.")]
            public partial Gauge Sessions { get; }
        }
        """;

    private const string PartTwo = """
        using MetricsGen;

        namespace Split;

        public enum Region { North, South }

        public partial class SplitMetrics
        {
            [Histogram(Help = "Page load time.", Unit = "seconds")]
            public partial Histogram LoadSeconds(string page);

            [Counter(Help = "Signups by region and tier.")]
            public partial Counter Signups(Region region, Tier tier);
        }
        """;

    [Fact]
    public void GeneratingTwiceGivesTheSameText()
    {
        string first = GeneratorHarness.Run(SnapshotTests.GatewayMetricsSource).SingleSource;
        string second = GeneratorHarness.Run(SnapshotTests.GatewayMetricsSource).SingleSource;
        Assert.Equal(first, second);
    }

    [Fact]
    public void PartialFilesInEitherOrderGiveTheSameText()
    {
        GeneratorRun forward = GeneratorHarness.Run(PartOne, PartTwo);
        GeneratorRun backward = GeneratorHarness.Run(PartTwo, PartOne);
        Assert.Empty(forward.Diagnostics);
        Assert.Empty(backward.Diagnostics);
        GeneratorHarness.AssertCompilesCleanly(forward);
        GeneratorHarness.AssertCompilesCleanly(backward);
        Assert.Equal(forward.SingleSource, backward.SingleSource);
        Assert.Contains("Signups(global::Split.Region region, global::Split.Tier tier)", forward.SingleSource);
        Assert.Contains("Logins(global::Split.Tier tier)", forward.SingleSource);
    }

    [Fact]
    public void SplitClassGivesTheSameTextAsOneDeclaration()
    {
        string whole = """
            using MetricsGen;

            namespace Split;

            public enum Tier { Free, Paid }
            public enum Region { North, South }

            [GatewayMetric(Prefix = "split")]
            public partial class SplitMetrics
            {
                [Counter(Help = "Signups by region and tier.")]
                public partial Counter Signups(Region region, Tier tier);

                [Histogram(Help = "Page load time.", Unit = "seconds")]
                public partial Histogram LoadSeconds(string page);

                [Gauge(Help = "Sessions open.")]
                public partial Gauge Sessions { get; }

                [Counter(Help = "Logins by tier.")]
                public partial Counter Logins(Tier tier);
            }
            """;
        Assert.Equal(GeneratorHarness.Run(whole).SingleSource, GeneratorHarness.Run(PartOne, PartTwo).SingleSource);
    }
}
