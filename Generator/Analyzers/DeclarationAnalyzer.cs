using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using MetricsGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace MetricsGen.Generator.Analyzers;

/// <summary>
/// Reports the declaration mistakes that have a code fix (MetricsGen.CodeFixes) as analyzer diagnostics, by running
/// the generator's own parser: code fixes, the IDE's light bulb and <c>dotnet format</c> only see diagnostics that
/// an analyzer reports, never those a source generator reports (measured with SDK 10's dotnet format).
/// </summary>
/// <remarks>
/// The generator keeps reporting these IDs too. A command-line build stops before analyzers when the compilation
/// has declaration errors, and every one of these mistakes leaves one (the skipped partial member "must have an
/// implementation part", CS8795, or a partial member in a non-partial class, CS0751), so without the generator's
/// copy <c>dotnet build</c> would show only the compiler's error and not what is wrong. See docs/diagnostics.md.
/// </remarks>
[DiagnosticAnalyzer(Microsoft.CodeAnalysis.LanguageNames.CSharp)]
public sealed class DeclarationAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The IDs with a code fix; the parser's other diagnostics stay with the generator alone.</summary>
    internal static readonly ImmutableHashSet<string> FixableIds = ImmutableHashSet.Create(
        DiagnosticDescriptors.ClassNotPartial.Id,
        DiagnosticDescriptors.MemberNotPartial.Id,
        DiagnosticDescriptors.InvalidMetricName.Id,
        DiagnosticDescriptors.InvalidLabelName.Id,
        DiagnosticDescriptors.InvalidBuckets.Id,
        DiagnosticDescriptors.UnitMismatch.Id,
        DiagnosticDescriptors.MemberOutsideMetricClass.Id);

    private static readonly string[] MetricAttributes =
    {
        "MetricsGen.CounterAttribute", "MetricsGen.GaugeAttribute", "MetricsGen.HistogramAttribute",
        "MetricsGen.SummaryAttribute", "MetricsGen.InfoAttribute", "MetricsGen.StateSetAttribute",
    };

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        FixableIds.OrderBy(id => id, System.StringComparer.Ordinal).Select(DiagnosticDescriptors.ById).ToImmutableArray();

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            INamedTypeSymbol? gatewayMetric = start.Compilation.GetTypeByMetadataName(MetricsGenerator.GatewayMetricAttributeName);
            if (gatewayMetric is null)
            {
                return;
            }

            var metricAttributes = MetricAttributes.Select(start.Compilation.GetTypeByMetadataName)
                .Where(found => found is not null).Cast<INamedTypeSymbol>()
                .ToImmutableHashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
            start.RegisterSymbolAction(symbol => AnalyzeClass(symbol, gatewayMetric), SymbolKind.NamedType);
            start.RegisterSymbolAction(symbol => AnalyzeMember(symbol, metricAttributes), SymbolKind.Method, SymbolKind.Property);
        });
    }

    private static void AnalyzeClass(SymbolAnalysisContext context, INamedTypeSymbol gatewayMetric)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        foreach (AttributeData attribute in type.GetAttributes())
        {
            // As the generator's ForAttributeWithMetadataName: once per class or record declaration carrying the attribute.
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, gatewayMetric)
                && attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken) is { Parent.Parent: TypeDeclarationSyntax declaration }
                && declaration is ClassDeclarationSyntax or RecordDeclarationSyntax)
            {
                MetricsGenerator.ParseResult result = MetricsGenerator.Parser.Parse(type, declaration, attribute, context.CancellationToken);
                Report(context, result.Diagnostics);
            }
        }
    }

    private static void AnalyzeMember(SymbolAnalysisContext context, ImmutableHashSet<INamedTypeSymbol> metricAttributes)
    {
        foreach (AttributeData attribute in context.Symbol.GetAttributes())
        {
            if (attribute.AttributeClass is { } attributeClass && metricAttributes.Contains(attributeClass)
                && attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).FirstAncestorOrSelf<MemberDeclarationSyntax>() is { } member
                && member is MethodDeclarationSyntax or PropertyDeclarationSyntax
                && !MetricsGenerator.Parser.InDeclaredMetricClass(member))
            {
                Report(context, MetricsGenerator.Parser.FindOrphan(context.Symbol, member, attribute));
            }
        }
    }

    private static void Report(SymbolAnalysisContext context, EquatableArray<DiagnosticInfo> found)
    {
        foreach (DiagnosticInfo diagnostic in found)
        {
            if (FixableIds.Contains(diagnostic.Id))
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ById(diagnostic.Id), SourceLocation(context.Compilation, diagnostic.Location), diagnostic.MessageArgs.AsSpan().ToArray()));
            }
        }
    }

    /// <summary>The parser keeps locations as plain values; a code fix needs one in the compilation's syntax tree.</summary>
    private static Location SourceLocation(Compilation compilation, LocationInfo? location)
    {
        if (location is null)
        {
            return Location.None;
        }

        foreach (SyntaxTree tree in compilation.SyntaxTrees)
        {
            if (tree.FilePath == location.FilePath)
            {
                return Location.Create(tree, location.Span);
            }
        }

        return location.ToLocation();
    }
}
