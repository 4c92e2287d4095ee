using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using MetricsGen.Generator.Model;
using MetricsGen.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MetricsGen.Generator;

public sealed partial class MetricsGenerator
{
    /// <summary>The output of the transform: a model (null when the class cannot be generated) and its diagnostics.</summary>
    internal sealed record ParseResult(MetricClassModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);

    /// <summary>Reads symbols and syntax into plain models. Nothing from here on holds a symbol or a node.</summary>
    internal sealed partial class Parser
    {
        private const string AttributeNamespace = "MetricsGen";

        // LanguageVersion.CSharp13; the Roslyn the generator builds against predates the enum member.
        private const int PartialPropertiesLanguageVersion = 1300;

        private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
            .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        private readonly List<DiagnosticInfo> _diagnostics = new();
        // Valid enums read in this parse (the class model lists them); an invalid one is read and reported at each use.
        private readonly Dictionary<ITypeSymbol, EnumModel> _parsedEnums = new(SymbolEqualityComparer.Default);
        // Enums read as state set states (declaration order); they need no label helpers, so they are kept apart.
        private readonly Dictionary<ITypeSymbol, EnumModel> _stateEnums = new(SymbolEqualityComparer.Default);
        private readonly Dictionary<ITypeSymbol, string> _typeNames = new(SymbolEqualityComparer.IncludeNullability);
        private readonly CancellationToken _cancellationToken;

        private Parser(CancellationToken cancellationToken) => _cancellationToken = cancellationToken;

        public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
            Parse((INamedTypeSymbol)context.TargetSymbol, (TypeDeclarationSyntax)context.TargetNode, context.Attributes[0], cancellationToken);

        /// <summary>
        /// The same parse from a symbol, its declaration marked <c>[GatewayMetric]</c> and that attribute: the
        /// <see cref="Analyzers.DeclarationAnalyzer"/> reports the fixable diagnostics from here, so that each rule is
        /// written once and the analyzer cannot disagree with what the generator accepts.
        /// </summary>
        public static ParseResult Parse(INamedTypeSymbol type, TypeDeclarationSyntax declaration, AttributeData gatewayMetric, CancellationToken cancellationToken)
        {
            var parser = new Parser(cancellationToken);
            MetricClassModel? model = parser.ParseClass(type, declaration, gatewayMetric);
            return new ParseResult(model, parser._diagnostics.ToEquatableArray());
        }

