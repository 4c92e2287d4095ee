using Microsoft.CodeAnalysis;

namespace MetricsGen.Generator.Model;

/// <summary>
/// A diagnostic to report, as plain values (descriptor id, location, message arguments).
/// Must stay immutable and structurally equal.
/// </summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> MessageArgs)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] args) =>
        new(descriptor.Id, location, args.ToEquatableArray());

    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(DiagnosticDescriptors.ById(Id), Location?.ToLocation(), MessageArgs.AsSpan().ToArray());
}
