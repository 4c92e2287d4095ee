using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace MetricsGen.Generator.Model;

/// <summary>
/// Where a diagnostic points, kept as plain values: a <see cref="Location"/> holds a syntax tree, which would
/// keep compilations alive and defeat caching. Must stay immutable and structurally equal.
/// </summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

    public static LocationInfo? From(SyntaxNode? node) => From(node?.GetLocation());

    public static LocationInfo? From(SyntaxToken token) => From(token.GetLocation());

    public static LocationInfo? From(Location? location) =>
        location?.SourceTree is null ? null : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
}
