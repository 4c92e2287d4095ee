using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using MetricsGen.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace MetricsGen.Generator.Analyzers;

/// <summary>
/// MG0040: a label argument of a metric call whose value comes from a source known to have no bound (a request's
/// path or headers, a new GUID, a formatted clock, an exception message, console input). Every distinct value is a
/// new series, so such a label grows the metric until its series limit. The value is followed through simple locals,
/// concatenation and interpolation; anything else is not traced and gets no warning.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed partial class CardinalityAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.UnboundedLabelValue);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            // Without the MetricsGen runtime there are no metric members to call: nothing is registered.
            Compilation compilation = start.Compilation;
            if (compilation.GetTypeByMetadataName(MetricsGenerator.GatewayMetricAttributeName) is not { } gateway)
            {
                return;
            }

            var metricAttributes = new Dictionary<INamedTypeSymbol, string>(SymbolEqualityComparer.Default);
            foreach ((string name, string suffix) in MetricAttributes)
            {
                if (compilation.GetTypeByMetadataName(name) is { } attribute)
                {
                    metricAttributes[attribute] = suffix;
                }
            }

            var analysis = new CompilationAnalysis(
                gateway,
                compilation.GetTypeByMetadataName("MetricsGen.LabelAttribute"),
                metricAttributes,
                UnboundedSources.Resolve(compilation),
                new Lazy<HashSet<string>>(() => CandidateNames(compilation, gateway), LazyThreadSafetyMode.ExecutionAndPublication));
            // A syntax action, not an operation action: an operation action makes the driver build the operation tree of
            // every method body in the project (measured +25 to +40 % on the 300-file benchmark project, docs/benchmarks.md),
            // while this one binds only the bodies that call a method named like a metric member.
            start.RegisterSyntaxNodeAction(analysis.AnalyzeInvocation, SyntaxKind.InvocationExpression);
        });
    }

    // Info metrics are left out: an info metric has one series, so its labels cannot grow it.
    private static readonly (string Name, string Suffix)[] MetricAttributes =
    {
        ("MetricsGen.CounterAttribute", ExpositionRules.CounterSuffix),
        ("MetricsGen.GaugeAttribute", ""),
        ("MetricsGen.HistogramAttribute", ""),
        ("MetricsGen.SummaryAttribute", ""),
        ("MetricsGen.StateSetAttribute", ""),
    };

    /// <summary>A metric member: its exposed name and, by parameter position, the label names to check (null: bounded type).</summary>
    private sealed record MetricTarget(string MetricName, ImmutableArray<string?> Labels);

    private sealed class CompilationAnalysis
    {
        // Stands for "not a metric class" and "not a metric member" in the caches (ConcurrentDictionary values may not be absent).
        private static readonly MetricTarget NotMetric = new(string.Empty, ImmutableArray<string?>.Empty);
        private const string NotMetricClass = "\0";

        private readonly INamedTypeSymbol _gatewayAttribute;
        private readonly INamedTypeSymbol? _labelAttribute;
        private readonly Dictionary<INamedTypeSymbol, string> _metricAttributes;
        private readonly Dictionary<INamedTypeSymbol, Dictionary<string, SourceRule>> _sources;
        private readonly Lazy<HashSet<string>> _candidateNames;

        // Most invocations in a project call types that are not metric classes: one lookup per type decides.
        private readonly ConcurrentDictionary<INamedTypeSymbol, string> _classPrefixes = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<IMethodSymbol, MetricTarget> _targets = new(SymbolEqualityComparer.Default);

        public CompilationAnalysis(
            INamedTypeSymbol gatewayAttribute,
            INamedTypeSymbol? labelAttribute,
            Dictionary<INamedTypeSymbol, string> metricAttributes,
            Dictionary<INamedTypeSymbol, Dictionary<string, SourceRule>> sources,
            Lazy<HashSet<string>> candidateNames)
        {
            _candidateNames = candidateNames;
            _gatewayAttribute = gatewayAttribute;
            _labelAttribute = labelAttribute;
            _metricAttributes = metricAttributes;
            _sources = sources;
        }

        public void AnalyzeInvocation(SyntaxNodeAnalysisContext context)
        {
            var syntax = (InvocationExpressionSyntax)context.Node;
            if (syntax.ArgumentList.Arguments.Count == 0)
            {
                return;
            }

            string? name = syntax.Expression switch
            {
                MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
                MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
                IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
                _ => null,
            };
            if (name is null || !_candidateNames.Value.Contains(name)
                || context.SemanticModel.GetOperation(syntax, context.CancellationToken) is not IInvocationOperation invocation)
            {
                return;
            }

            IMethodSymbol method = invocation.TargetMethod;
            // Metric members are non-generic instance methods with label parameters, on non-generic classes.
            if (method.IsStatic || method.Parameters.IsEmpty || method.MethodKind != MethodKind.Ordinary || method.IsGenericMethod
                || method.ContainingType is not { TypeKind: TypeKind.Class, IsGenericType: false } type)
            {
                return;
            }

            string prefix = _classPrefixes.GetOrAdd(type, PrefixOf);
            if (ReferenceEquals(prefix, NotMetricClass))
            {
                return;
            }

            MetricTarget target = _targets.GetOrAdd(method, member => TargetOf(member, prefix));
            if (ReferenceEquals(target, NotMetric))
            {
                return;
            }

            foreach (IArgumentOperation argument in invocation.Arguments)
            {
                if (argument.ArgumentKind != ArgumentKind.Explicit || argument.Parameter is not { } parameter
                    || parameter.Ordinal >= target.Labels.Length || target.Labels[parameter.Ordinal] is not { } label)
                {
                    continue;
                }

                var tracer = new ValueTracer(_sources, context.CancellationToken);
                if (tracer.Trace(argument.Value, 0) is { } source)
                {
                    context.ReportDiagnostic(Diagnostic.Create(
                        DiagnosticDescriptors.UnboundedLabelValue, ArgumentSyntaxOf(argument.Syntax).GetLocation(), label, target.MetricName, source));
                }
            }
        }

        // The argument operation's syntax can be the expression under a '!' or a name; the warning covers the whole argument.
        private static SyntaxNode ArgumentSyntaxOf(SyntaxNode syntax)
        {
            SyntaxNode node = syntax;
            while (node is not ArgumentSyntax && node.Parent is PostfixUnaryExpressionSyntax or ParenthesizedExpressionSyntax or ArgumentSyntax)
            {
                node = node.Parent;
            }

            return node;
        }

        /// <summary>The class's metric name prefix ("" for none), or <see cref="NotMetricClass"/>.</summary>
        private string PrefixOf(INamedTypeSymbol type)
        {
            foreach (AttributeData attribute in type.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, _gatewayAttribute))
                {
                    foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
                    {
                        if (named.Key == "Prefix" && named.Value.Value is string prefix)
                        {
                            return prefix;
                        }
                    }

                    return string.Empty;
                }
            }

            return NotMetricClass;
        }

        private MetricTarget TargetOf(IMethodSymbol method, string prefix)
        {
            foreach (AttributeData attribute in method.GetAttributes())
            {
                if (attribute.AttributeClass is null || !_metricAttributes.TryGetValue(attribute.AttributeClass, out string? suffix))
                {
                    continue;
                }

                string name = attribute.ConstructorArguments.FirstOrDefault().Value as string ?? Naming.ToSnakeCase(method.Name);
                if (suffix.Length > 0 && !name.EndsWith(suffix, System.StringComparison.Ordinal))
                {
                    name += suffix;
                }

                var labels = ImmutableArray.CreateBuilder<string?>(method.Parameters.Length);
                bool any = false;
                foreach (IParameterSymbol parameter in method.Parameters)
                {
                    // Enums and bools are bounded by their type; only string and integral labels can grow without bound.
                    string? label = IsOpenLabelType(parameter.Type) ? LabelNameOf(parameter) : null;
                    any |= label is not null;
                    labels.Add(label);
                }

                return any ? new MetricTarget(prefix.Length == 0 ? name : prefix + "_" + name, labels.MoveToImmutable()) : NotMetric;
            }

            return NotMetric;
        }

        private string LabelNameOf(IParameterSymbol parameter)
        {
            foreach (AttributeData attribute in parameter.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, _labelAttribute)
                    && attribute.ConstructorArguments.FirstOrDefault().Value is string name)
                {
                    return name;
                }
            }

            return Naming.ToSnakeCase(parameter.Name);
        }

        // A byte or sbyte label has at most 256 values, so it is bounded too.
        private static bool IsOpenLabelType(ITypeSymbol type) => type.SpecialType is SpecialType.System_String
            or SpecialType.System_Int16 or SpecialType.System_Int32 or SpecialType.System_Int64
            or SpecialType.System_UInt16 or SpecialType.System_UInt32 or SpecialType.System_UInt64;
    }
}
