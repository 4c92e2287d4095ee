using MetricsGen.Generator.Model;
using Microsoft.CodeAnalysis;

namespace MetricsGen.Generator;

/// <summary>
/// Implements the metric members of <c>[GatewayMetric]</c> classes and a precompiled exposition writer for them.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class MetricsGenerator : IIncrementalGenerator
{
    internal const string GatewayMetricAttributeName = "MetricsGen.GatewayMetricAttribute";

    /// <summary>The package version written into <c>[GeneratedCode]</c> (a pre-release suffix included, build metadata not).</summary>
    internal static readonly string Version = PackageVersion(typeof(MetricsGenerator).Assembly);

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<ParseResult> results = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                GatewayMetricAttributeName,
                predicate: static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.RecordDeclarationSyntax,
                transform: static (context, cancellationToken) => Parser.Parse(context, cancellationToken))
            .WithTrackingName(TrackingNames.ParseResults);

        IncrementalValuesProvider<MetricClassModel> models = results
            .Where(static result => result.Model is not null)
            .Select(static (result, _) => result.Model!)
            .WithTrackingName(TrackingNames.Models);

        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics = results
            .Select(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.Diagnostics);

        context.RegisterSourceOutput(models, static (output, model) =>
            output.AddSource(model.FullName + ".g.cs", Emitter.Emit(model, Version)));

        context.RegisterSourceOutput(diagnostics, ReportAll);

        // A [Counter] etc. in a class without [GatewayMetric] would otherwise surface only as the compiler's
        // "partial member has no implementation", which does not say what is missing.
        foreach (var (attribute, step) in new[]
        {
            ("MetricsGen.CounterAttribute", TrackingNames.OrphanCounters),
            ("MetricsGen.GaugeAttribute", TrackingNames.OrphanGauges),
            ("MetricsGen.HistogramAttribute", TrackingNames.OrphanHistograms),
            ("MetricsGen.SummaryAttribute", TrackingNames.OrphanSummaries),
            ("MetricsGen.InfoAttribute", TrackingNames.OrphanInfos),
            ("MetricsGen.StateSetAttribute", TrackingNames.OrphanStateSets),
        })
        {
            IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> orphans = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    attribute,
                    predicate: static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.PropertyDeclarationSyntax
                        && !Parser.InDeclaredMetricClass(node),
                    transform: static (context, _) => Parser.FindOrphan(context))
                .WithTrackingName(step);
            context.RegisterSourceOutput(orphans, ReportAll);
        }
    }

    private static string PackageVersion(System.Reflection.Assembly assembly)
    {
        // The informational version is the package version, plus "+<commit>" when the SDK knows the source revision.
        string? informational = System.Reflection.CustomAttributeExtensions
            .GetCustomAttribute<System.Reflection.AssemblyInformationalVersionAttribute>(assembly)?.InformationalVersion;
        if (string.IsNullOrEmpty(informational))
        {
            return assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        }

        int metadata = informational!.IndexOf('+');
        return metadata < 0 ? informational : informational.Substring(0, metadata);
    }

    private static void ReportAll(SourceProductionContext output, EquatableArray<DiagnosticInfo> found)
    {
        foreach (DiagnosticInfo diagnostic in found)
        {
            output.ReportDiagnostic(diagnostic.ToDiagnostic());
        }
    }
}
