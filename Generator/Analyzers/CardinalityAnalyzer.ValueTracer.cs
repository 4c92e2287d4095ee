using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MetricsGen.Generator.Analyzers;

public sealed partial class CardinalityAnalyzer
{
    /// <summary>
    /// Follows one label value back to where it comes from and names the unbounded source it finds, or returns null.
    /// Null means "bounded or not known": only the shapes below are followed, so an unknown call, a field, a parameter or
    /// a local written in any other way ends the trace without a warning.
    /// </summary>
    private sealed class ValueTracer
    {
        // Deep enough for a few locals and transforms in a row; a longer chain is not "simple" any more.
        private const int MaxDepth = 16;

        private readonly Dictionary<INamedTypeSymbol, Dictionary<string, SourceRule>> _sources;
        private readonly CancellationToken _cancellationToken;
        private HashSet<ILocalSymbol>? _tracing;

        public ValueTracer(Dictionary<INamedTypeSymbol, Dictionary<string, SourceRule>> sources, CancellationToken cancellationToken)
        {
            _sources = sources;
            _cancellationToken = cancellationToken;
        }

        /// <summary>The unbounded source of <paramref name="operation"/>'s value, shown for the message, or null.</summary>
        public string? Trace(IOperation? operation, int depth)
        {
            if (operation is null || depth > MaxDepth || operation.ConstantValue.HasValue)
            {
                return null;
            }

            depth++;
            switch (operation)
            {
                case IConversionOperation conversion:
                    return conversion.OperatorMethod is { } conversionOperator
                        ? Member(conversionOperator, conversion.Operand, depth)
                        : Trace(conversion.Operand, depth);
                case IParenthesizedOperation parenthesized:
                    return Trace(parenthesized.Operand, depth);
                case IAwaitOperation awaited:
                    return Trace(awaited.Operation, depth);
                case IPropertyReferenceOperation property:
                    return Member(property.Property, property.Instance, depth);
                case IInvocationOperation invocation:
                    return Invocation(invocation, depth);
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } binary:
                    return Trace(binary.LeftOperand, depth) ?? Trace(binary.RightOperand, depth);
                case IInterpolatedStringOperation interpolated:
                    foreach (IInterpolatedStringContentOperation part in interpolated.Parts)
                    {
                        if (part is IInterpolationOperation hole && Trace(hole.Expression, depth) is { } found)
                        {
                            return found;
                        }
                    }

                    return null;
                case IConditionalOperation conditional:
                    return Trace(conditional.WhenTrue, depth) ?? Trace(conditional.WhenFalse, depth);
                case ICoalesceOperation coalesce:
                    return Trace(coalesce.Value, depth) ?? Trace(coalesce.WhenNull, depth);
                case ISwitchExpressionOperation switchExpression:
                    foreach (ISwitchExpressionArmOperation arm in switchExpression.Arms)
                    {
                        if (Trace(arm.Value, depth) is { } found)
                        {
                            return found;
                        }
                    }

                    return null;
                case IConditionalAccessOperation conditionalAccess:
                    return Trace(conditionalAccess.WhenNotNull, depth);
                case IConditionalAccessInstanceOperation instance:
                    return Trace(ReceiverOf(instance), depth);
                case ILocalReferenceOperation local:
                    return Local(local, depth);
                default:
                    return null;
            }
        }

