using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace MetricsGen.CodeFixes;

/// <summary>
/// MG0017: marks the member's class <c>[GatewayMetric]</c> (on the declaration that holds the member) and makes it,
/// and the types around it, partial where they are not.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddGatewayMetricFix)), Shared]
public sealed class AddGatewayMetricFix : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(FixIds.MemberOutsideMetricClass);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (root?.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.FirstAncestorOrSelf<MemberDeclarationSyntax>()?.Parent
                is not TypeDeclarationSyntax type || type is not (ClassDeclarationSyntax or RecordDeclarationSyntax))
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Add [GatewayMetric] to '" + type.Identifier.ValueText + "'",
                    cancellationToken => MarkAsync(context.Document, type, cancellationToken),
                    equivalenceKey: FixIds.MemberOutsideMetricClass),
                diagnostic);
        }
    }

    private static async Task<Document> MarkAsync(Document document, TypeDeclarationSyntax type, CancellationToken cancellationToken)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        AttributeListSyntax gatewayMetric = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(
                SyntaxFactory.Attribute(SyntaxFactory.ParseName("global::MetricsGen.GatewayMetric").WithAdditionalAnnotations(Simplifier.Annotation))))
            .WithAdditionalAnnotations(Formatter.Annotation);

        // The class and every type around it must be partial too (MG0001 otherwise); in this file, where the member is.
        var types = type.AncestorsAndSelf().OfType<TypeDeclarationSyntax>().ToList();
        return document.WithSyntaxRoot(root.ReplaceNodes(types, (original, rewritten) =>
        {
            TypeDeclarationSyntax result = Modifiers.AddPartial(rewritten);
            if (original != type)
            {
                return result;
            }

            // The attribute goes first, above the modifiers, where the declaration's leading trivia (its doc comment) stays before it.
            SyntaxTriviaList leading = result.GetLeadingTrivia();
            result = result.WithoutLeadingTrivia();
            return result.WithAttributeLists(result.AttributeLists.Insert(0, gatewayMetric.WithLeadingTrivia(leading)));
        }));
    }
}
