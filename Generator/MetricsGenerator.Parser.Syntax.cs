using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using MetricsGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MetricsGen.Generator;

public sealed partial class MetricsGenerator
{
    /// <summary>
    /// The arguments of a metric attribute: from the bound attribute, or read from syntax when they are plain literals.
    /// Array values are kept as their elements' values (null when the argument is null or not an array).
    /// </summary>
    internal sealed class MetricArguments
    {
        private readonly List<KeyValuePair<string, object?>> _named;

        public MetricArguments(string? name, List<KeyValuePair<string, object?>> named, SyntaxNode? syntax)
        {
            Name = name;
            _named = named;
            Syntax = syntax;
        }

        /// <summary>The name given to the constructor, if a string.</summary>
        public string? Name { get; }

        /// <summary>The attribute as written (diagnostics point at it).</summary>
        public SyntaxNode? Syntax { get; }

        public static MetricArguments From(AttributeData attribute, SyntaxNode? syntax)
        {
            var named = new List<KeyValuePair<string, object?>>(attribute.NamedArguments.Length);
            foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
            {
                TypedConstant value = argument.Value;
                object? read = value.Kind != TypedConstantKind.Array ? value.Value
                    : value.IsNull ? null
                    : ElementValues(value.Values);
                named.Add(new KeyValuePair<string, object?>(argument.Key, read));
            }

            string? name = attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is string text ? text : null;
            return new MetricArguments(name, named, syntax);
        }

