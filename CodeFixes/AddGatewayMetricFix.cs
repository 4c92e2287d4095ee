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
/// MG0017: marks the member's class <c>[GatewayMetric]</c> (on its first declaration) and makes it, and the types
/// around it, partial where they are not.
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

    private static async Task<Solution> MarkAsync(Document document, TypeDeclarationSyntax type, CancellationToken cancellationToken)
    {
        SemanticModel? model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model?.GetDeclaredSymbol(type, cancellationToken) is not INamedTypeSymbol symbol)
        {
            return document.Project.Solution;
        }

        // On the class's first declaration, whichever part holds the member: a second [GatewayMetric] on another part
        // would be a duplicate attribute (CS0579), and the one attribute covers every part.
        return await Declarations.RewriteAsync(document.Project.Solution, symbol, declaration =>
        {
            AttributeListSyntax gatewayMetric = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(
                    SyntaxFactory.Attribute(SyntaxFactory.ParseName("global::MetricsGen.GatewayMetric").WithAdditionalAnnotations(Simplifier.Annotation))))
                .WithAdditionalAnnotations(Formatter.Annotation);

            // First of the attributes, where the declaration's leading trivia (its doc comment) stays before it.
            SyntaxTriviaList leading = declaration.GetLeadingTrivia();
            declaration = declaration.WithoutLeadingTrivia();
            return declaration.WithAttributeLists(declaration.AttributeLists.Insert(0, gatewayMetric.WithLeadingTrivia(leading)));
        }, cancellationToken).ConfigureAwait(false);
    }
}
