using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace MetricsGen.Generator;

/// <summary>
/// Reads the <c>&lt;summary&gt;</c> of a member from its trivia. The trivia is read directly because without
/// GenerateDocumentationFile the compiler does not parse doc comments, and help text must not depend on that.
/// </summary>
internal static class DocComments
{
    private static readonly Regex Summary = new(@"<summary>(.*?)</summary>", RegexOptions.Singleline);
    private static readonly Regex ReferenceTag = new(@"<(?:see|seealso)\s+(?:cref|langword|href)\s*=\s*""(?:[A-Z]:)?([^""]*)""\s*/>");
    private static readonly Regex NameTag = new(@"<(?:paramref|typeparamref)\s+name\s*=\s*""([^""]*)""\s*/>");
    private static readonly Regex AnyTag = new(@"<[^>]+>");
    private static readonly Regex Whitespace = new(@"\s+");

    public static string? GetSummary(SyntaxNode member)
    {
        var xml = new StringBuilder();
        foreach (SyntaxTrivia trivia in member.GetLeadingTrivia())
        {
            if (trivia.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia) || trivia.IsKind(SyntaxKind.MultiLineDocumentationCommentTrivia))
            {
                AppendLines(xml, trivia.ToFullString());
            }
            else if (trivia.IsKind(SyntaxKind.SingleLineCommentTrivia) && trivia.ToString().StartsWith("///"))
            {
                AppendLines(xml, trivia.ToString());
            }
        }

        Match match = Summary.Match(xml.ToString());
        if (!match.Success)
        {
            return null;
        }

        string text = match.Groups[1].Value;
        text = ReferenceTag.Replace(text, reference => LastSegment(reference.Groups[1].Value));
        text = NameTag.Replace(text, "$1");
        text = AnyTag.Replace(text, string.Empty);
        text = WebUtility.HtmlDecode(text);
        text = Whitespace.Replace(text, " ").Trim();
        return text.Length == 0 ? null : text;
    }

    private static void AppendLines(StringBuilder xml, string comment)
    {
        foreach (string rawLine in comment.Split('\n'))
        {
            string line = rawLine.Trim();
            if (line.StartsWith("///"))
            {
                line = line.Substring(3);
            }
            else if (line.StartsWith("/**"))
            {
                line = line.Substring(3);
            }
            else if (line.StartsWith("*/"))
            {
                line = line.Substring(2);
            }
            else if (line.StartsWith("*"))
            {
                line = line.Substring(1);
            }

            xml.Append(line).Append(' ');
        }
    }

    private static string LastSegment(string reference)
    {
        int parenthesis = reference.IndexOf('(');
        string name = parenthesis >= 0 ? reference.Substring(0, parenthesis) : reference;
        int dot = name.LastIndexOf('.');
        return dot >= 0 ? name.Substring(dot + 1) : name;
    }
}
