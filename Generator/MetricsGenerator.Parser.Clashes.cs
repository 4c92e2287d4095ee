using System;
using System.Collections.Generic;
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
    // Metrics whose names clash with each other (rejected) and user members that clash with generated names (MG0018).
    internal sealed partial class Parser
    {
        /// <remarks>Locations are made only for the clashes reported: most metrics need none.</remarks>
        private List<MetricModel> RejectClashes(List<(MetricModel Model, SyntaxNode? Attribute)> metrics)
        {
            // Every reserved name points at the metric that owns it: one pass, not a comparison of every pair. The names
            // are kept as a part of the metric name and a suffix, built as strings only for a clash to report.
            var owners = new Dictionary<ExpositionRules.NamePart, MetricModel>(metrics.Count * 3);
            var accepted = new List<MetricModel>(metrics.Count);
            foreach ((MetricModel metric, SyntaxNode? attribute) in metrics)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                string name = metric.MetricName;
                if (owners.TryGetValue(new ExpositionRules.NamePart(name, name.Length, string.Empty), out MetricModel? same) && same.MetricName == name)
                {
                    _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateMetricName, LocationInfo.From(attribute), same.MemberName, metric.MemberName, name));
                    continue;
                }

                string typeName = TypeNames.Of(metric.Kind);
                int reserved = ExpositionRules.ReservedNameCount(typeName);
                MetricModel? owner = null;
                ExpositionRules.NamePart shared = default;
                for (int i = 0; i < reserved && owner is null; i++)
                {
                    shared = ExpositionRules.ReservedName(name, typeName, i);
                    owners.TryGetValue(shared, out owner);
                }

                if (owner is not null)
                {
                    _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MetricNameCollision, LocationInfo.From(attribute), name, metric.MemberName, shared.ToString(), owner.MetricName, owner.MemberName));
                    continue;
                }

                for (int i = 0; i < reserved; i++)
                {
                    owners[ExpositionRules.ReservedName(name, typeName, i)] = metric;
                }

                accepted.Add(metric);
            }

            return accepted;
        }

        /// <summary>
        /// MG0018 for a user member or constructor that has the name (or signature) of one MetricsGen generates,
        /// which would otherwise be a bare CS0102/CS0111 inside generated code.
        /// </summary>
        private void ReportGeneratedNameClashes(INamedTypeSymbol type, List<MetricModel> metrics)
        {
            // The metric each name is generated for (null: once per class); the message is made only for a clash.
            // Made only when a member is named like a generated one: most classes have none, and the set is several
            // strings per metric.
            Dictionary<string, MetricModel?>? generated = null;
            foreach (ISymbol member in type.GetMembers())
            {
                if (member.IsImplicitlyDeclared)
                {
                    continue;
                }

                bool clashes;
                if (member is IMethodSymbol { MethodKind: MethodKind.Constructor, IsStatic: false } constructor)
                {
                    clashes = constructor.Parameters.Length == 0
                        || (constructor.Parameters.Length == 1 && constructor.Parameters[0].Type is { Name: "MetricRegistry" } registryType && IsRuntimeType(registryType));
                }
                else
                {
                    clashes = GeneratedNames.MayBeGenerated(member.Name) && (generated ??= GeneratedNamesOf(metrics)).ContainsKey(member.Name);
                }

                if (!clashes)
                {
                    continue;
                }

                string detail = member is IMethodSymbol { MethodKind: MethodKind.Constructor }
                    ? " (the constructors () and (MetricRegistry) are generated)"
                    : generated![member.Name] is { } owner ? " for metric '" + owner.MetricName + "'" : string.Empty;
                SyntaxNode? syntax = member.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(_cancellationToken);
                object? at = syntax switch
                {
                    MethodDeclarationSyntax method => method.Identifier,
                    PropertyDeclarationSyntax property => property.Identifier,
                    ConstructorDeclarationSyntax ctor => ctor.Identifier,
                    BaseTypeDeclarationSyntax nested => nested.Identifier,
                    VariableDeclaratorSyntax field => field.Identifier,
                    _ => syntax,
                };
                Report(DiagnosticDescriptors.GeneratedNameClash, at, member is IMethodSymbol { MethodKind: MethodKind.Constructor } ? type.Name : member.Name, detail);
            }
        }

        private static Dictionary<string, MetricModel?> GeneratedNamesOf(List<MetricModel> metrics)
        {
            var generated = new Dictionary<string, MetricModel?>(StringComparer.Ordinal);
            foreach (MetricModel metric in metrics)
            {
                foreach (string name in GeneratedNames.MemberNames(metric))
                {
                    generated[name] = metric;
                }
            }

            bool hasEnums = metrics.Any(metric => metric.Labels.Any(label => label.Kind == LabelKind.Enum));
            foreach (string name in GeneratedNames.ClassMemberNames(hasEnums))
            {
                generated[name] = null;
            }

            return generated;
        }
    }
}
