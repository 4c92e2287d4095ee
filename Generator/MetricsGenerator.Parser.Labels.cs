using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MetricsGen.Generator.Model;
using MetricsGen.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
namespace MetricsGen.Generator;

public sealed partial class MetricsGenerator
{
    // Label parameters, their types, and the enums read for label values and state sets.
    internal sealed partial class Parser
    {
        /// <summary>The states of a state set: the enum's members in declaration order, named like enum label values.</summary>
        private EnumModel? ParseStateEnum(INamedTypeSymbol enumType, string memberName, SyntaxNode? location)
        {
            if (_stateEnums.TryGetValue(enumType, out EnumModel? known))
            {
                return known;
            }

            var members = new List<EnumMemberModel>();
            var values = new HashSet<string>(StringComparer.Ordinal);
            var writtenBy = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (IFieldSymbol field in enumType.GetMembers().OfType<IFieldSymbol>())
            {
                // Members sharing a value are one state; the first declared names it.
                if (!field.HasConstantValue || !values.Add(Convert.ToString(field.ConstantValue, CultureInfo.InvariantCulture)!))
                {
                    continue;
                }

                string state = LabelValueOf(field);
                if (writtenBy.TryGetValue(state, out string? other))
                {
                    Report(DiagnosticDescriptors.DuplicateEnumLabelValue, location, enumType.ToDisplayString(), memberName, other, field.Name, state);
                    return null;
                }

                writtenBy[state] = field.Name;
                members.Add(new EnumMemberModel(field.Name, state));
            }

            if (members.Count == 0)
            {
                Report(DiagnosticDescriptors.StateSetWithoutStates, location, memberName, enumType.ToDisplayString());
                return null;
            }

            var model = new EnumModel(enumType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), false, members.ToEquatableArray());
            _stateEnums[enumType] = model;
            return model;
        }

        private string LabelValueOf(IFieldSymbol field) =>
            DeclaredWithoutAttributes(field) ? Naming.ToSnakeCase(field.Name) : field.GetAttributes()
                .Where(attribute => attribute.AttributeClass is { Name: "LabelValueAttribute" } type && IsRuntimeType(type))
                .Select(attribute => attribute.ConstructorArguments.FirstOrDefault().Value as string)
                .FirstOrDefault() ?? Naming.ToSnakeCase(field.Name);

        /// <summary>An enum member declared in source without attributes: there are none to bind.</summary>
        private bool DeclaredWithoutAttributes(IFieldSymbol field) =>
            field.DeclaringSyntaxReferences is { Length: 1 } references
            && references[0].GetSyntax(_cancellationToken) is EnumMemberDeclarationSyntax { AttributeLists.Count: 0 };

        private LabelModel? ParseLabel(IParameterSymbol parameter, MetricKind kind, string metricName, List<LabelModel> earlier)
        {
            SyntaxNode? syntax = parameter.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(_cancellationToken);
            // Most labels of a class share a few types; the display string depends only on the type and its annotations.
            if (!_typeNames.TryGetValue(parameter.Type, out string? typeName))
            {
                typeName = parameter.Type.ToDisplayString(TypeFormat);
                _typeNames.Add(parameter.Type, typeName);
            }

            LabelKind? labelKind = parameter.RefKind != RefKind.None || parameter.IsParams ? null : ClassifyLabelType(parameter.Type);
            if (labelKind is null)
            {
                Report(DiagnosticDescriptors.UnsupportedLabelType, syntax, parameter.Name, parameter.Type.ToDisplayString());
                return null;
            }

            string? explicitName = parameter.GetAttributes()
                .Where(attribute => attribute.AttributeClass is { Name: "LabelAttribute" } type && IsRuntimeType(type))
                .Select(attribute => attribute.ConstructorArguments.FirstOrDefault().Value as string)
                .FirstOrDefault();

            string labelName = explicitName ?? Naming.ToSnakeCase(parameter.Name);
            if (!ExpositionRules.IsValidLabelName(labelName))
            {
                Report(DiagnosticDescriptors.InvalidLabelName, syntax, labelName);
                return null;
            }

            if (labelName == ExpositionRules.BucketBoundLabel && kind == MetricKind.Histogram)
            {
                Report(DiagnosticDescriptors.ReservedLabelLe, syntax, metricName);
                return null;
            }

            if (labelName == ExpositionRules.QuantileLabel)
            {
                Report(DiagnosticDescriptors.ReservedLabelQuantile, syntax, metricName);
                return null;
            }

            if (earlier.Any(label => label.LabelName == labelName))
            {
                Report(DiagnosticDescriptors.DuplicateLabelName, syntax, metricName, labelName);
                return null;
            }

            string? enumName = null;
            int size = labelKind == LabelKind.Bool ? 2 : 0;
            if (labelKind == LabelKind.Enum)
            {
                EnumModel? enumModel = ParseEnum((INamedTypeSymbol)parameter.Type, labelName, syntax);
                if (enumModel is null)
                {
                    return null;
                }

                enumName = enumModel.FullName;
                size = enumModel.Members.Count;
            }

            string parameterName = SyntaxFacts.GetKeywordKind(parameter.Name) != SyntaxKind.None ? "@" + parameter.Name : parameter.Name;
            return new LabelModel(parameterName, typeName, labelName, labelKind.Value, enumName, size);
        }

        private static LabelKind? ClassifyLabelType(ITypeSymbol type)
        {
            if (type.TypeKind == TypeKind.Enum)
            {
                return LabelKind.Enum;
            }

            return type.SpecialType switch
            {
                SpecialType.System_String => LabelKind.String,
                SpecialType.System_Boolean => LabelKind.Bool,
                SpecialType.System_SByte or SpecialType.System_Int16 or SpecialType.System_Int32 or SpecialType.System_Int64 => LabelKind.SignedInteger,
                SpecialType.System_Byte or SpecialType.System_UInt16 or SpecialType.System_UInt32 or SpecialType.System_UInt64 => LabelKind.UnsignedInteger,
                _ => null,
            };
        }

        private EnumModel? ParseEnum(INamedTypeSymbol enumType, string labelName, SyntaxNode? location)
        {
            if (_parsedEnums.TryGetValue(enumType, out EnumModel? known))
            {
                return known;
            }

            string fullName = enumType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            var members = new List<EnumMemberModel>();
            var values = new List<string>();
            var writtenBy = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (IFieldSymbol field in enumType.GetMembers().OfType<IFieldSymbol>())
            {
                if (!field.HasConstantValue)
                {
                    continue;
                }

                // Members sharing a value are one value at run time; the first declared names it.
                string value = Convert.ToString(field.ConstantValue, CultureInfo.InvariantCulture)!;
                if (values.Contains(value))
                {
                    continue;
                }

                string labelValue = LabelValueOf(field);
                if (writtenBy.TryGetValue(labelValue, out string? other))
                {
                    Report(DiagnosticDescriptors.DuplicateEnumLabelValue, location, enumType.ToDisplayString(), labelName, other, field.Name, labelValue);
                    return null;
                }

                writtenBy[labelValue] = field.Name;
                values.Add(value);
                members.Add(new EnumMemberModel(field.Name, labelValue));
            }

            bool fitsInt = enumType.EnumUnderlyingType?.SpecialType is SpecialType.System_Int32 or SpecialType.System_UInt32
                or SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Byte or SpecialType.System_SByte;
            bool zeroBased = fitsInt && values.Select((value, index) => value == index.ToString(CultureInfo.InvariantCulture)).All(same => same);
            var model = new EnumModel(fullName, zeroBased, members.ToEquatableArray());
            _parsedEnums[enumType] = model;
            return model;
        }
    }
}
