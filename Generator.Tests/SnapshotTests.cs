using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace MetricsGen.Generator.Tests;

/// <summary>
/// The generated source of representative classes, checked against committed snapshots. Every test also compiles
/// the generated source with the input so that a snapshot can never hold code that does not build.
/// </summary>
public sealed class SnapshotTests
{
    /// <summary>
    /// The Sample's own GatewayMetrics class, read from Sample/GatewayMetrics.cs: the snapshot holds exactly what the
    /// Sample compiles, so the two cannot drift apart.
    /// </summary>
    internal static string GatewayMetricsSource { get; } = ReadRepositorySource("Sample", "GatewayMetrics.cs");

    [Fact]
    public void GatewayMetrics() => VerifyGenerated(GatewayMetricsSource);

    /// <summary>
    /// The metric model issue's own example (summary, info, state sets, exemplars, callbacks), read from the runtime
    /// tests that run it, so the snapshot holds what those tests execute.
    /// </summary>
    internal static string JobMetricsSource { get; } = ReadRepositorySource("Runtime.Tests", "MetricModel", "JobMetrics.cs");

    [Fact]
    public void JobMetrics() => VerifyGenerated(JobMetricsSource);

    /// <summary>The native histogram issue's example, read from the runtime tests that run it.</summary>
    [Fact]
    public void NativeHistograms() => VerifyGenerated(ReadRepositorySource("Runtime.Tests", "Native", "NativeMetrics.cs"));

    [Fact]
    public void EnumAndBoolLabels() => VerifyGenerated("""
        using MetricsGen;

        namespace Shop.Telemetry;

        public enum Region { Eu, Us, Asia }
        public enum Channel { Web, Mobile }

        [GatewayMetric(Prefix = "shop")]
        internal partial class CheckoutMetrics
        {
            [Counter(Help = "Checkouts by region, channel and whether a coupon was used.")]
            internal partial Counter Checkouts(Region region, Channel channel, bool couponUsed);

            [Gauge(Help = "Open carts per region.")]
            public partial Gauge OpenCarts(Region region);

            [Counter("retries", Help = "Payment retries, by outcome.")]
            public partial Counter Retries(bool succeeded);
        }
        """);

    [Fact]
    public void NonZeroBasedEnumWithLabelValues() => VerifyGenerated("""
        using MetricsGen;

        namespace Http;

        public enum StatusClass : short
        {
            [LabelValue("1xx")] Informational = 1,
            [LabelValue("2xx")] Success = 2,
            [LabelValue("3xx")] Redirect = 3,
            [LabelValue("4xx")] ClientError = 4,
            [LabelValue("5xx")] ServerError = 5,
            Fault = 5,
        }

        public enum Verb { Get = 10, Post = 20, [LabelValue("DELETE \"all\"")] Delete = 30 }

        [GatewayMetric(Prefix = "http")]
        public partial class HttpMetrics
        {
            [Counter("responses", Help = "Responses by status class and verb.")]
            public partial Counter Responses(StatusClass statusClass, Verb verb);

            [Counter("routed", Help = "Requests by route and verb.")]
            public partial Counter Routed(string route, Verb verb);
        }
        """);

    [Fact]
    public void IntegralLabels() => VerifyGenerated("""
        using MetricsGen;

        namespace Storage;

        [GatewayMetric]
        public partial class ShardMetrics
        {
            [Counter(Help = "Writes by shard, partition, node and generation.")]
            public partial Counter Writes(int shard, long partition, byte node, ulong generation);

            [Gauge(Help = "Queue depth by worker.")]
            public partial Gauge QueueDepth(ushort worker, sbyte priority, short lane, uint slot);
        }
        """);

    [Fact]
    public void HistogramWithDefaultBucketsAndUnit() => VerifyGenerated("""
        using MetricsGen;

        namespace Jobs;

        [GatewayMetric(Prefix = "jobs")]
        public partial class JobMetrics
        {
            [Histogram(Help = "How long a job ran.", Unit = "seconds")]
            public partial Histogram RunDurationSeconds { get; }

            [Histogram("payload_bytes", Help = "Payload size.", Unit = "bytes", Buckets = new[] { 1024.0, 65536.0, 1048576.0 })]
            public partial Histogram PayloadSize(string queue);

            [Counter("processed_seconds_total", Help = "Processing time spent.", Unit = "seconds")]
            public partial Counter ProcessedTime { get; }
        }
        """);

    [Fact]
    public void RecordClassCompiles()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using MetricsGen;

            namespace Records;

            [GatewayMetric(Prefix = "rec")]
            public sealed partial record RecordMetrics
            {
                [Counter(Help = "Jobs done.")]
                public partial Counter Jobs(bool failed);
            }
            """);
        GeneratorHarness.AssertCompilesCleanly(run);
        Assert.Contains("partial record RecordMetrics : global::MetricsGen.IMetricSource", run.SingleSource);
    }

    [Fact]
    public void GlobalNamespace() => VerifyGenerated("""
        using MetricsGen;

        [GatewayMetric(Prefix = "app")]
        public partial class GlobalMetrics
        {
            [Counter(Help = "Started.")]
            public partial Counter Starts { get; }
        }
        """);

    [Fact]
    public void NestedClass() => VerifyGenerated("""
        using MetricsGen;

        namespace Outer.Space;

        public static partial class Telemetry
        {
            internal partial struct Holder
            {
                [GatewayMetric(Prefix = "nested")]
                internal sealed partial class Metrics
                {
                    [Counter(Help = "Events seen.")]
                    public partial Counter Events(string kind);
                }
            }
        }
        """);

    [Fact]
    public void HelpFromDocumentationComment() => VerifyGenerated("""
        using MetricsGen;

        namespace Docs;

        public enum Mode { Fast, Slow }

        [GatewayMetric]
        public partial class DocMetrics
        {
            /// <summary>
            /// Lookups done by the <see cref="System.Collections.Generic.Dictionary{TKey, TValue}"/> cache,
            /// per <paramref name="mode"/> &amp; outcome.
            /// </summary>
            /// <param name="mode">The mode.</param>
            [Counter]
            public partial Counter Lookups(Mode mode);

            /** <summary>Entries currently held, with a "quoted" word and a back\slash.</summary> */
            [Gauge]
            public partial Gauge Entries { get; }

            /// <summary>Overridden by Help.</summary>
            [Gauge(Help = "Help wins over the summary.")]
            public partial Gauge Capacity { get; }
        }
        """);

    private static void VerifyGenerated(string source, [System.Runtime.CompilerServices.CallerMemberName] string testMethod = "")
    {
        GeneratorRun run = GeneratorHarness.Run(source);
        Assert.Empty(run.Diagnostics);
        GeneratorHarness.AssertCompilesCleanly(run);
        Snapshot.Verify(run.SingleSource, testMethod: testMethod);
    }

    /// <summary>A source file of this repository, by its path below the repository root.</summary>
    private static string ReadRepositorySource(params string[] path) =>
        System.IO.File.ReadAllText(System.IO.Path.Combine(RepositoryRoot(), System.IO.Path.Combine(path)));

    private static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string testFile = "") =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(testFile)!, "..");
}
