using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using MetricsGen.Generator.Model;
using MetricsGen.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace MetricsGen.Generator.Analyzers;

/// <summary>
/// The name lints MG0034-MG0039: what <c>promtool check metrics</c> would say of the scrape, said at compile time.
/// Each lint reads the generator's own model of the class (the parse <see cref="DeclarationAnalyzer"/> shares), so the
/// name checked is the exposed one: prefix, <c>_total</c> and <c>_info</c> included, info and state sets as gauges.
/// </summary>
/// <remarks>
/// One analyzer per ID, as for the declaration analyzers: <c>dotnet format</c> hands a fixer the first diagnostic of
/// the analyzers that support the ID it fixes. A diagnostic sits on the attribute's name literal (on the attribute when
/// the name comes from the member) and, when one rename cures it, carries the name to write there in the property
/// <c>MetricsGen.SuggestedName</c> that MetricsGen.CodeFixes' rename fix reads.
/// </remarks>
public abstract class NameLintAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The diagnostic property holding the name to write into the attribute.</summary>
    internal const string SuggestedNameProperty = "MetricsGen.SuggestedName";

    private static readonly string[] MetricAttributeNames =
    {
        "CounterAttribute", "GaugeAttribute", "HistogramAttribute", "SummaryAttribute", "InfoAttribute", "StateSetAttribute",
    };

    private readonly DiagnosticDescriptor _descriptor;

    private protected NameLintAnalyzer(DiagnosticDescriptor descriptor)
    {
        _descriptor = descriptor;
        SupportedDiagnostics = ImmutableArray.Create(descriptor);
    }

    /// <summary>One instance of each name lint.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> CreateAll() => ImmutableArray.Create<DiagnosticAnalyzer>(
        new NonBaseUnitAnalyzer(), new AbbreviatedUnitAnalyzer(), new TotalOnNonCounterAnalyzer(),
        new HistogramSummaryReservedAnalyzer(), new TypeNameInNameAnalyzer(), new NotSnakeCaseAnalyzer());

    /// <inheritdoc />
    public sealed override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; }

    /// <inheritdoc />
    public sealed override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (start.Compilation.GetTypeByMetadataName(MetricsGenerator.GatewayMetricAttributeName) is { } gatewayMetric)
            {
                start.RegisterSymbolAction(symbol => AnalyzeClass(symbol, gatewayMetric), SymbolKind.NamedType);
            }
        });
    }

    /// <summary>What one lint finds on one metric.</summary>
    private protected abstract IEnumerable<Finding> Lint(MetricSite site);

    private void AnalyzeClass(SymbolAnalysisContext context, INamedTypeSymbol gatewayMetric)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        foreach (AttributeData attribute in type.GetAttributes())
        {
            if (!SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, gatewayMetric)
                || attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken) is not { Parent.Parent: TypeDeclarationSyntax declaration }
                || declaration is not (ClassDeclarationSyntax or RecordDeclarationSyntax))
            {
                continue;
            }

            // No model: the class has an error the generator reports, and nothing is exposed to lint.
            if (DeclarationAnalyzer.SharedParse(type, declaration, attribute, context.CancellationToken).Model is not { } model)
            {
                continue;
            }

            foreach (MetricModel metric in model.Metrics)
            {
                if (MetricSite.Find(type, metric, context.CancellationToken) is not { } site)
                {
                    continue;
                }

                foreach (Finding finding in Lint(site))
                {
                    ImmutableDictionary<string, string?> properties = finding.SuggestedName is null
                        ? ImmutableDictionary<string, string?>.Empty
                        : ImmutableDictionary<string, string?>.Empty.Add(SuggestedNameProperty, finding.SuggestedName);
                    context.ReportDiagnostic(Diagnostic.Create(_descriptor, finding.Location, properties, finding.Arguments));
                }
            }
        }
    }

    /// <summary>One diagnostic to report: where, its message arguments and the name that cures it (if one does).</summary>
    private protected sealed class Finding
    {
        public Finding(Location location, string? suggestedName, params object[] arguments)
        {
            Location = location;
            SuggestedName = suggestedName;
            Arguments = arguments;
        }

        public Location Location { get; }

        public string? SuggestedName { get; }

        public object[] Arguments { get; }
    }

    /// <summary>A metric of the model with the syntax its diagnostics point at and the name as the user wrote it.</summary>
    private protected sealed class MetricSite
    {
        private readonly string? _prefix;
        private readonly string _suffix;
        private readonly bool _canRename;

        private MetricSite(MetricModel metric, ISymbol member, AttributeSyntax attribute, LiteralExpressionSyntax? literal, string declared)
        {
            Metric = metric;
            Member = member;
            Declared = declared;
            NameLocation = literal?.GetLocation() ?? attribute.GetLocation();
            TextType = ExpositionRules.TextTypeName(TypeNames.Of(metric.Kind));
            _suffix = metric.Kind switch
            {
                MetricKind.Counter => ExpositionRules.CounterSuffix,
                MetricKind.Info => ExpositionRules.InfoSuffix,
                _ => string.Empty,
            };

            // The part of the exposed name before what the user wrote: the class prefix and its '_'.
            string written = WithSuffix(declared);
            _prefix = metric.MetricName.EndsWith(written, StringComparison.Ordinal) ? metric.MetricName.Substring(0, metric.MetricName.Length - written.Length) : null;

            // The fix rewrites the name literal, or adds one to an attribute with no positional argument.
            _canRename = literal is not null || attribute.ArgumentList?.Arguments.Any(argument => argument.NameEquals is null) != true;
        }

        public MetricModel Metric { get; }

        public ISymbol Member { get; }

        /// <summary>The name as written in the attribute, or the member's name in snake_case.</summary>
        public string Declared { get; }

        /// <summary>The exposed family name promtool checks (the generator's own).</summary>
        public string Name => Metric.MetricName;

        /// <summary>The type the text format declares (info and state sets are gauges there).</summary>
        public string TextType { get; }

        public Location NameLocation { get; }

        /// <summary>
        /// <paramref name="candidate"/> as a suggestion: only when the fix can write it, it is a valid name that differs,
        /// and the exposed name it makes passes <paramref name="cured"/>.
        /// </summary>
        public string? Suggest(string? candidate, Func<string, bool> cured)
        {
            if (!_canRename || _prefix is null || candidate is null || candidate.Length == 0 || candidate == Declared
                || !ExpositionRules.IsValidMetricName(candidate))
            {
                return null;
            }

            string exposed = _prefix + WithSuffix(candidate);
            return ExpositionRules.IsValidMetricName(exposed) && cured(exposed) ? candidate : null;
        }

        /// <summary>The label names the scrape shows, each with where to report it and its [Label] literal (if any).</summary>
        public IEnumerable<(string Name, Location Location, bool HasLiteral)> Labels()
        {
            if (Metric.Kind == MetricKind.StateSet)
            {
                // The state set writes its state in a label named after the family.
                yield return (ExpositionRules.FamilyName(Name, TypeNames.Of(Metric.Kind)), NameLocation, false);
            }

            IMethodSymbol? method = Member as IMethodSymbol;
            foreach (LabelModel label in Metric.Labels)
            {
                IParameterSymbol? parameter = method?.Parameters.FirstOrDefault(candidate => candidate.Name == label.ParameterName.TrimStart('@'));
                var syntax = parameter?.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() as ParameterSyntax;
                LiteralExpressionSyntax? literal = syntax?.AttributeLists.SelectMany(list => list.Attributes)
                    .Where(attribute => RightmostName(attribute.Name) is "Label" or "LabelAttribute")
                    .Select(attribute => attribute.ArgumentList?.Arguments.FirstOrDefault()?.Expression as LiteralExpressionSyntax)
                    .FirstOrDefault(found => found is not null && found.IsKind(SyntaxKind.StringLiteralExpression));
                Location location = literal?.GetLocation() ?? (syntax is null ? NameLocation : syntax.Identifier.GetLocation());
                yield return (label.LabelName, location, literal is not null);
            }
        }

        private string WithSuffix(string name) =>
            _suffix.Length > 0 && !name.EndsWith(_suffix, StringComparison.Ordinal) ? name + _suffix : name;

        /// <summary>The member behind a metric of the model, its metric attribute and its name literal.</summary>
        public static MetricSite? Find(INamedTypeSymbol type, MetricModel metric, System.Threading.CancellationToken cancellationToken)
        {
            foreach (ISymbol member in type.GetMembers(metric.MemberName))
            {
                foreach (AttributeData attribute in member.GetAttributes())
                {
                    if (attribute.AttributeClass is { ContainingNamespace.Name: "MetricsGen" } attributeClass
                        && Array.IndexOf(MetricAttributeNames, attributeClass.Name) >= 0
                        && attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is AttributeSyntax syntax)
                    {
                        string declared = attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is string written
                            ? written
                            : Naming.ToSnakeCase(member.Name);
                        return new MetricSite(metric, member, syntax, NameLiteral(syntax), declared);
                    }
                }
            }

            return null;
        }

        private static LiteralExpressionSyntax? NameLiteral(AttributeSyntax attribute)
        {
            foreach (AttributeArgumentSyntax argument in attribute.ArgumentList?.Arguments ?? default)
            {
                if (argument.NameEquals is null && (argument.NameColon is null || argument.NameColon.Name.Identifier.ValueText == "name"))
                {
                    return argument.Expression is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.StringLiteralExpression) ? literal : null;
                }
            }

            return null;
        }

        private static string RightmostName(NameSyntax name) => name switch
        {
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            AliasQualifiedNameSyntax aliased => aliased.Name.Identifier.ValueText,
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            _ => string.Empty,
        };
    }
}
