using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace MetricsGen.Generator.Analyzers;

/// <summary>How a listed member makes a label value unbounded.</summary>
internal enum SourceKind
{
    /// <summary>The member's value has no bound, whatever it is read from (a request's path, a new GUID, a clock).</summary>
    Source,

    /// <summary>
    /// A member of a type whose values are URLs or paths (<c>Uri</c>, <c>PathString</c>, ...). Unbounded when read from a
    /// parameter, a property or a call result; a field or a value built in place is taken as configuration, and a
    /// local is traced to its assignments instead.
    /// </summary>
    ValueOf,
}

/// <summary>One row of <see cref="UnboundedSources.Table"/>, resolved against a compilation.</summary>
internal sealed record SourceRule(SourceKind Kind, string TypeShown)
{
    /// <summary>How the message names the member: <c>HttpRequest.Path</c>, <c>Guid.NewGuid()</c>, <c>PathString</c> for its conversion.</summary>
    public string Show(ISymbol member) => member switch
    {
        IMethodSymbol { MethodKind: MethodKind.Conversion } => TypeShown,
        IMethodSymbol => TypeShown + "." + member.Name + "()",
        _ => TypeShown + "." + member.Name,
    };
}

/// <summary>
/// The members whose values MG0040 knows to be unbounded, as one table (docs/diagnostics.md, MG0040, lists the same).
/// Types are matched by metadata name, so the generator needs no reference to ASP.NET Core; a type the compilation
/// does not reference is skipped. A member declared on a type derived from a listed one (an exception's own
/// <c>Message</c>, <c>StreamReader.ReadLine</c>) matches through the base type.
/// </summary>
internal static class UnboundedSources
{
    /// <summary>Type, the member names (space separated), and how the message shows the type.</summary>
    internal static readonly (string Type, SourceKind Kind, string Members, string Shown)[] Table =
    {
        ("Microsoft.AspNetCore.Http.HttpRequest", SourceKind.Source, "Path PathBase QueryString Query Headers Cookies Form Host RouteValues ContentType ContentLength", "HttpRequest"),
        ("Microsoft.AspNetCore.Http.HttpContext", SourceKind.Source, "TraceIdentifier", "HttpContext"),
        ("Microsoft.AspNetCore.Http.ConnectionInfo", SourceKind.Source, "Id RemoteIpAddress RemotePort", "ConnectionInfo"),
        ("Microsoft.AspNetCore.Routing.RoutingHttpContextExtensions", SourceKind.Source, "GetRouteValue", "HttpContext"),
        ("Microsoft.AspNetCore.Http.Extensions.UriHelper", SourceKind.Source, "GetDisplayUrl GetEncodedUrl GetEncodedPathAndQuery", "UriHelper"),
        ("Microsoft.AspNetCore.Http.PathString", SourceKind.ValueOf, "Value ToString ToUriComponent op_Implicit", "PathString"),
        ("Microsoft.AspNetCore.Http.QueryString", SourceKind.ValueOf, "Value ToString ToUriComponent", "QueryString"),
        ("Microsoft.AspNetCore.Http.HostString", SourceKind.ValueOf, "Value Host ToString ToUriComponent", "HostString"),
        ("System.Uri", SourceKind.ValueOf, "AbsoluteUri AbsolutePath PathAndQuery Query Fragment OriginalString LocalPath UserInfo ToString", "Uri"),
        ("System.Net.Http.HttpRequestMessage", SourceKind.Source, "RequestUri", "HttpRequestMessage"),
        ("System.Security.Principal.IIdentity", SourceKind.Source, "Name", "IIdentity"),
        ("System.Guid", SourceKind.Source, "NewGuid CreateVersion7", "Guid"),
        ("System.Diagnostics.Activity", SourceKind.Source, "Id TraceId SpanId ParentId ParentSpanId RootId", "Activity"),
        ("System.DateTime", SourceKind.Source, "Now UtcNow", "DateTime"),
        ("System.DateTimeOffset", SourceKind.Source, "Now UtcNow", "DateTimeOffset"),
        ("System.Diagnostics.Stopwatch", SourceKind.Source, "GetTimestamp", "Stopwatch"),
        ("System.Environment", SourceKind.Source, "TickCount TickCount64", "Environment"),
        ("System.Exception", SourceKind.Source, "Message StackTrace ToString", "Exception"),
        ("System.Console", SourceKind.Source, "ReadLine", "Console"),
        ("System.IO.TextReader", SourceKind.Source, "ReadLine ReadToEnd ReadLineAsync ReadToEndAsync", "TextReader"),
        ("System.IO.File", SourceKind.Source, "ReadAllText ReadAllTextAsync", "File"),
    };

    /// <summary>
    /// Members that keep an unbounded value unbounded when called on it: formatting, case and whitespace changes,
    /// parts of a string, the ticks of a time. Indexers and <c>StringValues</c> properties (a header by name) are
    /// transforms too; the analyzer checks those by shape.
    /// </summary>
    internal static readonly HashSet<string> Transforms = new(StringComparer.Ordinal)
    {
        "ToString", "Value", "ToLower", "ToLowerInvariant", "ToUpper", "ToUpperInvariant", "Trim", "TrimStart", "TrimEnd",
        "Normalize", "Replace", "Substring", "PadLeft", "PadRight", "ToHexString", "ToUriComponent", "Ticks",
        "ToUnixTimeSeconds", "ToUnixTimeMilliseconds", "ToFileTime", "ToFileTimeUtc", "ToBinary", "ToLongTimeString",
        "ToShortTimeString", "ToUniversalTime", "ToLocalTime", "UtcDateTime", "LocalDateTime", "DateTime", "TimeOfDay",
    };

    /// <summary>The static <c>string</c> methods whose result is unbounded when any argument is.</summary>
    internal static readonly HashSet<string> StringBuilders = new(StringComparer.Ordinal) { "Concat", "Format", "Join" };

    /// <summary>The table resolved against one compilation: type symbol, then member name.</summary>
    public static Dictionary<INamedTypeSymbol, Dictionary<string, SourceRule>> Resolve(Compilation compilation)
    {
        var resolved = new Dictionary<INamedTypeSymbol, Dictionary<string, SourceRule>>(SymbolEqualityComparer.Default);
        foreach ((string typeName, SourceKind kind, string members, string shown) in Table)
        {
            if (compilation.GetTypeByMetadataName(typeName) is not { } type)
            {
                continue;
            }

            var byName = new Dictionary<string, SourceRule>(StringComparer.Ordinal);
            foreach (string member in members.Split(' '))
            {
                byName[member] = new SourceRule(kind, shown);
            }

            resolved[type] = byName;
        }

        return resolved;
    }
}
