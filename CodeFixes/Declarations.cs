using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MetricsGen.CodeFixes;

/// <summary>Rewrites of a type's declarations, in whichever files they are.</summary>
internal static class Declarations
{
    /// <summary>
    /// Adds <c>partial</c> to every declaration of <paramref name="type"/> and of the types that contain it, and applies
    /// <paramref name="mark"/> to the first declaration of <paramref name="type"/>: one place, so that fixes of several
    /// diagnostics of one class (Fix All, dotnet format) all make the same change, which is then made once.
    /// </summary>
    public static async Task<Solution> RewriteAsync(Solution solution, INamedTypeSymbol type, Func<TypeDeclarationSyntax, TypeDeclarationSyntax>? mark, CancellationToken cancellationToken)
    {
        SyntaxNode? marked = mark is null ? null : type.DeclaringSyntaxReferences
            .Where(reference => solution.GetDocument(reference.SyntaxTree) is not null)
            .Select(reference => reference.GetSyntax(cancellationToken))
            .OfType<TypeDeclarationSyntax>()
            .FirstOrDefault();

        var declarations = Enumerable.Empty<SyntaxReference>();
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            declarations = declarations.Concat(current.DeclaringSyntaxReferences);
        }

        foreach (IGrouping<SyntaxTree, SyntaxReference> file in declarations.GroupBy(reference => reference.SyntaxTree))
        {
            if (solution.GetDocument(file.Key) is not { } document)
            {
                continue;
            }

            var nodes = file.Select(reference => reference.GetSyntax(cancellationToken)).OfType<TypeDeclarationSyntax>()
                .Where(declaration => declaration == marked || !declaration.Modifiers.Any(SyntaxKind.PartialKeyword)).ToList();
            if (nodes.Count == 0)
            {
                continue;
            }

            SyntaxNode root = await file.Key.GetRootAsync(cancellationToken).ConfigureAwait(false);
            solution = solution.WithDocumentSyntaxRoot(document.Id, root.ReplaceNodes(nodes, (original, rewritten) =>
            {
                TypeDeclarationSyntax result = Modifiers.AddPartial(rewritten);
                return original == marked ? mark!(result) : result;
            }));
        }

        return solution;
    }
}
