using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace MetricsGen.Generator.Tests;

/// <summary>
/// The generator precomputes each family's exposition header as a UTF-8 literal; it must be byte for byte what the
/// runtime would encode itself from the same name, type, help and unit.
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

        var runtime = new MetricDescriptor(name, System.Enum.Parse<MetricType>(kind), help, unit);
        Assert.Equal(Encoding.UTF8.GetString(runtime.TextHeader), arguments["textHeader"]);
        Assert.Equal(Encoding.UTF8.GetString(runtime.OpenMetricsHeader), arguments["openMetricsHeader"]);
        Assert.Equal(runtime.TextHeader, Encoding.UTF8.GetBytes(arguments["textHeader"]));
        Assert.Equal(runtime.OpenMetricsHeader, Encoding.UTF8.GetBytes(arguments["openMetricsHeader"]));
        Assert.Equal(name, arguments["0"]);
        if (!help.Contains('\uD800'))
        {
            Assert.Equal(help, arguments["2"]);
        }
    }

    /// <summary>
    /// The constant values of the arguments of the one <c>PrecompiledDescriptor.Create</c> call in <paramref name="generated"/>,
    /// by name for named arguments and by position otherwise.
    /// </summary>
    private static Dictionary<string, string> DescriptorArguments(string generated)
    {
        SyntaxNode root = CSharpSyntaxTree.ParseText(generated, GeneratorHarness.ParseOptions).GetRoot();
        InvocationExpressionSyntax creation = Assert.Single(
            root.DescendantNodes().OfType<InvocationExpressionSyntax>(),
            node => node.ArgumentList.Arguments.Any(argument => argument.NameColon?.Name.Identifier.Text == "textHeader"));
        var values = new Dictionary<string, string>();
        SeparatedSyntaxList<ArgumentSyntax> list = creation.ArgumentList.Arguments;
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i].Expression is LiteralExpressionSyntax { Token: var token } && (token.IsKind(SyntaxKind.StringLiteralToken) || token.IsKind(SyntaxKind.Utf8StringLiteralToken)))
            {
                values[list[i].NameColon?.Name.Identifier.Text ?? i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = token.ValueText;
            }
        }

        Assert.True(values.ContainsKey("textHeader") && values.ContainsKey("openMetricsHeader"), "The headers are not literals.");
        return values;
    }
}
