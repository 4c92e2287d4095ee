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
        // "partial member has no implementation", which does not say what is missing. Reported by the generator, not
        // an analyzer: the command-line compiler stops at that declaration error before analyzers run. One syntax
        // pass with a name check instead of one ForAttributeWithMetadataName per metric attribute: six attribute
        // searches over every file took about a tenth of a full run.
        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> orphans = context.SyntaxProvider
            .CreateSyntaxProvider(
                predicate: static (node, _) => Parser.MayBeOrphan(node),
                transform: static (context, cancellationToken) => Parser.FindOrphan(context, cancellationToken))
            .Where(static found => found.Count > 0);
        context.RegisterSourceOutput(orphans, ReportAll);
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