        public bool Has(string key)
        {
            foreach (KeyValuePair<string, object?> argument in _named)
            {
                if (argument.Key == key)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The first argument named <paramref name="key"/> as a string (null when it is something else).</summary>
        public string? String(string key)
        {
            foreach (KeyValuePair<string, object?> argument in _named)
            {
                if (argument.Key == key)
                {
                    return argument.Value as string;
                }
            }

            return null;
        }

        /// <summary>The first argument named <paramref name="key"/> holding a <typeparamref name="T"/>, else the fallback.</summary>
        public T Value<T>(string key, T fallback)
        {
            foreach (KeyValuePair<string, object?> argument in _named)
            {
                if (argument.Key == key && argument.Value is T value)
                {
                    return value;
                }
            }

            return fallback;
        }

        /// <summary>Whether an array argument is given; <paramref name="elements"/> is null when it is null or no array.</summary>
        public bool TryGetArray(string key, out object?[]? elements)
        {
            foreach (KeyValuePair<string, object?> argument in _named)
            {
                if (argument.Key == key)
                {
                    elements = argument.Value as object?[];
                    return true;
                }
            }

            elements = null;
            return false;
        }

        private static object?[] ElementValues(System.Collections.Immutable.ImmutableArray<TypedConstant> values)
        {
            var elements = new object?[values.Length];
            for (int i = 0; i < elements.Length; i++)
            {
                elements[i] = values[i].Kind == TypedConstantKind.Array ? null : values[i].Value;
            }

            return elements;
        }
    }

    internal sealed partial class Parser
    {
        /// <summary>What an attribute as written binds to, as far as the reader can tell without binding it.</summary>
        private enum Written
        {
            /// <summary>Not a MetricsGen attribute.</summary>
            Other,

            /// <summary>A MetricsGen attribute (<see cref="WrittenAttribute.Type"/> says which).</summary>
            Ours,

            /// <summary>Cannot tell: bind the member's attributes instead.</summary>
            Unknown,
        }

        private readonly record struct WrittenAttribute(Written Kind, INamedTypeSymbol? Type);

        // Attribute names resolved at a class declaration (its usings and members are the scope), and the
        // properties of MetricsGen attributes, for the members of the class being read.
        private readonly Dictionary<(SyntaxNode Scope, string Name), WrittenAttribute> _resolvedNames = new();
        private readonly Dictionary<(ITypeSymbol Attribute, string Property), ITypeSymbol?> _propertyTypes = new();
        private SemanticModel? _semanticModel;
        private INamedTypeSymbol? _type;
        private readonly Dictionary<SyntaxNode, string?> _sharedContexts = new();

        // Attribute names resolved for any class of a compilation (see SharedContext); transforms may run in parallel.
        private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<(string Context, string Name), WrittenAttribute>> SharedNames = new();
        private HashSet<string>? _repeatedMemberNames;

        /// <summary>
        /// Reads a member's metric attribute from syntax when that is exact: the attribute names resolve (by lookup, not
        /// binding) to exactly one attribute type and the arguments are literals of the property types. Binding member
        /// attributes was most of the generator's time, and it is redone on every compilation change. False when the
        /// member must be read from its bound attributes instead; <paramref name="found"/> is null when it has no metric
        /// attribute.
        /// </summary>
        private bool TryReadWrittenAttribute(ISymbol member, SyntaxNode? syntax, out (MetricKind Kind, MetricArguments Arguments)? found)
        {
            found = null;
            if (!CanReadWritten(member, syntax, out SyntaxList<AttributeListSyntax> lists, out string target))
            {
                return false;
            }

            foreach (AttributeListSyntax list in lists)
            {
                if (list.Target is { } written && written.Identifier.ValueText != target)
                {
                    continue;
                }

                foreach (AttributeSyntax attribute in list.Attributes)
                {
                    WrittenAttribute resolved = Resolve(attribute);
                    if (resolved.Kind == Written.Unknown)
                    {
                        return false;
                    }

                    if (resolved.Kind == Written.Ours && MetricKindOf(resolved.Type) is { } kind)
                    {
                        if (ReadArguments(attribute, resolved.Type!) is not { } arguments)
                        {
                            return false;
                        }

                        found = (kind, arguments);
                        return true;
                    }
                }
            }

            return true;
        }

        /// <summary>
        /// The name given by a parameter's <c>[Label]</c>, read from syntax when exact (as for metric attributes).
        /// False when the parameter's attributes must be bound instead.
        /// </summary>
        private bool TryReadWrittenLabelName(ParameterSyntax parameter, out string? name)
        {
            name = null;
            foreach (AttributeListSyntax list in parameter.AttributeLists)
            {
                if (list.Target is { } written && written.Identifier.ValueText != "param")
                {
                    continue;
                }

                foreach (AttributeSyntax attribute in list.Attributes)
                {
                    WrittenAttribute resolved = Resolve(attribute);
                    if (resolved.Kind == Written.Unknown)
                    {
                        return false;
                    }

                    if (resolved.Kind == Written.Ours && resolved.Type!.Name == "LabelAttribute")
                    {
                        if (attribute.ArgumentList is not { Arguments: { Count: 1 } arguments } || attribute.ContainsDiagnostics
                            || arguments[0] is not { NameEquals: null, NameColon: null, Expression: LiteralExpressionSyntax literal }
                            || !literal.IsKind(SyntaxKind.StringLiteralExpression))
                        {
                            return false;
                        }

                        name = literal.Token.ValueText;
                        return true;
                    }
                }
            }

            return true;
        }

        /// <summary>
        /// Whether the member's attributes can be read from its syntax: one declaration (no other part or overload whose
        /// attributes would merge in) in the tree the semantic model covers.
        /// </summary>
        private bool CanReadWritten(ISymbol member, SyntaxNode? syntax, out SyntaxList<AttributeListSyntax> lists, out string target)
        {
            (lists, target) = syntax switch
            {
                MethodDeclarationSyntax method => (method.AttributeLists, "method"),
                PropertyDeclarationSyntax property => (property.AttributeLists, "property"),
                _ => (default, string.Empty),
            };
            return target.Length > 0
                && _semanticModel is { } model && syntax!.SyntaxTree == model.SyntaxTree
                && syntax.Parent is TypeDeclarationSyntax
                && !RepeatedMemberNames(member.ContainingType).Contains(member.Name);
        }

        private HashSet<string> RepeatedMemberNames(INamedTypeSymbol type)
        {
            if (_repeatedMemberNames is null)
            {
                var seen = new HashSet<string>(StringComparer.Ordinal);
                _repeatedMemberNames = new HashSet<string>(StringComparer.Ordinal);
                foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
                {
                    if (reference.GetSyntax(_cancellationToken) is not TypeDeclarationSyntax declaration)
                    {
                        continue;
                    }

                    foreach (MemberDeclarationSyntax declared in declaration.Members)
                    {
                        string? name = declared switch
                        {
                            MethodDeclarationSyntax method => method.Identifier.ValueText,
                            PropertyDeclarationSyntax property => property.Identifier.ValueText,
                            _ => null,
                        };
                        if (name is not null && !seen.Add(name))
                        {
                            _repeatedMemberNames.Add(name);
                        }
                    }
                }
            }

            return _repeatedMemberNames;
        }

        /// <summary>
        /// Resolves an attribute name as the compiler would: <c>X</c> and <c>XAttribute</c> looked up in the scope of the
        /// member's class. Unknown for anything but a plain identifier, for an ambiguity, and when a name also finds a
        /// type that is not an attribute and not MetricsGen's own (Counter etc.), which could hide an attribute further out.
        /// </summary>
        private WrittenAttribute Resolve(AttributeSyntax attribute)
        {
            if (attribute.Name is not IdentifierNameSyntax { Identifier: var identifier } || identifier.Text.StartsWith("@", StringComparison.Ordinal)
                || attribute.Parent?.Parent?.Parent is not { } scope)
            {
                return new WrittenAttribute(Written.Unknown, null);
            }

            // Parameter attributes: the scope is the method's class.
            if (scope is ParameterListSyntax)
            {
                scope = scope.Parent?.Parent ?? scope;
            }

            string name = identifier.ValueText;
            if (_resolvedNames.TryGetValue((scope, name), out WrittenAttribute known))
            {
                return known;
            }

            // Most classes repeat the same few lookups (Counter, Label, ...) from the same usings: share them.
            string? context = SharedContext(scope, attribute, name);
            ConcurrentDictionary<(string Context, string Name), WrittenAttribute>? shared = null;
            if (context is not null)
            {
                shared = SharedNames.GetValue(_semanticModel!.Compilation, static _ => new());
                if (shared.TryGetValue((context, name), out known))
                {
                    _resolvedNames[(scope, name)] = known;
                    return known;
                }
            }

            INamedTypeSymbol? found = null;
            Written kind = Written.Other;
            foreach (string candidate in new[] { name, name + "Attribute" })
            {
                foreach (ISymbol symbol in _semanticModel!.LookupNamespacesAndTypes(attribute.SpanStart, container: null, name: candidate))
                {
                    ISymbol target = symbol is IAliasSymbol alias ? alias.Target : symbol;
                    if (target is INamespaceSymbol)
                    {
                        continue;
                    }

                    if (target is INamedTypeSymbol type && IsAttributeType(type))
                    {
                        kind = found is null || SymbolEqualityComparer.Default.Equals(found, type) ? kind : Written.Unknown;
                        found = type;
                    }
                    else if (!(target is ITypeSymbol other && IsRuntimeType(other)))
                    {
                        kind = Written.Unknown;
                    }
                }
            }

            if (kind != Written.Unknown && found is not null && IsRuntimeType(found))
            {
                kind = Written.Ours;
            }

            var resolved = new WrittenAttribute(kind, kind == Written.Ours ? found : null);
            _resolvedNames[(scope, name)] = resolved;
            shared?.TryAdd((context!, name), resolved);
            return resolved;
        }

        /// <summary>
        /// The key under which a lookup from <paramref name="scope"/> may be shared with other classes of the
        /// compilation, or null when the class itself could change what the name finds. The key is everything else the
        /// lookup sees: the namespace declarations around the class and their extern aliases and usings, as written
        /// (equal text resolves alike, global usings being the compilation's), and the language version. Shared only for
        /// a top-level, non-generic class without base class or interfaces (whose members could be in scope) and without
        /// a nested type of the name, from a non-generic member, in a file without file-local types (visible only there).
        /// </summary>
        private string? SharedContext(SyntaxNode scope, AttributeSyntax attribute, string name)
        {
            if (_type is not { } type
                || attribute.Parent?.Parent is not { } owner
                || (owner is ParameterSyntax ? owner.Parent?.Parent : owner) is MethodDeclarationSyntax { TypeParameterList: not null }
                || !type.GetTypeMembers(name).IsEmpty || !type.GetTypeMembers(name + "Attribute").IsEmpty)
            {
                return null;
            }

            if (_sharedContexts.TryGetValue(scope, out string? known))
            {
                return known;
            }

            string? context = null;
            if (type is { ContainingType: null, TypeKind: TypeKind.Class, TypeParameters.Length: 0, Interfaces.Length: 0, BaseType.SpecialType: SpecialType.System_Object }
                && scope is ClassDeclarationSyntax && Declares(type, scope)
                && !HasFileLocalTypes(scope.SyntaxTree.GetRoot(_cancellationToken)))
            {
                var declarations = new List<SyntaxNode>();
                SyntaxNode? current = scope.Parent;
                while (current is BaseNamespaceDeclarationSyntax)
                {
                    declarations.Add(current);
                    current = current.Parent;
                }

                if (current is CompilationUnitSyntax unit)
                {
                    var key = new StringBuilder();
                    key.Append(((CSharpParseOptions)scope.SyntaxTree.Options).LanguageVersion.ToString());
                    AppendImports(key, unit.Externs, unit.Usings);
                    for (int i = declarations.Count - 1; i >= 0; i--)
                    {
                        var declaration = (BaseNamespaceDeclarationSyntax)declarations[i];
                        key.Append("\nnamespace ").Append(declaration.Name.ToString());
                        AppendImports(key, declaration.Externs, declaration.Usings);
                    }

                    context = key.ToString();
                }
            }

            _sharedContexts[scope] = context;
            return context;
        }

        private static void AppendImports(StringBuilder key, SyntaxList<ExternAliasDirectiveSyntax> externs, SyntaxList<UsingDirectiveSyntax> usings)
        {
            foreach (ExternAliasDirectiveSyntax directive in externs)
            {
                key.Append('\n').Append(directive.ToString());
            }

            foreach (UsingDirectiveSyntax directive in usings)
            {
                key.Append('\n').Append(directive.ToString());
            }
        }

        private static bool Declares(INamedTypeSymbol type, SyntaxNode declaration)
        {
            foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
            {
                if (reference.SyntaxTree == declaration.SyntaxTree && reference.Span == declaration.Span)
                {
                    return true;
                }
            }

            return false;
        }

        private static bool HasFileLocalTypes(SyntaxNode root)
        {
            SyntaxList<MemberDeclarationSyntax> members = root switch
            {
                CompilationUnitSyntax unit => unit.Members,
                BaseNamespaceDeclarationSyntax declaration => declaration.Members,
                _ => default,
            };
            foreach (MemberDeclarationSyntax member in members)
            {
                if (member is BaseNamespaceDeclarationSyntax ? HasFileLocalTypes(member) : member.Modifiers.Any(SyntaxKind.FileKeyword))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsAttributeType(INamedTypeSymbol type)
        {
            for (INamedTypeSymbol? current = type.BaseType; current is not null; current = current.BaseType)
            {
                if (current is { Name: "Attribute", ContainingType: null, ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } })
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// The arguments when every one is a literal the compiler would take as is: a string name first, then named
        /// properties of the attribute with string, bool, int, double or double[] literals. Null otherwise.
        /// </summary>
        private MetricArguments? ReadArguments(AttributeSyntax attribute, INamedTypeSymbol attributeClass)
        {
            string? name = null;
            var named = new List<KeyValuePair<string, object?>>();
            if (attribute.ArgumentList is not { } list)
            {
                return new MetricArguments(null, named, attribute);
            }

            if (list.ContainsDiagnostics)
            {
                return null;
            }

            for (int i = 0; i < list.Arguments.Count; i++)
            {
                AttributeArgumentSyntax argument = list.Arguments[i];
                if (argument.NameColon is not null)
                {
                    return null;
                }

                if (argument.NameEquals is null)
                {
                    if (i > 0 || argument.Expression is not LiteralExpressionSyntax literal || !literal.IsKind(SyntaxKind.StringLiteralExpression))
                    {
                        return null;
                    }

                    name = literal.Token.ValueText;
                    continue;
                }

                string key = argument.NameEquals.Name.Identifier.ValueText;
                if (PropertyType(attributeClass, key) is not { } type || HasKey(named, key)
                    || ReadLiteral(argument.Expression, type) is not { } value)
                {
                    return null;
                }

                named.Add(new KeyValuePair<string, object?>(key, value));
            }

            return new MetricArguments(name, named, attribute);
        }

        private static bool HasKey(List<KeyValuePair<string, object?>> named, string key)
        {
            foreach (KeyValuePair<string, object?> argument in named)
            {
                if (argument.Key == key)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The type of a settable instance property of the attribute (or its bases), else null.</summary>
        private ITypeSymbol? PropertyType(INamedTypeSymbol attributeClass, string name)
        {
            if (_propertyTypes.TryGetValue((attributeClass, name), out ITypeSymbol? known))
            {
                return known;
            }

            ITypeSymbol? type = null;
            for (INamedTypeSymbol? current = attributeClass; current is not null && type is null; current = current.BaseType)
            {
                foreach (ISymbol member in current.GetMembers(name))
                {
                    if (member is IPropertySymbol { IsStatic: false, SetMethod.DeclaredAccessibility: Accessibility.Public } property)
                    {
                        type = property.Type;
                        break;
                    }
                }
            }

            _propertyTypes[(attributeClass, name)] = type;
            return type;
        }

        /// <summary>A literal converted to <paramref name="type"/> as the compiler converts constants; null when not that simple.</summary>
        private static object? ReadLiteral(ExpressionSyntax expression, ITypeSymbol type)
        {
            switch (type)
            {
                case { SpecialType: SpecialType.System_String }:
                    return expression is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.StringLiteralExpression) ? literal.Token.ValueText : null;
                case { SpecialType: SpecialType.System_Boolean }:
                    return expression.Kind() switch
                    {
                        SyntaxKind.TrueLiteralExpression => true,
                        SyntaxKind.FalseLiteralExpression => false,
                        _ => null,
                    };
                case { SpecialType: SpecialType.System_Int32 }:
                    return Numeric(expression, out object? value, out bool negated) && value is int number ? (negated ? -number : number) : null;
                case { SpecialType: SpecialType.System_Double }:
                    return ReadDouble(expression, out _);
                case IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Double }:
                    return ReadDoubles(expression);
                default:
                    return null;
            }
        }

        /// <summary>A numeric literal (possibly negated) that converts implicitly to double; <paramref name="isDouble"/> when it is one.</summary>
        private static object? ReadDouble(ExpressionSyntax expression, out bool isDouble)
        {
            isDouble = false;
            if (!Numeric(expression, out object? value, out bool negated))
            {
                return null;
            }

            // Negated in the literal's own type, as the compiler folds it: -0 is the integer 0, not -0.0.
            double? converted = value switch
            {
                double number => negated ? -number : number,
                float number => negated ? -number : number,
                int number => negated ? -(long)number : number,
                long number => negated ? -number : number,
                uint number => negated ? -(long)number : number,
                ulong number when !negated => number,
                _ => null,
            };
            isDouble = value is double;
            return converted;
        }

        /// <summary><c>new double[] { ... }</c>, or <c>new[] { ... }</c> whose elements make it a double[].</summary>
        private static object?[]? ReadDoubles(ExpressionSyntax expression)
        {
            InitializerExpressionSyntax? initializer = expression switch
            {
                ArrayCreationExpressionSyntax
                {
                    Type: { ElementType: PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.DoubleKeyword }, RankSpecifiers: { Count: 1 } ranks },
                } creation when ranks[0].Sizes.Count == 1 && ranks[0].Sizes[0] is OmittedArraySizeExpressionSyntax => creation.Initializer,
                ImplicitArrayCreationExpressionSyntax { Commas.Count: 0 } implicitly => implicitly.Initializer,
                _ => null,
            };
            if (initializer is null)
            {
                return null;
            }

            var values = new object?[initializer.Expressions.Count];
            bool anyDouble = false;
            for (int i = 0; i < values.Length; i++)
            {
                if (ReadDouble(initializer.Expressions[i], out bool isDouble) is not { } value)
                {
                    return null;
                }

                anyDouble |= isDouble;
                values[i] = value;
            }

            // new[] { 1, 2 } is an int[], which the property does not take; with a double in it, it is a double[].
            return expression is ImplicitArrayCreationExpressionSyntax && !anyDouble ? null : values;
        }

        private static bool Numeric(ExpressionSyntax expression, out object? value, out bool negated)
        {
            negated = false;
            if (expression is PrefixUnaryExpressionSyntax { Operand: var operand } unary && unary.IsKind(SyntaxKind.UnaryMinusExpression))
            {
                negated = true;
                expression = operand;
            }

            value = expression is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.NumericLiteralExpression) && !literal.Token.ContainsDiagnostics
                ? literal.Token.Value
                : null;
            return value is not null;
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
