using System.Collections.Generic;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MetricsGen.CodeFixes;

/// <summary>A <c>Buckets</c> value written as a literal array: <c>new[] { ... }</c>, <c>new double[] { ... }</c> or <c>[ ... ]</c>.</summary>
internal static class BucketArray
{
    /// <summary>The element expressions, or null when the value is not an array written in place.</summary>
    public static IReadOnlyList<ExpressionSyntax>? Elements(ExpressionSyntax value)
    {
        switch (value)
        {
            case ImplicitArrayCreationExpressionSyntax implicitArray:
                return implicitArray.Initializer.Expressions;
            case ArrayCreationExpressionSyntax { Initializer: { } initializer }:
                return initializer.Expressions;
            case CollectionExpressionSyntax collection:
                var elements = new List<ExpressionSyntax>(collection.Elements.Count);
                foreach (CollectionElementSyntax element in collection.Elements)
                {
                    if (element is not ExpressionElementSyntax expression)
                    {
                        return null;
                    }

                    elements.Add(expression.Expression);
                }

                return elements;
            default:
                return null;
        }
    }

    /// <summary>A numeric literal's value, a leading minus included; null for anything else (a constant's name, say).</summary>
    public static double? LiteralValue(ExpressionSyntax element) => element switch
    {
        LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.NumericLiteralExpression) => System.Convert.ToDouble(literal.Token.Value, CultureInfo.InvariantCulture),
        PrefixUnaryExpressionSyntax { OperatorToken.RawKind: (int)SyntaxKind.MinusToken, Operand: LiteralExpressionSyntax operand }
            when operand.IsKind(SyntaxKind.NumericLiteralExpression) => -System.Convert.ToDouble(operand.Token.Value, CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>A double literal that stays a double in <c>new[] { ... }</c> even when the value is whole.</summary>
    public static ExpressionSyntax DoubleLiteral(double value)
    {
        string text = System.Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        if (text.IndexOfAny(new[] { '.', 'E', 'e' }) < 0)
        {
            text += ".0";
        }

        ExpressionSyntax literal = SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(text, System.Math.Abs(value)));
        return value < 0 ? SyntaxFactory.PrefixUnaryExpression(SyntaxKind.UnaryMinusExpression, literal) : literal;
    }
}
