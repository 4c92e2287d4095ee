using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace MetricsGen.Generator.Tests;

/// <summary>
/// One test per diagnostic: the ID, the severity and the exact span it points at (marked <c>[|...|]</c> in the
/// source). Test methods are named after the IDs so that <see cref="EveryDiagnosticHasATest"/> can find them.
/// </summary>
public sealed class DiagnosticTests
{
    [Fact]
    public void EveryDiagnosticHasATest()
    {
        var tested = typeof(DiagnosticTests).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Select(method => method.Name.Split('_')[0])
            .ToHashSet();
        var untested = DiagnosticDescriptors.Descriptors.Select(descriptor => descriptor.Id).Where(id => !tested.Contains(id)).ToList();
        Assert.True(untested.Count == 0, "No test for " + string.Join(", ", untested));
        Assert.Equal(40, DiagnosticDescriptors.Descriptors.Count());
    }

    [Fact]
    public void EveryDescriptorLinksToItsDocumentationSection()
    {
        foreach (DiagnosticDescriptor descriptor in DiagnosticDescriptors.Descriptors)
        {
            Assert.Equal("MetricsGen", descriptor.Category);
            Assert.True(descriptor.IsEnabledByDefault);
            if (descriptor.DefaultSeverity == DiagnosticSeverity.Error)
            {
                Assert.EndsWith("docs/diagnostics.md#" + descriptor.Id.ToLowerInvariant(), descriptor.HelpLinkUri);
            }
        }
    }

    [Fact]
    public void EveryDiagnosticIsDocumented() => AssertDocumented();

