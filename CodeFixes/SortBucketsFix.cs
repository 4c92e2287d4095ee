using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MetricsGen.CodeFixes;

/// <summary>
/// MG0013: sorts a literal bucket array ascending and drops repeated bounds. Offered only when every bound is a
/// finite number written in place and order or repeats are the whole problem (an empty array or NaN needs a person).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SortBucketsFix)), Shared]
public sealed class SortBucketsFix : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(FixIds.InvalidBuckets);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (root?.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<AttributeSyntax>() is not { } attribute
                || MetricSyntax.Named(attribute, "Buckets") is not { } buckets
                || BucketArray.Elements(buckets) is not { Count: > 0 } elements)
            {
                continue;
            }

            // Constants by the compiler's reading (a named constant counts), so the order is the one the generator sees.
            var bounds = new List<(ExpressionSyntax Element, double Value)>();
            foreach (ExpressionSyntax element in elements)
            {
                object? value = model?.GetConstantValue(element, context.CancellationToken) is { HasValue: true } constant ? constant.Value : null;
                if (value is null || value is string || value is bool || value is char)
                {
                    break;
                }

                double bound = System.Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
                if (double.IsNaN(bound) || double.IsInfinity(bound))
                {
                    break;
                }

                bounds.Add((element, bound));
            }

            if (bounds.Count != elements.Count)
            {
                continue;
            }

            var sorted = bounds.OrderBy(bound => bound.Value).GroupBy(bound => bound.Value).Select(group => group.First().Element).ToList();
            if (sorted.SequenceEqual(elements))
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Sort the buckets ascending" + (sorted.Count < elements.Count ? " and drop repeated bounds" : string.Empty),
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(buckets, Rewrite(buckets, sorted)))),
                    equivalenceKey: FixIds.InvalidBuckets),
                diagnostic);
        }
    }

    private static ExpressionSyntax Rewrite(ExpressionSyntax buckets, List<ExpressionSyntax> sorted)
    {
        var items = sorted.Select(element => element.WithoutTrivia()).ToList();
        SeparatedSyntaxList<ExpressionSyntax> list = SyntaxFactory.SeparatedList(items, Enumerable.Repeat(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space), System.Math.Max(0, items.Count - 1)));
        return buckets switch
        {
            ImplicitArrayCreationExpressionSyntax implicitArray => implicitArray.WithInitializer(implicitArray.Initializer.WithExpressions(list)),
            ArrayCreationExpressionSyntax array => array.WithInitializer(array.Initializer!.WithExpressions(list)),
            CollectionExpressionSyntax collection => collection.WithElements(SyntaxFactory.SeparatedList<CollectionElementSyntax>(
                items.Select(SyntaxFactory.ExpressionElement),
                Enumerable.Repeat(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space), System.Math.Max(0, items.Count - 1)))),
            _ => buckets,
        };
    }
}
