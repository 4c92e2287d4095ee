using System.Threading.Tasks;
using Xunit;

namespace MetricsGen.CodeFixes.Tests;

public sealed class MakeClassPartialFixTests
{
    [Fact]
    public Task MG0001_AddsPartial() => Verify<MakeClassPartialFix>.FixAsync("""
        using MetricsGen;

        namespace App;

        /// <summary>Metrics.</summary>
        [GatewayMetric]
        public sealed class {|MG0001:Metrics|}
        {
            [Counter(Help = "h")] public partial Counter Calls();
        }
        """, """
        using MetricsGen;

        namespace App;

        /// <summary>Metrics.</summary>
        [GatewayMetric]
        public sealed partial class Metrics
        {
            [Counter(Help = "h")] public partial Counter Calls();
        }
        """);

    [Fact]
    public Task MG0001_ContainingTypesAndOtherDeclarationsToo() => Verify<MakeClassPartialFix>.FixAsync("""
        using MetricsGen;

        class Outer
        {
            [GatewayMetric]
            internal class {|MG0001:Metrics|}
            {
            }
        }
        """, """
        using MetricsGen;

        partial class Outer
        {
            [GatewayMetric]
            internal partial class Metrics
            {
            }
        }
        """);
}

public sealed class MemberNotPartialFixTests
{
    [Fact]
    public Task MG0003_MethodWithoutBody() => Verify<MemberNotPartialFix>.FixAsync("""
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [Counter(Help = "h")] public Counter {|MG0003:Calls|}();
        }
        """, """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [Counter(Help = "h")] public partial Counter Calls();
        }
        """);

    [Fact]
    public Task MG0003_GetOnlyProperty() => Verify<MemberNotPartialFix>.FixAsync("""
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            /// <summary>Level.</summary>
            [Gauge]
            public Gauge {|MG0003:Level|} { get; }
        }
        """, """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            /// <summary>Level.</summary>
            [Gauge]
            public partial Gauge Level { get; }
        }
        """);

    [Theory]
    [InlineData("[Counter(Help = \"h\")] public static partial Counter {|MG0003:Calls|}();")]
    [InlineData("[Gauge(Help = \"h\")] public partial Gauge {|MG0003:Level|} { get; set; }")]
    [InlineData("[Counter(Help = \"h\")] public Counter {|MG0003:Calls|}() => null!;")]
    public Task MG0003_NoFixWhereCodeWouldGo(string member) => Verify<MemberNotPartialFix>.NoFixAsync($$"""
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            {{member}}
        }
        """);
}

public sealed class RenameMetricFixTests
{
    [Theory]
    [InlineData("http.requests", "http_requests")]
    [InlineData("Request-Count", "request_count")]
    [InlineData("2xx responses", "_2xx_responses")]
    public Task MG0005_SanitizedName(string name, string expected) => Verify<RenameMetricFix>.FixAsync($$"""
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [{|MG0005:Counter("{{name}}", Help = "h")|}] public partial Counter Calls();
        }
        """, $$"""
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [Counter("{{expected}}", Help = "h")] public partial Counter Calls();
        }
        """);

    [Fact]
    public Task MG0005_Prefix() => Verify<RenameMetricFix>.FixAsync("""
        using MetricsGen;
        [{|MG0005:GatewayMetric(Prefix = "my.app")|}]
        public partial class Metrics
        {
            [Counter(Help = "h")] public partial Counter Calls();
        }
        """, """
        using MetricsGen;
        [GatewayMetric(Prefix = "my_app")]
        public partial class Metrics
        {
            [Counter(Help = "h")] public partial Counter Calls();
        }
        """);

    [Fact]
    public Task MG0006_LabelAttribute() => Verify<RenameMetricFix>.FixAsync("""
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [Counter(Help = "h")] public partial Counter Calls({|MG0006:[Label("__route-name")] string route|});
        }
        """, """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [Counter(Help = "h")] public partial Counter Calls([Label("route_name")] string route);
        }
        """);

    [Theory]
    [InlineData("Histogram(\"request_duration\", Unit = \"seconds\"", "Histogram(\"request_duration_seconds\", Unit = \"seconds\"", "Histogram")]
    [InlineData("Counter(\"busy_total\", Unit = \"seconds\"", "Counter(\"busy_seconds_total\", Unit = \"seconds\"", "Counter")]
    [InlineData("Counter(\"busy\", Unit = \"seconds\"", "Counter(\"busy_seconds\", Unit = \"seconds\"", "Counter")]
    [InlineData("Gauge(Unit = \"bytes\"", "Gauge(\"memory_usage_bytes\", Unit = \"bytes\"", "Gauge")]
    public Task MG0014_AppendsTheUnit(string attribute, string expected, string type) => Verify<RenameMetricFix>.FixAsync($$"""
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [{|MG0014:{{attribute}}, Help = "h")|}] public partial {{type}} MemoryUsage();
        }
        """, $$"""
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [{{expected}}, Help = "h")] public partial {{type}} MemoryUsage();
        }
        """);

