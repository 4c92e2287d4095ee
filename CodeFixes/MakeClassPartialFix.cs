using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MetricsGen.CodeFixes;

/// <summary>MG0001: adds <c>partial</c> to the metric class and to every type around it that lacks it.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeClassPartialFix)), Shared]
public sealed class MakeClassPartialFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(FixIds.ClassNotPartial);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (root?.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } type)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Make '" + type.Identifier.ValueText + "' partial",
                    cancellationToken => MakePartialAsync(context.Document, type, cancellationToken),
                    equivalenceKey: FixIds.ClassNotPartial),
                diagnostic);
        }
    }

    private static async Task<Solution> MakePartialAsync(Document document, TypeDeclarationSyntax flagged, CancellationToken cancellationToken)
    {
        // The rule is "partial everywhere": every declaration of the class and of the types that contain it, so one
        // fix leaves nothing for the diagnostic to report again.
        SemanticModel? model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        return model?.GetDeclaredSymbol(flagged, cancellationToken) is INamedTypeSymbol type
            ? await Declarations.RewriteAsync(document.Project.Solution, type, mark: null, cancellationToken).ConfigureAwait(false)
            : document.Project.Solution;
    }
}
