using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MetricsGen.CodeFixes;

internal static class Modifiers
{
    /// <summary>
    /// Adds <c>partial</c> where C# wants it: after every other modifier (it must come right before the
    /// <c>class</c>/<c>record</c> keyword or the return type), keeping the declaration's leading trivia in place.
    /// </summary>
    public static TNode AddPartial<TNode>(TNode node)
        where TNode : MemberDeclarationSyntax
    {
        SyntaxTokenList modifiers = node.Modifiers;
        if (modifiers.Any(SyntaxKind.PartialKeyword))
        {
            return node;
        }

        SyntaxToken partial = SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        if (modifiers.Count == 0)
        {
            // No modifier: the keyword or type that starts the declaration carries its leading trivia; move it.
            SyntaxToken first = node.GetFirstToken(includeZeroWidth: false);
            if (node.AttributeLists.Count == 0)
            {
                partial = partial.WithLeadingTrivia(first.LeadingTrivia);
                node = node.ReplaceToken(first, first.WithLeadingTrivia(SyntaxTriviaList.Empty));
            }
            else
            {
                SyntaxToken afterAttributes = node.AttributeLists.Last().GetLastToken().GetNextToken();
                partial = partial.WithLeadingTrivia(afterAttributes.LeadingTrivia);
                node = node.ReplaceToken(afterAttributes, afterAttributes.WithLeadingTrivia(SyntaxTriviaList.Empty));
            }
        }

        return (TNode)node.WithModifiers(node.Modifiers.Add(partial));
    }
}
