using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;

namespace MetricsGen.CompilerServices;

/// <summary>Throws the errors of bad label values, naming the metric. Used by generated code.</summary>
/// <remarks>For generated code; may change between versions.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class LabelGuard
{
    /// <summary>Throws for a null string label value.</summary>
    [DoesNotReturn]
    public static void ThrowNull(string metric, string label, string parameter) =>
        throw new ArgumentNullException(parameter, $"Label '{label}' of metric '{metric}' must not be null.");

    /// <summary>Throws for an enum label value that is not a declared member of its enum.</summary>
    [DoesNotReturn]
    public static void ThrowUndefined(string metric, string label, string parameter, long value) =>
        throw new ArgumentOutOfRangeException(
            parameter,
            value,
            $"Label '{label}' of metric '{metric}' got {value}, which is not a declared member of its enum.");
}