        /// <summary>
        /// Whether the member's own declaration of its class is marked <c>[GatewayMetric]</c> (by that name), so it
        /// cannot be an orphan. Checked on syntax: binding every metric member of every metric class again, on every
        /// compilation change, only to find its class marked, cost as much as reading the classes. The cost is that a
        /// class marked with some other attribute named GatewayMetric gets no MG0017 (its partial members still get the
        /// compiler's "must have an implementation part"); a class marked through an alias is still bound and checked.
        /// </summary>
        public static bool InDeclaredMetricClass(SyntaxNode member)
        {
            if (member.Parent is not TypeDeclarationSyntax type)
            {
                return false;
            }

            foreach (AttributeListSyntax list in type.AttributeLists)
            {
                foreach (AttributeSyntax attribute in list.Attributes)
                {
                    if (RightmostName(attribute.Name) is "GatewayMetric" or "GatewayMetricAttribute")
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static string RightmostName(NameSyntax name) => name switch
        {
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            AliasQualifiedNameSyntax aliased => aliased.Name.Identifier.ValueText,
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            _ => string.Empty,
        };

        /// <summary>MG0017 when the member's class lacks <c>[GatewayMetric]</c>; otherwise nothing.</summary>
        public static EquatableArray<DiagnosticInfo> FindOrphan(GeneratorAttributeSyntaxContext context) =>
            FindOrphan(context.TargetSymbol, context.TargetNode, context.Attributes[0]);

        /// <summary>MG0017 for a member, its declaration and its metric attribute (shared with the analyzer).</summary>
        public static EquatableArray<DiagnosticInfo> FindOrphan(ISymbol member, SyntaxNode declaration, AttributeData metricAttribute)
        {
            INamedTypeSymbol? type = member.ContainingType;
            if (type is null || type.GetAttributes().Any(attribute => attribute.AttributeClass is { Name: "GatewayMetricAttribute" } found && IsRuntimeType(found)))
            {
                return EquatableArray<DiagnosticInfo>.Empty;
            }

            SyntaxToken? identifier = IdentifierOf(declaration);
            string attributeName = metricAttribute.AttributeClass?.Name ?? "Counter";
            attributeName = attributeName.EndsWith("Attribute", StringComparison.Ordinal) ? attributeName.Substring(0, attributeName.Length - "Attribute".Length) : attributeName;
            LocationInfo? location = identifier is { } token ? LocationInfo.From(token) : LocationInfo.From(declaration);
            return new[] { DiagnosticInfo.Create(DiagnosticDescriptors.MemberOutsideMetricClass, location, member.Name, attributeName, type.Name) }.ToEquatableArray();
        }

        private MetricClassModel? ParseClass(INamedTypeSymbol type, TypeDeclarationSyntax declaration, AttributeData gatewayMetric)
        {
            string fullName = type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);

            if (!IsPartialEverywhere(type))
            {
                Report(DiagnosticDescriptors.ClassNotPartial, declaration.Identifier, fullName);
                return null;
            }

            for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
            {
                if (current.TypeParameters.Length > 0)
                {
                    Report(DiagnosticDescriptors.GenericClass, declaration.Identifier, fullName);
                    return null;
                }
            }

            string? prefix = gatewayMetric.NamedArguments
                .Where(argument => argument.Key == "Prefix")
                .Select(argument => argument.Value.Value as string)
                .FirstOrDefault();
            if (prefix is { Length: > 0 } && !ExpositionRules.IsValidMetricName(prefix))
            {
                Report(DiagnosticDescriptors.InvalidMetricName, gatewayMetric.ApplicationSyntaxReference?.GetSyntax(_cancellationToken), prefix);
                return null;
            }

            var metrics = new List<(MetricModel Model, SyntaxNode? Attribute)>();
            foreach (ISymbol member in type.GetMembers())
            {
                _cancellationToken.ThrowIfCancellationRequested();
                if (ParseMember(member, prefix) is { } parsed)
                {
                    metrics.Add(parsed);
                }
            }

            var accepted = RejectClashes(metrics);
            ReportGeneratedNameClashes(type, accepted);
            return new MetricClassModel(
                type.ContainingNamespace.IsGlobalNamespace ? string.Empty : type.ContainingNamespace.ToDisplayString(),
                ContainingTypeDeclarations(type),
                type.IsRecord ? "record" : "class",
                type.Name,
                type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", string.Empty),
                accepted.OrderBy(metric => metric.MetricName, StringComparer.Ordinal).ToEquatableArray(),
                _parsedEnums.Values.OrderBy(model => model.FullName, StringComparer.Ordinal).ToEquatableArray());
        }

        private (MetricModel Model, SyntaxNode? Attribute)? ParseMember(ISymbol member, string? prefix)
        {
            SyntaxNode? syntax = member.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(_cancellationToken);
            if (ReadBoundAttribute(member) is not { } metricAttribute)
            {
                return null;
            }

            (MetricKind kind, MetricArguments attribute) = metricAttribute;
            SyntaxNode? attributeSyntax = attribute.Syntax;
            if (kind is MetricKind.Gauge or MetricKind.Counter && IsCallbackShape(syntax))
            {
                return ParseCallback(member, syntax!, attribute, attributeSyntax, kind, prefix);
            }

            if (!TryReadShape(member, syntax, out ITypeSymbol? returnType, out TypeSyntax? returnTypeSyntax, out string modifiers))
            {
                Report(DiagnosticDescriptors.MemberNotPartial, IdentifierOf(syntax) ?? (object?)syntax, member.Name);
                return null;
            }

            // Partial properties arrived in C# 13. Below it the compiler rejects the 'partial' modifier and, without an
            // implementing part, adds "must have an implementation part"; say what to change instead. The property is
            // still implemented, so the compiler's only other complaint is the language version itself.
            if (member is IPropertySymbol && syntax?.SyntaxTree.Options is CSharpParseOptions { LanguageVersion: var languageVersion }
                && (int)languageVersion < PartialPropertiesLanguageVersion)
            {
                Report(DiagnosticDescriptors.PartialPropertyNeedsCSharp13, IdentifierOf(syntax), member.Name, languageVersion.ToDisplayString());
            }

            EnumModel? stateEnum = null;
            if (kind == MetricKind.Info)
            {
                if (member is not IMethodSymbol { ReturnsVoid: true })
                {
                    Report(DiagnosticDescriptors.InfoNotVoidMethod, (object?)returnTypeSyntax ?? IdentifierOf(syntax), member.Name);
                    return null;
                }
            }
            else if (kind == MetricKind.StateSet)
            {
                if (returnType is not INamedTypeSymbol { Name: "StateSet", TypeArguments.Length: 1 } stateSet || !IsRuntimeType(stateSet)
                    || stateSet.TypeArguments[0] is not INamedTypeSymbol { TypeKind: TypeKind.Enum } enumType)
                {
                    Report(DiagnosticDescriptors.UnsupportedReturnType, returnTypeSyntax, member.Name, "StateSet", "StateSet<TEnum>", returnType.ToDisplayString());
                    return null;
                }

                stateEnum = ParseStateEnum(enumType, member.Name, returnTypeSyntax);
                if (stateEnum is null)
                {
                    return null;
                }
            }
            else if (returnType.Name != kind.ToString() || !IsRuntimeType(returnType))
            {
                Report(DiagnosticDescriptors.UnsupportedReturnType, returnTypeSyntax, member.Name, kind.ToString(), kind.ToString(), returnType.ToDisplayString());
                return null;
            }

            string? metricName = MetricNameOf(member, attribute, attributeSyntax, kind, prefix);
            if (metricName is null)
            {
                return null;
            }

            bool valid = true;
            string? help = attribute.String("Help") ?? (syntax is null ? null : DocComments.GetSummary(syntax));
            if (string.IsNullOrEmpty(help))
            {
                Report(DiagnosticDescriptors.MissingHelp, IdentifierOf(syntax), metricName);
            }

            string? unit = attribute.String("Unit");
            if (unit is not null)
            {
                if (!ExpositionRules.UnitMatches(metricName, TypeNames.Of(kind), unit))
                {
                    Report(DiagnosticDescriptors.UnitMismatch, attributeSyntax, metricName, unit);
                    valid = false;
                }
            }

            EquatableArray<double> buckets = EquatableArray<double>.Empty;
            if (kind == MetricKind.Histogram && attribute.TryGetArray("Buckets", out object?[]? bucketValues))
            {
                if (ReadBuckets(bucketValues, metricName, attributeSyntax) is { } read)
                {
                    buckets = read;
                }
                else
                {
                    valid = false;
                }
            }

            bool native = kind == MetricKind.Histogram && attribute.Value("Native", false);
            double nativeFactor = attribute.Value("NativeBucketFactor", MetricDefaults.NativeBucketFactor);
            double nativeZeroThreshold = attribute.Value("NativeZeroThreshold", MetricDefaults.NativeZeroThreshold);
            int nativeMaxBuckets = attribute.Value("NativeMaxBuckets", MetricDefaults.NativeMaxBuckets);
            if (native)
            {
                if (!(nativeFactor > 1) || double.IsInfinity(nativeFactor))
                {
                    Report(DiagnosticDescriptors.InvalidNativeBucketFactor, attributeSyntax, metricName, nativeFactor.ToString("R", CultureInfo.InvariantCulture));
                    valid = false;
                }

                if (!(nativeZeroThreshold >= 0) || double.IsInfinity(nativeZeroThreshold))
                {
                    Report(DiagnosticDescriptors.InvalidNativeZeroThreshold, attributeSyntax, metricName, nativeZeroThreshold.ToString("R", CultureInfo.InvariantCulture));
                    valid = false;
                }

                if (nativeMaxBuckets < 1)
                {
                    Report(DiagnosticDescriptors.InvalidNativeMaxBuckets, attributeSyntax, metricName, nativeMaxBuckets.ToString(CultureInfo.InvariantCulture));
                    valid = false;
                }
            }

            EquatableArray<double> quantiles = EquatableArray<double>.Empty;
            double maxAgeSeconds = MetricDefaults.SummaryMaxAgeSeconds;
            int ageBuckets = MetricDefaults.SummaryAgeBuckets;
            if (kind == MetricKind.Summary)
            {
                if (attribute.TryGetArray("Quantiles", out object?[]? quantileValues))
                {
                    if (ReadQuantiles(quantileValues, metricName, attributeSyntax) is { } read)
                    {
                        quantiles = read;
                    }
                    else
                    {
                        valid = false;
                    }
                }

                maxAgeSeconds = attribute.Value("MaxAgeSeconds", MetricDefaults.SummaryMaxAgeSeconds);
                ageBuckets = attribute.Value("AgeBuckets", 5);
                if (!(maxAgeSeconds > 0) || double.IsInfinity(maxAgeSeconds) || ageBuckets < 1)
                {
                    Report(DiagnosticDescriptors.InvalidSummaryWindow, attributeSyntax, metricName,
                        maxAgeSeconds.ToString("R", CultureInfo.InvariantCulture), ageBuckets.ToString(CultureInfo.InvariantCulture));
                    valid = false;
                }
            }

            string familyName = ExpositionRules.FamilyName(metricName, TypeNames.Of(kind));
            var labels = new List<LabelModel>();
            if (member is IMethodSymbol method)
            {
                foreach (IParameterSymbol parameter in method.Parameters)
                {
                    if (ParseLabel(parameter, kind, metricName, labels) is not { } label)
                    {
                        valid = false;
                    }
                    else if (kind == MetricKind.StateSet && label.LabelName == familyName)
                    {
                        Report(DiagnosticDescriptors.StateSetLabelClash, parameter.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(_cancellationToken), metricName, label.LabelName);
                        valid = false;
                    }
                    else
                    {
                        labels.Add(label);
                    }
                }
            }

            if (!ReadLifecycle(attribute, attributeSyntax, member.Name, metricName, labelled: member is IMethodSymbol { Parameters.Length: > 0 } && kind != MetricKind.Info, out int maxSeries, out double expireAfterSeconds))
            {
                valid = false;
            }

            if (!valid)
            {
                return null;
            }

            var model = new MetricModel(kind, member.Name, member is IPropertySymbol, modifiers, metricName, help ?? string.Empty, unit, buckets, labels.ToEquatableArray())
            {
                Exemplars = kind is MetricKind.Counter or MetricKind.Histogram && attribute.Value("Exemplars", false),
                Quantiles = quantiles,
                MaxAgeSeconds = maxAgeSeconds,
                AgeBuckets = ageBuckets,
                StateEnum = stateEnum,
                MaxSeries = maxSeries,
                ExpireAfterSeconds = expireAfterSeconds,
                Native = native,
                NativeBucketFactor = nativeFactor,
                NativeZeroThreshold = nativeZeroThreshold,
                NativeMaxBuckets = nativeMaxBuckets,
            };
            return (model, attributeSyntax);
        }

        /// <summary>A non-partial property with a getter body, or a method with a body: read at every scrape.</summary>
        private static bool IsCallbackShape(SyntaxNode? syntax) => syntax switch
        {
            PropertyDeclarationSyntax property => !property.Modifiers.Any(SyntaxKind.PartialKeyword)
                && (property.ExpressionBody is not null || property.AccessorList?.Accessors.Any(accessor => accessor.IsKind(SyntaxKind.GetAccessorDeclaration) && (accessor.Body is not null || accessor.ExpressionBody is not null)) == true),
            MethodDeclarationSyntax method => !method.Modifiers.Any(SyntaxKind.PartialKeyword) && (method.Body is not null || method.ExpressionBody is not null),
            _ => false,
        };

        private (MetricModel Model, SyntaxNode? Attribute)? ParseCallback(ISymbol member, SyntaxNode syntax, MetricArguments attribute, SyntaxNode? attributeSyntax, MetricKind kind, string? prefix)
        {
            if (member is IMethodSymbol { Parameters.Length: > 0 } || member is IPropertySymbol { IsIndexer: true })
            {
                Report(DiagnosticDescriptors.CallbackWithParameters, IdentifierOf(syntax) ?? (object)syntax, member.Name);
                return null;
            }

            ITypeSymbol type = member is IPropertySymbol property ? property.Type : ((IMethodSymbol)member).ReturnType;
            if (IsRuntimeType(type))
            {
                // Returns a metric handle, so it was meant to be implemented by the generator: 'partial' is missing.
                Report(DiagnosticDescriptors.MemberNotPartial, IdentifierOf(syntax) ?? (object)syntax, member.Name);
                return null;
            }

            if (type.SpecialType is not (SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Double))
            {
                TypeSyntax? typeSyntax = syntax is PropertyDeclarationSyntax p ? p.Type : ((MethodDeclarationSyntax)syntax).ReturnType;
                Report(DiagnosticDescriptors.CallbackReturnType, typeSyntax, member.Name, type.ToDisplayString());
                return null;
            }

            if (kind == MetricKind.Counter && attribute.Value("Exemplars", false))
            {
                Report(DiagnosticDescriptors.OptionOnCallback, attributeSyntax, member.Name, "Exemplars");
                return null;
            }

            foreach (string option in new[] { "MaxSeries", "ExpireAfterSeconds" })
            {
                if (attribute.Has(option))
                {
                    Report(DiagnosticDescriptors.OptionOnCallback, attributeSyntax, member.Name, option);
                    return null;
                }
            }

            string? metricName = MetricNameOf(member, attribute, attributeSyntax, kind, prefix);
            if (metricName is null)
            {
                return null;
            }

            string? help = attribute.String("Help") ?? DocComments.GetSummary(syntax);
            if (string.IsNullOrEmpty(help))
            {
                Report(DiagnosticDescriptors.MissingHelp, IdentifierOf(syntax), metricName);
            }

            string? unit = attribute.String("Unit");
            if (unit is not null && !ExpositionRules.UnitMatches(metricName, TypeNames.Of(kind), unit))
            {
                Report(DiagnosticDescriptors.UnitMismatch, attributeSyntax, metricName, unit);
                return null;
            }

            var model = new MetricModel(kind, member.Name, member is IPropertySymbol, string.Empty, metricName, help ?? string.Empty, unit, EquatableArray<double>.Empty, EquatableArray<LabelModel>.Empty)
            {
                IsCallback = true,
            };
            return (model, attributeSyntax);
        }

        private static bool TryReadShape(ISymbol member, SyntaxNode? syntax, out ITypeSymbol returnType, out TypeSyntax? returnTypeSyntax, out string modifiers)
        {
            returnType = null!;
            returnTypeSyntax = null;
            modifiers = string.Empty;
            if (member.IsStatic)
            {
                return false;
            }

            switch (member, syntax)
            {
                case (IMethodSymbol method, MethodDeclarationSyntax declaration)
                    when declaration.Modifiers.Any(SyntaxKind.PartialKeyword) && declaration.Body is null && declaration.ExpressionBody is null
                        && method.TypeParameters.Length == 0
                        && (method.PartialImplementationPart is null || IsOwnOutput(method.PartialImplementationPart.Locations.FirstOrDefault()?.SourceTree)):
                    returnType = method.ReturnType;
                    returnTypeSyntax = declaration.ReturnType;
                    modifiers = declaration.Modifiers.ToString();
                    return true;

                case (IPropertySymbol property, PropertyDeclarationSyntax declaration)
                    when declaration.Modifiers.Any(SyntaxKind.PartialKeyword) && declaration.ExpressionBody is null
                        && declaration.AccessorList is { Accessors: { Count: 1 } accessors }
                        && accessors[0].IsKind(SyntaxKind.GetAccessorDeclaration) && accessors[0].Body is null && accessors[0].ExpressionBody is null
                        && !property.IsIndexer && !HasImplementingDeclaration(property, declaration):
                    returnType = property.Type;
                    returnTypeSyntax = declaration.Type;
                    modifiers = declaration.Modifiers.ToString();
                    return true;

                default:
                    return false;
            }
        }

        /// <summary>
        /// Whether the user already wrote the implementing part of a partial property (the generator would add a
        /// second one). Read from syntax: the symbol API for partial property parts is newer than the Roslyn we target.
        /// </summary>
        private static bool HasImplementingDeclaration(IPropertySymbol property, PropertyDeclarationSyntax definition)
        {
            foreach (SyntaxReference reference in property.ContainingType.DeclaringSyntaxReferences)
            {
                if (!IsOwnOutput(reference.SyntaxTree) && reference.GetSyntax() is TypeDeclarationSyntax type
                    && type.Members.OfType<PropertyDeclarationSyntax>().Any(other => other != definition && other.Identifier.ValueText == property.Name))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// Whether a tree is this generator's own output. The generator never sees it (generators read the compilation
        /// before they add to it), but the <see cref="Analyzers.DeclarationAnalyzer"/> does: there a member this
        /// generator implemented must not count as one the user implemented already. Roslyn names generated trees
        /// &lt;assembly&gt;/&lt;generator type&gt;/&lt;hint name&gt;.
        /// </summary>
        internal static bool IsOwnOutput(SyntaxTree? tree) =>
            tree is not null && System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(tree.FilePath)) == OwnOutputDirectory;

        private static readonly string OwnOutputDirectory = typeof(MetricsGenerator).FullName!;

        /// <summary>A top-level type of the <c>MetricsGen</c> namespace, checked without building display strings.</summary>
        private static bool IsRuntimeType(ITypeSymbol? type) =>
            type is { ContainingType: null, ContainingNamespace: { Name: AttributeNamespace, ContainingNamespace.IsGlobalNamespace: true } };

        private static bool IsPartialEverywhere(INamedTypeSymbol type)
        {
            for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
            {
                foreach (SyntaxReference reference in current.DeclaringSyntaxReferences)
                {
                    if (reference.GetSyntax() is TypeDeclarationSyntax declaration && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        private static EquatableArray<string> ContainingTypeDeclarations(INamedTypeSymbol type)
        {
            var declarations = new List<string>();
            for (INamedTypeSymbol? current = type.ContainingType; current is not null; current = current.ContainingType)
            {
                string keyword = current.IsRecord
                    ? (current.TypeKind == TypeKind.Struct ? "record struct" : "record")
                    : current.TypeKind switch
                    {
                        TypeKind.Struct => "struct",
                        TypeKind.Interface => "interface",
                        _ => "class",
                    };
                declarations.Insert(0, "partial " + keyword + " " + current.Name);
            }

            return declarations.ToEquatableArray();
        }

        private static SyntaxToken? IdentifierOf(SyntaxNode? syntax) => syntax switch
        {
            MethodDeclarationSyntax method => method.Identifier,
            PropertyDeclarationSyntax property => property.Identifier,
            _ => null,
        };

        private void Report(DiagnosticDescriptor descriptor, object? at, params string[] args)
        {
            LocationInfo? location = at switch
            {
                SyntaxToken token => LocationInfo.From(token),
                SyntaxNode node => LocationInfo.From(node),
                _ => null,
            };
            _diagnostics.Add(DiagnosticInfo.Create(descriptor, location, args));
        }
    }
}
