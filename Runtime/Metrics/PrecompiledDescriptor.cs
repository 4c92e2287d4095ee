using System;
using System.Collections.Generic;
using System.ComponentModel;

namespace MetricsGen.CompilerServices;

/// <summary>Creates the descriptors of generated metric classes, whose header lines the generator encoded already.</summary>
/// <remarks>For generated code; may change between versions.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class PrecompiledDescriptor
{
    /// <summary>
    /// Creates a descriptor that takes <paramref name="textHeader"/> and <paramref name="openMetricsHeader"/> as its
    /// header lines instead of encoding them; name, type, unit and buckets are validated as for
    /// <see cref="MetricDescriptor(string, MetricType, string, string?, IReadOnlyList{double}?)"/>.
    /// </summary>
    public static MetricDescriptor Create(
        string name,
        MetricType type,
        string help,
        string? unit,
        IReadOnlyList<double>? buckets,
        ReadOnlySpan<byte> textHeader,
        ReadOnlySpan<byte> openMetricsHeader) =>
        new(name, type, help, unit, buckets, textHeader, openMetricsHeader);
}
