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
/// MG0003: adds <c>partial</c> to a metric member that only lacks it: an instance method without a body, or a
/// get-only auto-property. A static member, a setter or a body are left to the author: removing code is no mechanical fix.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MemberNotPartialFix)), Shared]
public sealed class MemberNotPartialFix : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(FixIds.MemberNotPartial);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            MemberDeclarationSyntax? member = root?.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.FirstAncestorOrSelf<MemberDeclarationSyntax>();
            if (member is null || !OnlyPartialMissing(member))
            {
                continue;
            }

            string name = member is MethodDeclarationSyntax method ? method.Identifier.ValueText : ((PropertyDeclarationSyntax)member).Identifier.ValueText;
            context.RegisterCodeFix(
                CodeAction.Create(
                    "Make '" + name + "' partial",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root!.ReplaceNode(member, Modifiers.AddPartial(member)))),
                    equivalenceKey: FixIds.MemberNotPartial),
                diagnostic);
        }
    }

    private static bool OnlyPartialMissing(MemberDeclarationSyntax member)
    {
        if (member.Modifiers.Any(SyntaxKind.PartialKeyword) || member.Modifiers.Any(SyntaxKind.StaticKeyword))
        {
            return false;
        }

        return member switch
        {
            MethodDeclarationSyntax method => method.Body is null && method.ExpressionBody is null && method.TypeParameterList is null,
            PropertyDeclarationSyntax property => property.ExpressionBody is null && property.Initializer is null
                && property.AccessorList is { Accessors: { Count: 1 } accessors }
                && accessors[0].IsKind(SyntaxKind.GetAccessorDeclaration) && accessors[0].Body is null && accessors[0].ExpressionBody is null,
            _ => false,
        };
    }
}
