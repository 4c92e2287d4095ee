using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace MetricsGen.CodeFixes.Tests;

/// <summary>
/// The rename fix for the name lints, driven by their contract: the diagnostic sits on the name literal and its
/// <c>MetricsGen.SuggestedName</c> property holds the name to write. A stand-in analyzer keeps that contract here,
/// so the fix is tested whether or not the lints are present.
/// </summary>
public sealed class SuggestedNameTests
{
    [Fact]
    public Task NonBaseUnit_RenamesConvertsBucketsAndUnit() => RunAsync("""
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [Histogram({|MG0034:"latency_ms"|}, Unit = "ms", Help = "h", Buckets = new[] { 5.0, 10, 250, 1000 })] public partial Histogram Latency();
        }
        """, """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [Histogram("latency_seconds", Unit = "seconds", Help = "h", Buckets = new[] { 0.005, 0.01, 0.25, 1.0 })] public partial Histogram Latency();
        }
        """, "Rename to 'latency_seconds' (record seconds)");

    [Fact]
    public Task NonBaseUnit_KilobytesWithACollectionExpression() => RunAsync("""
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [Histogram({|MG0034:"payload_kb"|}, Help = "h", Buckets = [1, 64.5])] public partial Histogram Payload();
        }
        """, """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [Histogram("payload_bytes", Help = "h", Buckets = [1000.0, 64500.0])] public partial Histogram Payload();
        }
        """, "Rename to 'payload_bytes' (record bytes)");

    [Fact]
    public Task TotalOnAGauge_PlainRename() => RunAsync("""
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [Gauge({|MG0035:"queue_total"|}, Help = "h")] public partial Gauge Queue { get; }
        }
        """, """
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [Gauge("queue", Help = "h")] public partial Gauge Queue { get; }
        }
        """, "Rename to 'queue'");

    [Fact]
    public Task WithoutTheProperty_NoFix() => RunAsync("""
        using MetricsGen;
        [GatewayMetric]
        public partial class Metrics
        {
            [Gauge({|MG0036:"unknown_thing"|}, Help = "h")] public partial Gauge Thing { get; }
        }
        """, null, null);

    [Fact]
    public void EveryLintIdIsRegistered() =>
        Assert.Equal(new[] { "MG0034", "MG0035", "MG0036", "MG0037", "MG0038", "MG0039" }, RenameMetricFix.LintIds);

    private static Task RunAsync(string source, string? fixedSource, string? title)
    {
        var test = new Verify<RenameMetricFix>.Test<StandInLintAnalyzer> { TestCode = source, FixedCode = fixedSource ?? source };
        if (title is not null)
        {
            test.CodeActionVerifier = (action, verifier) => verifier.Equal(title, action.Title);
        }

        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>Reports a few known names, each on its literal, with the suggested name where there is one.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class StandInLintAnalyzer : DiagnosticAnalyzer
    {
        private static readonly Dictionary<string, (string Id, string? Suggested)> Known = new()
        {
            ["latency_ms"] = ("MG0034", "latency_seconds"),
            ["payload_kb"] = ("MG0034", "payload_bytes"),
            ["queue_total"] = ("MG0035", "queue"),
            ["unknown_thing"] = ("MG0036", null),
        };

        private static readonly ImmutableDictionary<string, DiagnosticDescriptor> Descriptors = new[] { "MG0034", "MG0035", "MG0036" }
            .ToImmutableDictionary(id => id, id => new DiagnosticDescriptor(id, "lint", "lint {0}", "MetricsGen", DiagnosticSeverity.Warning, isEnabledByDefault: true));

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => Descriptors.Values.ToImmutableArray();

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterSyntaxNodeAction(
                node =>
                {
                    var literal = (LiteralExpressionSyntax)node.Node;
                    if (literal.Parent is AttributeArgumentSyntax && Known.TryGetValue(literal.Token.ValueText, out var found))
                    {
                        ImmutableDictionary<string, string?> properties = found.Suggested is null
                            ? ImmutableDictionary<string, string?>.Empty
                            : ImmutableDictionary<string, string?>.Empty.Add("MetricsGen.SuggestedName", found.Suggested);
                        node.ReportDiagnostic(Diagnostic.Create(Descriptors[found.Id], literal.GetLocation(), properties, literal.Token.ValueText));
                    }
                },
                SyntaxKind.StringLiteralExpression);
        }
    }
}
