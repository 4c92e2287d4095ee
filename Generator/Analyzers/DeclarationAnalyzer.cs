using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using MetricsGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace MetricsGen.Generator.Analyzers;

/// <summary>
/// Reports a declaration mistake that has a code fix (MetricsGen.CodeFixes) as an analyzer diagnostic, by running
/// the generator's own parser: code fixes, the IDE's light bulb and <c>dotnet format</c> only see diagnostics that
/// an analyzer reports, never those a source generator reports (measured with SDK 10's dotnet format).
/// </summary>
/// <remarks>
/// <para>
/// The generator keeps reporting these IDs too. A command-line build stops before analyzers when the compilation
/// has declaration errors, and every one of these mistakes leaves one (the skipped partial member "must have an
/// implementation part", CS8795, or a partial member in a non-partial class, CS0751), so without the generator's
/// copy <c>dotnet build</c> would show only the compiler's error and not what is wrong. See docs/diagnostics.md.
/// </para>
/// <para>
/// One analyzer per ID: <c>dotnet format</c> fixes an ID by running the analyzers that support it and handing the
/// fixer the first diagnostic they report, of whatever ID; an analyzer with several IDs made it fail
/// ("didn't return a Fix All action"). The analyzers share one parse of each class (<see cref="Parses"/>).
/// </para>
/// </remarks>
public abstract class DeclarationAnalyzer : DiagnosticAnalyzer
{
    private static readonly string[] MetricAttributes =
    {
        "MetricsGen.CounterAttribute", "MetricsGen.GaugeAttribute", "MetricsGen.HistogramAttribute",
        "MetricsGen.SummaryAttribute", "MetricsGen.InfoAttribute", "MetricsGen.StateSetAttribute",
    };

    /// <summary>
    /// Each class's parse, per declaration marked <c>[GatewayMetric]</c>, shared by the analyzers of one compilation
    /// (symbols belong to one compilation, so an edit in the IDE starts afresh).
    /// </summary>
    private static readonly ConditionalWeakTable<INamedTypeSymbol, ConcurrentDictionary<SyntaxNode, MetricsGenerator.ParseResult>> Parses = new();

    private readonly string _id;

    private protected DeclarationAnalyzer(DiagnosticDescriptor descriptor)
    {
        _id = descriptor.Id;
        SupportedDiagnostics = ImmutableArray.Create(descriptor);
    }

    /// <summary>One instance of each analyzer, for hosts and tests that want them all.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> CreateAll() => ImmutableArray.Create<DiagnosticAnalyzer>(
        new ClassNotPartialAnalyzer(), new MemberNotPartialAnalyzer(), new InvalidMetricNameAnalyzer(), new InvalidLabelNameAnalyzer(),
        new InvalidBucketsAnalyzer(), new UnitMismatchAnalyzer(), new MemberOutsideMetricClassAnalyzer());

    /// <inheritdoc />
    public sealed override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; }

    /// <inheritdoc />
    public sealed override void Initialize(AnalysisContext context)
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

            if (_id == DiagnosticDescriptors.MemberOutsideMetricClass.Id)
            {
                var metricAttributes = MetricAttributes.Select(start.Compilation.GetTypeByMetadataName)
                    .Where(found => found is not null).Cast<INamedTypeSymbol>()
                    .ToImmutableHashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
                start.RegisterSymbolAction(symbol => AnalyzeMember(symbol, metricAttributes), SymbolKind.Method, SymbolKind.Property);
            }
            else
            {
                start.RegisterSymbolAction(symbol => AnalyzeClass(symbol, gatewayMetric), SymbolKind.NamedType);
            }
        });
    }

    private void AnalyzeClass(SymbolAnalysisContext context, INamedTypeSymbol gatewayMetric)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        foreach (AttributeData attribute in type.GetAttributes())
        {
            // As the generator's ForAttributeWithMetadataName: once per class or record declaration carrying the attribute.
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, gatewayMetric)
                && attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken) is { Parent.Parent: TypeDeclarationSyntax declaration }
                && declaration is ClassDeclarationSyntax or RecordDeclarationSyntax)
            {
                Report(context, SharedParse(type, declaration, attribute, context.CancellationToken).Diagnostics);
            }
        }
    }

    /// <summary>The parse of one marked declaration, shared with the name lints (<see cref="NameLintAnalyzer"/>).</summary>
    internal static MetricsGenerator.ParseResult SharedParse(INamedTypeSymbol type, TypeDeclarationSyntax declaration, AttributeData attribute, CancellationToken cancellationToken) =>
        Parses.GetValue(type, _ => new ConcurrentDictionary<SyntaxNode, MetricsGenerator.ParseResult>())
            .GetOrAdd(declaration, _ => MetricsGenerator.Parser.Parse(type, declaration, attribute, cancellationToken));

    private void AnalyzeMember(SymbolAnalysisContext context, ImmutableHashSet<INamedTypeSymbol> metricAttributes)
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

    private void Report(SymbolAnalysisContext context, EquatableArray<DiagnosticInfo> found)
    {
        foreach (DiagnosticInfo diagnostic in found)
        {
            if (diagnostic.Id == _id)
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

/// <summary>MG0001 for the code fix "make partial".</summary>
[DiagnosticAnalyzer(Microsoft.CodeAnalysis.LanguageNames.CSharp)]
public sealed class ClassNotPartialAnalyzer : DeclarationAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public ClassNotPartialAnalyzer() : base(DiagnosticDescriptors.ClassNotPartial) { }
}

/// <summary>MG0003 for the code fix "make the member partial".</summary>
[DiagnosticAnalyzer(Microsoft.CodeAnalysis.LanguageNames.CSharp)]
public sealed class MemberNotPartialAnalyzer : DeclarationAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public MemberNotPartialAnalyzer() : base(DiagnosticDescriptors.MemberNotPartial) { }
}

/// <summary>MG0005 for the rename fix.</summary>
[DiagnosticAnalyzer(Microsoft.CodeAnalysis.LanguageNames.CSharp)]
public sealed class InvalidMetricNameAnalyzer : DeclarationAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public InvalidMetricNameAnalyzer() : base(DiagnosticDescriptors.InvalidMetricName) { }
}

/// <summary>MG0006 for the rename fix.</summary>
[DiagnosticAnalyzer(Microsoft.CodeAnalysis.LanguageNames.CSharp)]
public sealed class InvalidLabelNameAnalyzer : DeclarationAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public InvalidLabelNameAnalyzer() : base(DiagnosticDescriptors.InvalidLabelName) { }
}

/// <summary>MG0013 for the code fix "sort the buckets".</summary>
[DiagnosticAnalyzer(Microsoft.CodeAnalysis.LanguageNames.CSharp)]
public sealed class InvalidBucketsAnalyzer : DeclarationAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public InvalidBucketsAnalyzer() : base(DiagnosticDescriptors.InvalidBuckets) { }
}

/// <summary>MG0014 for the rename fix.</summary>
[DiagnosticAnalyzer(Microsoft.CodeAnalysis.LanguageNames.CSharp)]
public sealed class UnitMismatchAnalyzer : DeclarationAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public UnitMismatchAnalyzer() : base(DiagnosticDescriptors.UnitMismatch) { }
}

/// <summary>MG0017 for the code fix "add [GatewayMetric]".</summary>
[DiagnosticAnalyzer(Microsoft.CodeAnalysis.LanguageNames.CSharp)]
public sealed class MemberOutsideMetricClassAnalyzer : DeclarationAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public MemberOutsideMetricClassAnalyzer() : base(DiagnosticDescriptors.MemberOutsideMetricClass) { }
}