    [Fact]
    public void Sanitize_KeepsValidNamesAndDropsWhatIsNotAllowed()
    {
        Assert.Equal("http_server_request_duration", RenameMetricFix.Sanitize("http.server.request.duration", allowColon: true));
        Assert.Equal("job:rate5m", RenameMetricFix.Sanitize("job:rate5m", allowColon: true));
        Assert.Equal("job_rate5m", RenameMetricFix.Sanitize("job:rate5m", allowColon: false));
        Assert.Equal("token_type", RenameMetricFix.Sanitize("tokenType", allowColon: false));
    }
}

public sealed class SortBucketsFixTests
{
    [Theory]
    [InlineData("new[] { 10.0, 1, 5, 5 }", "new[] { 1, 5, 10.0 }")]
    [InlineData("new double[] { 0.5, 0.1, 0.25 }", "new double[] { 0.1, 0.25, 0.5 }")]
    [InlineData("[2.5, 1, 1]", "[1, 2.5]")]
    public Task MG0013_SortsAndDropsRepeats(string buckets, string expected) => Verify<SortBucketsFix>.FixAsync($$"""
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [{|MG0013:Histogram("latency_seconds", Help = "h", Buckets = {{buckets}})|}] public partial Histogram Latency();
        }
        """, $$"""
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [Histogram("latency_seconds", Help = "h", Buckets = {{expected}})] public partial Histogram Latency();
        }
        """);

    [Fact]
    public Task MG0013_NamedConstantsKeepTheirNames() => Verify<SortBucketsFix>.FixAsync("""
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            private const double Slow = 10, Fast = 0.1;
            [{|MG0013:Histogram("latency_seconds", Help = "h", Buckets = new[] { Slow, 1, Fast })|}] public partial Histogram Latency();
        }
        """, """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            private const double Slow = 10, Fast = 0.1;
            [Histogram("latency_seconds", Help = "h", Buckets = new[] { Fast, 1, Slow })] public partial Histogram Latency();
        }
        """);

    [Theory]
    [InlineData("new double[0]")]
    [InlineData("new[] { 1.0, double.NaN }")]
    [InlineData("new[] { 1.0, double.PositiveInfinity }")]
    public Task MG0013_NoFixWhenOrderIsNotTheProblem(string buckets) => Verify<SortBucketsFix>.NoFixAsync($$"""
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [{|MG0013:Histogram("latency_seconds", Help = "h", Buckets = {{buckets}})|}] public partial Histogram Latency();
        }
        """);
}

public sealed class AddGatewayMetricFixTests
{
    [Fact]
    public Task MG0017_MarksAndMakesPartial() => Verify<AddGatewayMetricFix>.FixAsync("""
        using MetricsGen;

        /// <summary>Forgotten.</summary>
        public sealed class Forgotten
        {
            [Gauge(Help = "h")] public partial Gauge {|MG0017:Level|} { get; }
        }
        """, """
        using MetricsGen;

        /// <summary>Forgotten.</summary>
        [GatewayMetric]
        public sealed partial class Forgotten
        {
            [Gauge(Help = "h")] public partial Gauge Level { get; }
        }
        """);

    [Fact]
    public Task MG0017_TwoMembersOneAttribute() => Verify<AddGatewayMetricFix>.FixAsync("""
        using MetricsGen;

        public partial class Forgotten
        {
            [Gauge(Help = "h")] public partial Gauge {|MG0017:Level|} { get; }
            [Counter(Help = "h")] public partial Counter {|MG0017:Calls|}();
        }
        """, """
        using MetricsGen;

        [GatewayMetric]
        public partial class Forgotten
        {
            [Gauge(Help = "h")] public partial Gauge Level { get; }
            [Counter(Help = "h")] public partial Counter Calls();
        }
        """);

    [Fact]
    public Task MG0017_ClassInTwoFilesGetsOneAttribute()
    {
        var test = new Verify<AddGatewayMetricFix>.Test<MetricsGen.Generator.Analyzers.ClassNotPartialAnalyzer>();
        test.TestState.Sources.Add(("First.cs", """
            using MetricsGen;

            public partial class Forgotten
            {
                [Gauge(Help = "h")] public partial Gauge {|MG0017:Level|} { get; }
            }
            """));
        test.TestState.Sources.Add(("Second.cs", """
            using MetricsGen;

            public partial class Forgotten
            {
                [Counter(Help = "h")] public partial Counter {|MG0017:Calls|}();
            }
            """));
        test.FixedState.Sources.Add(("First.cs", """
            using MetricsGen;

            [GatewayMetric]
            public partial class Forgotten
            {
                [Gauge(Help = "h")] public partial Gauge Level { get; }
            }
            """));
        test.FixedState.Sources.Add(("Second.cs", """
            using MetricsGen;

            public partial class Forgotten
            {
                [Counter(Help = "h")] public partial Counter Calls();
            }
            """));
        return test.RunAsync(System.Threading.CancellationToken.None);
    }

    [Fact]
    public Task MG0017_QualifiedWithoutUsing() => Verify<AddGatewayMetricFix>.FixAsync("""
        namespace App
        {
            internal partial class Forgotten
            {
                [MetricsGen.Counter(Help = "h")] public partial MetricsGen.Counter {|MG0017:Calls|}();
            }
        }
        """, """
        namespace App
        {
            [MetricsGen.GatewayMetric]
            internal partial class Forgotten
            {
                [MetricsGen.Counter(Help = "h")] public partial MetricsGen.Counter Calls();
            }
        }
        """);
}
