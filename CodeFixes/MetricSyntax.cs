using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MetricsGen.CodeFixes;

/// <summary>Finding the parts of a metric declaration the fixes rewrite.</summary>
internal static class MetricSyntax
{
    /// <summary>The attribute's simple name without "Attribute": <c>MetricsGen.CounterAttribute</c> → <c>Counter</c>.</summary>
    public static string ShortName(AttributeSyntax attribute)
    {
        string name = attribute.Name switch
        {
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            AliasQualifiedNameSyntax aliased => aliased.Name.Identifier.ValueText,
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            _ => string.Empty,
        };
        return name.EndsWith("Attribute", StringComparison.Ordinal) ? name.Substring(0, name.Length - "Attribute".Length) : name;
    }

    /// <summary>The bound attribute class's name without "Attribute" (aliases resolved), else the written one.</summary>
    public static string KindOf(AttributeSyntax attribute, SemanticModel? model)
    {
        string? bound = model?.GetSymbolInfo(attribute).Symbol?.ContainingType?.Name;
        return bound is null ? ShortName(attribute)
            : bound.EndsWith("Attribute", StringComparison.Ordinal) ? bound.Substring(0, bound.Length - "Attribute".Length) : bound;
    }

    /// <summary>The positional (constructor) name argument when it is a string literal.</summary>
    public static LiteralExpressionSyntax? NameLiteral(AttributeSyntax attribute)
    {
        foreach (AttributeArgumentSyntax argument in attribute.ArgumentList?.Arguments ?? default)
        {
            if (argument.NameEquals is null && (argument.NameColon is null || argument.NameColon.Name.Identifier.ValueText == "name"))
            {
                return argument.Expression as LiteralExpressionSyntax is { } literal && literal.IsKind(SyntaxKind.StringLiteralExpression) ? literal : null;
            }
        }

        return null;
    }

    /// <summary>The value of the named argument <paramref name="name"/> (<c>Unit = ...</c>).</summary>
    public static ExpressionSyntax? Named(AttributeSyntax attribute, string name)
    {
        foreach (AttributeArgumentSyntax argument in attribute.ArgumentList?.Arguments ?? default)
        {
            if (argument.NameEquals?.Name.Identifier.ValueText == name)
            {
                return argument.Expression;
            }
        }

        return null;
    }

    public static string? StringValue(ExpressionSyntax? expression) =>
        expression is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.StringLiteralExpression) ? literal.Token.ValueText : null;

    /// <summary>A string literal, with the trivia of the node it replaces (if any).</summary>
    public static LiteralExpressionSyntax StringLiteral(string value, SyntaxNode? replacing)
    {
        LiteralExpressionSyntax literal = SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(value));
        return replacing is null ? literal : literal.WithTriviaFrom(replacing);
    }
}