    [Fact]
    public void ValidClassHasNoDiagnostics()
    {
        GeneratorRun run = GeneratorHarness.Run(SnapshotTests.GatewayMetricsSource);
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.Output.GetDiagnostics().Where(diagnostic => diagnostic.Id.StartsWith("MG")));
    }

    [Fact]
    public void MG0001_ClassNotPartial() => AssertDiagnostic("MG0001", """
        using MetricsGen;
        [GatewayMetric]
        public sealed class [|Metrics|]
        {
        }
        """);

    [Fact]
    public void MG0001_ContainingTypeNotPartial() => AssertDiagnostic("MG0001", """
        using MetricsGen;
        public class Outer
        {
            [GatewayMetric]
            public partial class [|Metrics|]
            {
                [Counter(Help = "h")] public partial Counter Hits();
            }
        }
        """);

    [Fact]
    public void MG0002_GenericClass() => AssertDiagnostic("MG0002", """
        using MetricsGen;
        [GatewayMetric]
        public partial class [|Metrics|]<T>
        {
            [Counter(Help = "h")] public partial Counter Hits();
        }
        """);

    [Fact]
    public void MG0002_NestedInGenericClass() => AssertDiagnostic("MG0002", """
        using MetricsGen;
        public partial class Outer<T>
        {
            [GatewayMetric]
            public partial class [|Metrics|]
            {
                [Counter(Help = "h")] public partial Counter Hits();
            }
        }
        """);

    [Fact]
    public void MG0003_MemberWithBody() => AssertDiagnostic("MG0003", """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [Counter(Help = "h")] public Counter [|Hits|]() => null!;
        }
        """);

    [Fact]
    public void MG0003_StaticMember() => AssertDiagnostic("MG0003", """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [Counter(Help = "h")] public static partial Counter [|Hits|]();
        }
        """);

    [Fact]
    public void MG0003_PropertyWithSetter() => AssertDiagnostic("MG0003", """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [Gauge(Help = "h")] public partial Gauge [|Level|] { get; set; }
        }
        """);

    [Fact]
    public void MG0003_MethodAlreadyImplemented() => AssertDiagnostic("MG0003", """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [Counter(Help = "h")] public partial Counter [|Hits|]();
            public partial Counter Hits() => null!;
        }
        """);

    [Fact]
    public void MG0003_PropertyAlreadyImplemented() => AssertDiagnostic("MG0003", """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [Gauge(Help = "h")] public partial Gauge [|Level|] { get; }
        }

        public partial class Metrics
        {
            public partial Gauge Level => null!;
        }
        """);

    [Fact]
    public void MG0004_WrongReturnType() => AssertDiagnostic("MG0004", """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [Counter(Help = "h")] public partial [|Gauge|] Hits();
        }
        """);

    [Fact]
    public void MG0005_InvalidMetricName() => AssertDiagnostic("MG0005", """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [[|Counter("hits-per-second", Help = "h")|]] public partial Counter Hits();
        }
        """);

    [Fact]
    public void MG0005_InvalidPrefix() => AssertDiagnostic("MG0005", """
        using MetricsGen;
        [[|GatewayMetric(Prefix = "9lives")|]]
        public partial class Metrics
        {
            [Counter(Help = "h")] public partial Counter Hits();
        }
        """);

    [Fact]
    public void MG0006_InvalidLabelName() => AssertDiagnostic("MG0006", """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [Counter(Help = "h")] public partial Counter Hits([|[Label("__internal")] string source|]);
        }
        """);

    [Fact]
    public void MG0007_LeOnHistogram() => AssertDiagnostic("MG0007", """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [Histogram(Help = "h")] public partial Histogram Latency(string route, [|string le|]);
        }
        """);

    [Fact]
    public void MG0008_Quantile() => AssertDiagnostic("MG0008", """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [Gauge(Help = "h")] public partial Gauge Latency([|[Label("quantile")] string q|]);
        }
        """);

    [Fact]
    public void MG0009_DuplicateLabelName() => AssertDiagnostic("MG0009", """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [Counter(Help = "h")] public partial Counter Hits(string region, [|[Label("region")] string area|]);
        }
        """);

    [Fact]
    public void MG0010_DuplicateMetricName() => AssertDiagnostic("MG0010", """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [Counter("hits", Help = "h")] public partial Counter Hits();
            [[|Counter("hits_total", Help = "h")|]] public partial Counter MoreHits();
        }
        """);

    [Fact]
    public void MG0011_MetricNameCollision() => AssertDiagnostic("MG0011", """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [Counter("jobs", Help = "h")] public partial Counter Jobs();
            [[|Gauge("jobs_created", Help = "h")|]] public partial Gauge JobsCreated { get; }
        }
        """);

    [Fact]
    public void MG0012_UnsupportedLabelType() => AssertDiagnostic("MG0012", """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [Counter(Help = "h")] public partial Counter Hits(string route, [|double ratio|]);
        }
        """);

    [Fact]
    public void MG0012_LabelPassedByReference() => AssertDiagnostic("MG0012", """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [Counter(Help = "h")] public partial Counter Hits([|in int shard|]);
        }
        """);

    [Theory]
    [InlineData("new double[0]", "at least one bucket is required")]
    [InlineData("null", "at least one bucket is required")]
    [InlineData("new[] { 1.0, double.PositiveInfinity }", "every bound must be finite")]
    [InlineData("new[] { double.NaN }", "every bound must be finite")]
    [InlineData("new[] { 0.5, 1.0, 1.0 }", "appears twice")]
    [InlineData("new[] { 1.0, 0.5 }", "strictly ascending")]
    public void MG0013_InvalidBuckets(string buckets, string problem)
    {
        Diagnostic diagnostic = AssertDiagnostic("MG0013", $$"""
            using MetricsGen;
            [GatewayMetric]
            public partial class Metrics
            {
                [[|Histogram(Help = "h", Buckets = {{buckets}})|]] public partial Histogram Latency();
            }
            """);
        Assert.Contains(problem, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void MG0014_UnitMismatch() => AssertDiagnostic("MG0014", """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [[|Gauge("queue_length", Help = "h", Unit = "seconds")|]] public partial Gauge QueueLength { get; }
        }
        """);

    [Fact]
    public void MG0014_CounterStemWithoutUnit() => AssertDiagnostic("MG0014", """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [[|Counter("spent_total", Help = "h", Unit = "seconds")|]] public partial Counter Spent { get; }
        }
        """);

    [Fact]
    public void MG0015_MissingHelp()
    {
        Diagnostic diagnostic = AssertDiagnostic("MG0015", """
            using MetricsGen;
            [GatewayMetric]
            public partial class Metrics
            {
                // A plain comment is not documentation.
                [Counter] public partial Counter [|Hits|](string route);
            }
            """, DiagnosticSeverity.Warning);
        Assert.Contains("'hits_total'", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void MG0015_EmptyHelpOnProperty() => AssertDiagnostic("MG0015", """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            /// <summary>Ignored: an explicit Help wins, even empty.</summary>
            [Gauge(Help = "")] public partial Gauge [|Level|] { get; }
        }
        """, DiagnosticSeverity.Warning);

    [Fact]
    public void MG0015_IsOnlyAWarningAndTheMetricIsStillGenerated()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using MetricsGen;
            [GatewayMetric]
            public partial class Metrics
            {
                [Counter] public partial Counter Hits(string route);
            }
            """);
        Assert.Equal("MG0015", Assert.Single(run.Diagnostics).Id);
        Assert.Contains("public partial global::MetricsGen.Counter Hits(string route)", run.SingleSource);
        Assert.Empty(run.Output.GetDiagnostics().Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void MG0016_DuplicateEnumLabelValue()
    {
        Diagnostic diagnostic = AssertDiagnostic("MG0016", """
            using MetricsGen;
            public enum Outcome { [LabelValue("ok")] Success, [LabelValue("ok")] Cached, Failed }
            [GatewayMetric]
            public partial class Metrics
            {
                [Counter(Help = "h")] public partial Counter Calls([|Outcome outcome|]);
            }
            """);
        Assert.Contains("'Success' and 'Cached'", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void MG0017_MemberOutsideMetricClass()
    {
        Diagnostic diagnostic = AssertDiagnostic("MG0017", """
            using MetricsGen;
            public partial class Metrics
            {
                [Histogram(Help = "h")] public partial Histogram [|Latency|]();
            }
            """);
        Assert.Contains("[Histogram]", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("[Counter(Help = \"h\")] public partial Counter [|Calls|]();", "Counter")]
    [InlineData("[Gauge(Help = \"h\")] public partial Gauge [|Level|] { get; }", "Gauge")]
    [InlineData("[Histogram(Help = \"h\")] public partial Histogram [|Latency|](string route);", "Histogram")]
    [InlineData("[Summary(Help = \"h\")] public partial Summary [|Sizes|]();", "Summary")]
    [InlineData("[Info(Help = \"h\")] public partial void [|Build|](string version);", "Info")]
    [InlineData("[StateSet(Help = \"h\")] public partial StateSet<Mode> [|Modes|]();", "StateSet")]
    [InlineData("[MetricsGen.CounterAttribute(Help = \"h\")] public partial Counter [|Calls|]();", "Counter")]
    [InlineData("[System.Obsolete, global::MetricsGen.Gauge(Help = \"h\")] public partial Gauge [|Level|] { get; }", "Gauge")]
    public void MG0017_EveryMetricAttribute(string member, string attribute)
    {
        Diagnostic diagnostic = AssertDiagnostic("MG0017", $$"""
            using MetricsGen;
            public enum Mode { Open, Closed }
            public partial class Metrics
            {
                {{member}}
            }
            """);
        Assert.Contains($"[{attribute}]", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void MG0017_AttributeThroughAnAlias()
    {
        AssertDiagnostic("MG0017", """
            using Tally = MetricsGen.CounterAttribute;
            public partial class Metrics
            {
                [Tally(Help = "h")] public partial MetricsGen.Counter [|Calls|]();
            }
            """);
    }

    [Fact]
    public void MG0017_NotReportedWhenAnotherPartOfTheClassIsMarked()
    {
        GeneratorRun run = GeneratorHarness.Run(
            """
            using MetricsGen;
            public partial class Metrics
            {
                [Counter(Help = "h")] public partial Counter Calls();
            }
            """,
            """
            using MetricsGen;
            using Marked = MetricsGen.GatewayMetricAttribute;
            [Marked]
            public partial class Metrics
            {
                [Gauge(Help = "h")] public partial Gauge Level { get; }
            }
            """);
        Assert.Empty(run.Diagnostics);
        GeneratorHarness.AssertCompilesCleanly(run);
    }

    [Fact]
    public void MG0017_NotReportedForOtherAttributes()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using Old = System.ObsoleteAttribute;
            public partial class Plain
            {
                [System.Obsolete] public int Calls() => 0;
                [Old] public int Level { get; set; }
                [System.Diagnostics.Conditional("DEBUG")] partial void Hook();
            }
            """);
        Assert.Empty(run.Diagnostics);
        GeneratorHarness.AssertCompilesCleanly(run);
    }

    [Fact]
    public void MG0018_GeneratedNameClash()
    {
        Diagnostic diagnostic = AssertDiagnostic("MG0018", """
            using MetricsGen;
            [GatewayMetric]
            public partial class Metrics
            {
                [Counter(Help = "h")] public partial Counter Calls(string route);

                private int [|CreateCalls|]() => 0;
            }
            """);
        Assert.Contains("calls_total", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("s_calls")]
    [InlineData("_calls")]
    [InlineData("_latency")]
    [InlineData("CreateCalls")]
    [InlineData("RemoveCalls")]
    [InlineData("ClearCalls")]
    [InlineData("CallsLabels")]
    [InlineData("CreateLatency")]
    [InlineData("s_metrics")]
    [InlineData("MetricLabelValues")]
    public void MG0018_EveryKindOfGeneratedNameClashes(string name)
    {
        AssertDiagnostic("MG0018", $$"""
            using MetricsGen;
            public enum Outcome { Ok, Failed }
            [GatewayMetric]
            public partial class Metrics
            {
                [Counter(Help = "h")] public partial Counter Calls(string route);

                [Histogram(Help = "h")] public partial Histogram Latency(Outcome outcome);

                private int [|{{name}}|];
            }
            """);
    }

    [Fact]
    public void MG0018_EveryMemberNameTheEmitterWritesIsGuarded()
    {
        // Holds the emitter and the parser's list of generated names (GeneratedNames) together: every private member
        // the generated code declares, for each kind of lookup, must be a clash when the user declares it too.
        const string Declarations = """
            using MetricsGen;
            public enum Outcome { Ok, Failed }
            [GatewayMetric]
            public partial class Metrics
            {
                [Counter(Help = "h")] public partial Counter Calls(string route);
                [Histogram(Help = "h")] public partial Histogram Latency(Outcome outcome);
                [Gauge(Help = "h")] public partial Gauge Level { get; }
                [Info(Help = "h")] public partial void SetBuild(string version);
            """;
        GeneratorRun clean = GeneratorHarness.Run(Declarations + "}\n");
        Assert.Empty(clean.Diagnostics);
        var names = new List<string>();
        ClassDeclarationSyntax generated = CSharpSyntaxTree.ParseText(clean.SingleSource).GetRoot()
            .DescendantNodes().OfType<ClassDeclarationSyntax>().First();
        foreach (MemberDeclarationSyntax member in generated.Members)
        {
            switch (member)
            {
                case FieldDeclarationSyntax field:
                    names.AddRange(field.Declaration.Variables.Select(variable => variable.Identifier.Text));
                    break;
                case MethodDeclarationSyntax method when method.ExplicitInterfaceSpecifier is null && !method.Modifiers.Any(SyntaxKind.PartialKeyword):
                    names.Add(method.Identifier.Text);
                    break;
                case BaseTypeDeclarationSyntax type:
                    names.Add(type.Identifier.Text);
                    break;
            }
        }

        Assert.Subset(new HashSet<string>(names), new HashSet<string> { "s_calls", "_calls", "CreateCalls", "RemoveCalls", "CallsLabels", "_latency", "_level", "s_metrics", "MetricLabelValues" });
        foreach (string name in names)
        {
            GeneratorRun run = GeneratorHarness.Run(Declarations + $"    private int {name};\n}}\n");
            Assert.True(run.Diagnostics.Any(diagnostic => diagnostic.Id == "MG0018"), $"A user member named {name} is not reported as a clash.");
        }
    }

    [Fact]
    public void MG0018_UserConstructorClashesWithGeneratedOne()
    {
        AssertDiagnostic("MG0018", """
            using MetricsGen;
            [GatewayMetric]
            public partial class Metrics
            {
                public [|Metrics|]() { }

                [Gauge(Help = "h")] public partial Gauge Level { get; }
            }
            """);
    }

    [Fact]
    public void MG0019_PartialPropertyBelowCSharp13()
    {
        var marked = MarkedSource.Parse("""
            using MetricsGen;
            [GatewayMetric]
            public partial class Metrics
            {
                [Counter(Help = "Calls by route.")] public partial Counter Calls(string route);

                [Gauge(Help = "Level.")] public partial Gauge [|Level|] { get; }
            }
            """);
        GeneratorRun run = GeneratorHarness.RunWithLanguageVersion(Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp12, marked.Source);

        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("MG0019", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(marked.Span, diagnostic.Location.SourceSpan);
        string message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("C# 12.0", message);
        Assert.Contains("<LangVersion>13</LangVersion>", message);

        // Both members are still implemented: what remains from the compiler is the language version of the
        // 'partial' modifier (CS8703), never "must have an implementation part" (CS8795, CS9248).
        List<Diagnostic> problems = run.OutputProblems.ToList();
        Assert.NotEmpty(problems);
        Assert.All(problems, problem => Assert.Equal("CS8703", problem.Id));
        int propertyLine = SourceText.From(marked.Source).Lines.GetLineFromPosition(marked.Span.Start).LineNumber;
        Assert.Contains(problems, problem => problem.Location.SourceTree == run.Input.SyntaxTrees.Single() && problem.Location.GetLineSpan().StartLinePosition.Line == propertyLine);
    }

    [Fact]
    public void PartialMethodsAloneCompileAsCSharp12()
    {
        GeneratorRun run = GeneratorHarness.RunWithLanguageVersion(Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp12, """
            using MetricsGen;
            public enum Kind { A, B }
            [GatewayMetric(Prefix = "app")]
            public partial class Metrics
            {
                [Counter(Help = "Calls by route.")] public partial Counter Calls(string route, Kind kind);
                [Histogram(Help = "Waits.")] public partial Histogram Wait();
                [Gauge(Help = "Level.")] public partial Gauge Level(bool up, int shard);
            }
            """);
        Assert.Empty(run.Diagnostics);
        GeneratorHarness.AssertCompilesCleanly(run);
    }

    [Fact]
    public void MG0020_InfoNotVoid() => AssertDiagnostic("MG0020", """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [Info(Help = "Build.")] public partial [|Gauge|] Build(string version);
        }
        """);

    [Fact]
    public void MG0021_QuantileOutOfRange() => AssertDiagnostic("MG0021", """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [[|Summary(Help = "Latency.", Quantiles = new[] { 0.5, 1.0 })|]] public partial Summary Latency { get; }
        }
        """);

    [Fact]
    public void MG0021_QuantilesNotAscending() => AssertDiagnostic("MG0021", """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [[|Summary(Help = "Latency.", Quantiles = new[] { 0.9, 0.5 })|]] public partial Summary Latency { get; }
        }
        """);

    [Fact]
    public void MG0022_InvalidSummaryWindow() => AssertDiagnostic("MG0022", """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [[|Summary(Help = "Latency.", Quantiles = new[] { 0.5 }, MaxAgeSeconds = 0, AgeBuckets = 0)|]] public partial Summary Latency { get; }
        }
        """);

    [Fact]
    public void MG0023_StateSetWithoutStates() => AssertDiagnostic("MG0023", """
        using MetricsGen;
        public enum Nothing { }
        [GatewayMetric]
        public partial class Metrics
        {
            [StateSet(Help = "State.")] public partial [|StateSet<Nothing>|] State { get; }
        }
        """);

    [Fact]
    public void MG0024_StateSetLabelClash() => AssertDiagnostic("MG0024", """
        using MetricsGen;
        public enum Phase { Idle, Busy }
        [GatewayMetric(Prefix = "app")]
        public partial class Metrics
        {
            [StateSet("phase", Help = "Phase per worker.")] public partial StateSet<Phase> Phase(string worker, [|[Label("app_phase")] string other|]);
        }
        """);

    [Fact]
    public void MG0025_CallbackWithParameters() => AssertDiagnostic("MG0025", """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [Gauge(Help = "Depth.")] public int [|Depth|](string queue) => queue.Length;
        }
        """);

    [Fact]
    public void MG0026_CallbackReturnType() => AssertDiagnostic("MG0026", """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [Gauge(Help = "Ratio.")] public [|float|] Ratio => 0.5f;
        }
        """);

    [Fact]
    public void MG0027_ExemplarsOnCallback() => AssertDiagnostic("MG0027", """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [[|Counter(Help = "Bytes.", Exemplars = true)|]] public long Bytes() => 42;
        }
        """);

    [Fact]
    public void MG0027_MaxSeriesOnCallback() => AssertDiagnostic("MG0027", """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [[|Gauge(Help = "Depth.", MaxSeries = 10)|]] public int Depth => 3;
        }
        """);

    [Fact]
    public void MG0027_ExpireAfterSecondsOnCallback() => AssertDiagnostic("MG0027", """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [[|Counter(Help = "Bytes.", ExpireAfterSeconds = 60)|]] public long Bytes() => 42;
        }
        """);

    [Fact]
    public void MG0028_MaxSeriesBelowOne() => AssertDiagnostic("MG0028", """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [[|Counter(Help = "Calls.", MaxSeries = 0)|]] public partial Counter Calls(string tool);
        }
        """);

    [Fact]
    public void MG0029_ExpiryNotPositive() => AssertDiagnostic("MG0029", """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [[|Gauge(Help = "Sessions.", ExpireAfterSeconds = -5)|]] public partial Gauge Sessions(string user);
        }
        """);

    [Fact]
    public void MG0029_ExpiryInfinite() => AssertDiagnostic("MG0029", """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [[|Gauge(Help = "Sessions.", ExpireAfterSeconds = double.PositiveInfinity)|]] public partial Gauge Sessions(string user);
        }
        """);

    [Fact]
    public void MG0030_MaxSeriesWithoutLabels() => AssertDiagnostic("MG0030", """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [[|Counter(Help = "Calls.", MaxSeries = 10)|]] public partial Counter Calls();
        }
        """);

    [Fact]
    public void MG0031_NativeBucketFactorNotAboveOne() => AssertDiagnostic("MG0031", """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [[|Histogram(Help = "Latency.", Native = true, NativeBucketFactor = 1.0)|]] public partial Histogram Latency { get; }
        }
        """);

    [Fact]
    public void MG0032_NegativeNativeZeroThreshold() => AssertDiagnostic("MG0032", """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [[|Histogram(Help = "Latency.", Native = true, NativeZeroThreshold = -0.5)|]] public partial Histogram Latency { get; }
        }
        """);

    [Fact]
    public void MG0033_NativeMaxBucketsBelowOne() => AssertDiagnostic("MG0033", """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [[|Histogram(Help = "Latency.", Native = true, NativeMaxBuckets = 0)|]] public partial Histogram Latency { get; }
        }
        """);

    // MG0034-MG0039 come from the name lints (Analyzers/NameLintAnalyzer), not from the generator; Analyzers/NameLintTests has the rest.
    [Fact]
    public System.Threading.Tasks.Task MG0034_NonBaseUnit() => Analyzers.NameLintTests.AssertLintsAsync(
        Analyzers.NameLintTests.Class("""[Histogram("latency_milliseconds", Help = "h")] public partial Histogram Latency();"""), "MG0034 latency_seconds");

    [Fact]
    public System.Threading.Tasks.Task MG0035_AbbreviatedUnit() => Analyzers.NameLintTests.AssertLintsAsync(
        Analyzers.NameLintTests.Class("""[Histogram("latency_ms", Help = "h")] public partial Histogram Latency();"""), "MG0035 latency_seconds");

    [Fact]
    public System.Threading.Tasks.Task MG0036_TotalOnNonCounter() => Analyzers.NameLintTests.AssertLintsAsync(
        Analyzers.NameLintTests.Class("""[Gauge("queue_total", Help = "h")] public partial Gauge Queue { get; }"""), "MG0036 queue");

    [Fact]
    public System.Threading.Tasks.Task MG0037_HistogramSummaryReserved() => Analyzers.NameLintTests.AssertLintsAsync(
        Analyzers.NameLintTests.Class("""[Gauge("items_count", Help = "h")] public partial Gauge Items { get; }"""), "MG0037 -");

    [Fact]
    public System.Threading.Tasks.Task MG0038_TypeNameInName() => Analyzers.NameLintTests.AssertLintsAsync(
        Analyzers.NameLintTests.Class("""[Counter("requests_counter", Help = "h")] public partial Counter Requests();"""), "MG0038 requests");

    [Fact]
    public System.Threading.Tasks.Task MG0039_NotSnakeCase() => Analyzers.NameLintTests.AssertLintsAsync(
        Analyzers.NameLintTests.Class("""[Gauge("jobsRunning", Help = "h")] public partial Gauge Jobs { get; }"""), "MG0039 jobs_running");

    // MG0040 comes from CardinalityAnalyzer at call sites, not from the generator; Analyzers/CardinalityAnalyzerTests has the rest.
    [Fact]
    public System.Threading.Tasks.Task MG0040_UnboundedLabelValue() => Analyzers.CardinalityAnalyzerTests.AssertWarnsAsync(
        "metrics.Requests([|ctx.Request.Path.Value!|]).Inc();", "path", "http_requests_total", "HttpRequest.Path");

    private static void AssertDocumented([System.Runtime.CompilerServices.CallerFilePath] string testFile = "")
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(testFile)!, "..", "docs", "diagnostics.md");
        Assert.True(System.IO.File.Exists(path), "Missing " + path);
        string[] lines = System.IO.File.ReadAllLines(path);
        foreach (DiagnosticDescriptor descriptor in DiagnosticDescriptors.Descriptors)
        {
            // "## MG0001" alone makes the anchor #mg0001 that the help links point at.
            int heading = System.Array.IndexOf(lines, "## " + descriptor.Id);
            Assert.True(heading >= 0, $"docs/diagnostics.md has no '## {descriptor.Id}' heading.");
            string section = string.Join("\n", lines.Skip(heading + 1).TakeWhile(line => !line.StartsWith("## ", System.StringComparison.Ordinal)));
            Assert.Contains(descriptor.Title.ToString(System.Globalization.CultureInfo.InvariantCulture), section);
            Assert.Equal(2, section.Split("```csharp").Length - 1);
        }
    }

    /// <summary>
    /// Runs the generator over <paramref name="markedSource"/> and asserts that it reports exactly one diagnostic,
    /// <paramref name="id"/>, located on the marked span (offsets, line and column, file).
    /// </summary>
    private static Diagnostic AssertDiagnostic(string id, string markedSource, DiagnosticSeverity severity = DiagnosticSeverity.Error)
    {
        var marked = MarkedSource.Parse(markedSource);
        GeneratorRun run = GeneratorHarness.Run(marked.Source);
        List<Diagnostic> reported = run.Diagnostics.ToList();
        Assert.True(reported.Count == 1, $"Expected exactly one diagnostic ({id}), got:\n" + string.Join("\n", reported));
        Diagnostic diagnostic = reported[0];
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(severity, diagnostic.Severity);

        Location location = diagnostic.Location;
        Assert.NotEqual(Location.None, location);
        FileLinePositionSpan lineSpan = location.GetLineSpan();
        Assert.Equal("Test0.cs", lineSpan.Path);
        string located = marked.Source.Substring(location.SourceSpan.Start, location.SourceSpan.Length);
        Assert.Equal(marked.MarkedText, located);
        Assert.Equal(marked.Span, location.SourceSpan);
        LinePositionSpan expectedLines = SourceText.From(marked.Source).Lines.GetLinePositionSpan(marked.Span);
        Assert.Equal(expectedLines, lineSpan.Span);

        // The diagnostic must carry the descriptor's text, not an unformatted message.
        string message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.DoesNotContain("{0}", message);
        return diagnostic;
    }
}
