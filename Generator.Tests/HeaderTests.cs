using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace MetricsGen.Generator.Tests;

/// <summary>
/// The runtime renders each family's exposition header from the name, help and unit the generated descriptor passes;
/// those literals must carry exactly the declared text (escapes, non-ASCII, line breaks), so the header is byte for
/// byte what a hand-written descriptor of the same metric gets. The help text appears once in generated code.
/// </summary>
public sealed class HeaderTests
{
    public static TheoryData<string, string, string?, string> Cases => new()
    {
        // kind, metric name, unit, help
        { "Counter", "plain_total", null, "Just words." },
        { "Counter", "slash_total", null, @"A back\slash and a trailing one\" },
        { "Gauge", "quoted", null, "Say \"hello\" twice: \"\"" },
        { "Gauge", "lines", null, "First line\nsecond line\r\nthird\ttabbed" },
        { "Histogram", "wait_seconds", "seconds", "All of them: \\ \" \n \\n \\\"" },
        { "Counter", "spent_seconds_total", "seconds", "Non-ASCII: é ✓ 🎉 and separators \u2028 \u2029 \u0085 \u007f" },
        { "Gauge", "broken_surrogate", null, "Lone \uD800 surrogate" },
        { "Histogram", "empty_help_bytes", "bytes", "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void EmittedHeadersMatchTheRuntime(string kind, string name, string? unit, string help)
    {
        string unitArgument = unit is null ? string.Empty : $", Unit = {SymbolDisplay.FormatLiteral(unit, quote: true)}";
        string source = $$"""
            using MetricsGen;

            [GatewayMetric]
            public partial class HeaderMetrics
            {
                [{{kind}}({{SymbolDisplay.FormatLiteral(name, quote: true)}}, Help = {{SymbolDisplay.FormatLiteral(help, quote: true)}}{{unitArgument}})]
                public partial {{kind}} Metric { get; }
            }
            """;
        GeneratorRun run = GeneratorHarness.Run(source);
        if (help.Length == 0)
        {
            Assert.Equal("MG0015", Assert.Single(run.Diagnostics).Id);
        }
        else
        {
            Assert.Empty(run.Diagnostics);
        }

        GeneratorHarness.AssertCompilesCleanly(run);
        Dictionary<string, string> arguments = DescriptorArguments(run.SingleSource);
        Assert.DoesNotContain("# HELP", run.SingleSource);
        Assert.DoesNotContain("# TYPE", run.SingleSource);

        var expected = new MetricDescriptor(name, System.Enum.Parse<MetricType>(kind), help, unit);
        var generated = new MetricDescriptor(arguments["0"], System.Enum.Parse<MetricType>(kind), arguments["2"], arguments.GetValueOrDefault("unit"));
        Assert.Equal(expected.TextHeader, generated.TextHeader);
        Assert.Equal(expected.OpenMetricsHeader, generated.OpenMetricsHeader);
        Assert.Equal(name, arguments["0"]);
        Assert.Equal(unit, arguments.GetValueOrDefault("unit"));
        if (!help.Contains('\uD800'))
        {
            Assert.Equal(help, arguments["2"]);
        }
    }

    /// <summary>
    /// The constant values of the arguments of the one <c>GeneratedDescriptor.Create</c> call in <paramref name="generated"/>,
    /// by name for named arguments and by position otherwise.
    /// </summary>
    private static Dictionary<string, string> DescriptorArguments(string generated)
    {
        SyntaxNode root = CSharpSyntaxTree.ParseText(generated, GeneratorHarness.ParseOptions).GetRoot();
        InvocationExpressionSyntax creation = Assert.Single(
            root.DescendantNodes().OfType<InvocationExpressionSyntax>(),
            node => node.Expression is MemberAccessExpressionSyntax { Name.Identifier.Text: "Create" } access && access.Expression.ToString().EndsWith("GeneratedDescriptor", System.StringComparison.Ordinal));
        var values = new Dictionary<string, string>();
        SeparatedSyntaxList<ArgumentSyntax> list = creation.ArgumentList.Arguments;
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i].Expression is LiteralExpressionSyntax { Token: var token } && (token.IsKind(SyntaxKind.StringLiteralToken) || token.IsKind(SyntaxKind.Utf8StringLiteralToken)))
            {
                values[list[i].NameColon?.Name.Identifier.Text ?? i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = token.ValueText;
            }
        }

        Assert.True(values.ContainsKey("0") && values.ContainsKey("2"), "The name and help are not literals.");
        return values;
    }
}