        private string? Invocation(IInvocationOperation invocation, int depth)
        {
            IMethodSymbol method = invocation.TargetMethod;
            if (method.IsStatic && method.ContainingType.SpecialType == SpecialType.System_String && UnboundedSources.StringBuilders.Contains(method.Name))
            {
                // string.Concat, string.Format, string.Join: unbounded when any argument (or element of a params array) is.
                foreach (IArgumentOperation argument in invocation.Arguments)
                {
                    IOperation value = argument.Value;
                    if (value is IArrayCreationOperation { Initializer: { } initializer })
                    {
                        foreach (IOperation element in initializer.ElementValues)
                        {
                            if (Trace(element, depth) is { } found)
                            {
                                return found;
                            }
                        }
                    }
                    else if (Trace(value, depth) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            }

            // An extension method's receiver is its first argument.
            IOperation? receiver = invocation.Instance
                ?? (method.IsExtensionMethod && !invocation.Arguments.IsEmpty ? invocation.Arguments[0].Value : null);
            return Member(method, receiver, depth);
        }

        /// <summary>A member read or called on <paramref name="receiver"/> (null for a static member).</summary>
        private string? Member(ISymbol member, IOperation? receiver, int depth)
        {
            SourceRule? rule = RuleOf(member);
            if (rule is { Kind: SourceKind.Source })
            {
                return rule.Show(member);
            }

            if (receiver is not null && (rule is not null || IsTransform(member)) && Trace(receiver, depth) is { } found)
            {
                // The receiver's own source names the value better ("HttpRequest.Path" rather than "PathString.Value").
                return found;
            }

            if (rule is { Kind: SourceKind.ValueOf } && !IsConfiguration(receiver))
            {
                return rule.Show(member);
            }

            return null;
        }

        private SourceRule? RuleOf(ISymbol member)
        {
            // Through the base types: an exception's own Message override, StreamReader.ReadLine.
            for (INamedTypeSymbol? type = member.ContainingType; type is not null; type = type.BaseType)
            {
                if (_sources.TryGetValue(type.OriginalDefinition, out Dictionary<string, SourceRule>? members)
                    && members.TryGetValue(member.Name, out SourceRule? rule))
                {
                    return rule;
                }
            }

            return null;
        }

        private static bool IsTransform(ISymbol member) =>
            UnboundedSources.Transforms.Contains(member.Name)
            // A user-defined conversion (StringValues to string) keeps the value.
            || member is IMethodSymbol { MethodKind: MethodKind.Conversion }
            || member is IPropertySymbol { IsIndexer: true }
            // A header by name (IHeaderDictionary.UserAgent and the like) is a StringValues property.
            || member is IPropertySymbol { Type: { Name: "StringValues", ContainingNamespace: { Name: "Primitives", ContainingNamespace: { Name: "Extensions", ContainingNamespace.Name: "Microsoft" } } } };

        /// <summary>
        /// A URL or path value taken as configuration rather than input: a field, a value built in place, a constant.
        /// A local is traced to its assignments instead, so it does not count as unknown input either.
        /// </summary>
        private static bool IsConfiguration(IOperation? receiver)
        {
            while (receiver is IConversionOperation { OperatorMethod: null } conversion)
            {
                receiver = conversion.Operand;
            }

            return receiver is null or IFieldReferenceOperation or IObjectCreationOperation or ILocalReferenceOperation
                or ILiteralOperation or IDefaultValueOperation or IInstanceReferenceOperation
                || receiver.ConstantValue.HasValue;
        }

        /// <summary>What <c>?.</c> was applied to: the operand of the nearest conditional access entered from its WhenNotNull side.</summary>
        private static IOperation? ReceiverOf(IConditionalAccessInstanceOperation instance)
        {
            IOperation child = instance;
            for (IOperation? parent = instance.Parent; parent is not null; child = parent, parent = parent.Parent)
            {
                if (parent is IConditionalAccessOperation access && access.WhenNotNull == child)
                {
                    return access.Operation;
                }
            }

            return null;
        }

        /// <summary>
        /// A local of the method: unbounded when one of its values is, provided every write to it is a declaration,
        /// an assignment, a <c>+=</c>, or the <c>out</c> of a <c>TryGetValue</c>. Any other write (ref, other out,
        /// increment, deconstruction, a foreach or pattern variable) ends the trace.
        /// </summary>
        private string? Local(ILocalReferenceOperation reference, int depth)
        {
            ILocalSymbol local = reference.Local;
            _tracing ??= new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
            if (local.IsRef || !_tracing.Add(local))
            {
                return null;
            }

            try
            {
                IOperation root = reference;
                while (root.Parent is not null)
                {
                    root = root.Parent;
                }

                bool declared = false;
                string? found = null;
                foreach (IOperation operation in root.Descendants())
                {
                    _cancellationToken.ThrowIfCancellationRequested();
                    if (operation is IVariableDeclaratorOperation declarator && SymbolEqualityComparer.Default.Equals(declarator.Symbol, local))
                    {
                        if (declarator.Parent is not IVariableDeclarationOperation declaration)
                        {
                            return null;
                        }

                        declared = true;
                        found ??= Trace(declarator.Initializer?.Value ?? declaration.Initializer?.Value, depth);
                    }
                    else if (operation is ILocalReferenceOperation use && SymbolEqualityComparer.Default.Equals(use.Local, local))
                    {
                        if (!Write(use, depth, ref declared, ref found))
                        {
                            return null;
                        }
                    }
                }

                return declared ? found : null;
            }
            finally
            {
                _tracing.Remove(local);
            }
        }

        /// <summary>Reads pass; a known write traces its value into <paramref name="found"/>; false for any other write.</summary>
        private bool Write(ILocalReferenceOperation use, int depth, ref bool declared, ref string? found)
        {
            IOperation? parent = use.Parent;
            IOperation child = use;
            if (parent is IDeclarationExpressionOperation)
            {
                // out var x: the declaration is the argument.
                declared = true;
                child = parent;
                parent = parent.Parent;
            }

            switch (parent)
            {
                case ISimpleAssignmentOperation assignment when assignment.Target == child:
                    if (assignment.IsRef)
                    {
                        return false;
                    }

                    found ??= Trace(assignment.Value, depth);
                    return true;
                case ICompoundAssignmentOperation compound when compound.Target == child:
                    if (compound.OperatorKind != BinaryOperatorKind.Add)
                    {
                        return false;
                    }

                    found ??= Trace(compound.Value, depth);
                    return true;
                case ICoalesceAssignmentOperation coalesce when coalesce.Target == child:
                    found ??= Trace(coalesce.Value, depth);
                    return true;
                case IArgumentOperation argument when argument.Parameter is { RefKind: not RefKind.None and not RefKind.In } parameter:
                    // TryGetValue(key, out value) on an unbounded collection (headers, query, cookies) hands out one of its values.
                    if (parameter.RefKind == RefKind.Out && argument.Parent is IInvocationOperation { TargetMethod.Name: "TryGetValue" } lookup)
                    {
                        found ??= Trace(lookup.Instance, depth);
                        return true;
                    }

                    return false;
                case IIncrementOrDecrementOperation:
                case ITupleOperation:
                case IDeconstructionAssignmentOperation:
                case IAddressOfOperation:
                    return false;
                default:
                    return true;
            }
        }
    }
}
