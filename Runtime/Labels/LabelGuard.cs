using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace MetricsGen.CompilerServices;

/// <summary>Checks label values on the first use of a label set and throws, naming the metric. Used by generated code.</summary>
/// <remarks>For generated code, not for direct use; within a major version it only grows, because compiled libraries call it.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class LabelGuard
{
    /// <summary>Throws <see cref="ArgumentNullException"/> when a string label value is null.</summary>
    /// <param name="value">The label value.</param>
    /// <param name="metric">The metric's exposed name.</param>
    /// <param name="label">The label's name.</param>
    /// <param name="parameter">The name of the parameter that passed the value.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ThrowIfNull([NotNull] string? value, string metric, string label, string parameter)
    {
        if (value is null)
        {
            ThrowNull(metric, label, parameter);
        }
    }

    /// <summary>
    /// Throws <see cref="ArgumentOutOfRangeException"/> when an enum label value is not a declared member of its enum
    /// (its generated index is negative).
    /// </summary>
    /// <param name="index">The value's index among the enum's declared members, -1 when it is none of them.</param>
    /// <param name="metric">The metric's exposed name.</param>
    /// <param name="label">The label's name.</param>
    /// <param name="parameter">The name of the parameter that passed the value.</param>
    /// <param name="value">The value, as a number.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ThrowIfUndefined(int index, string metric, string label, string parameter, long value)
    {
        if (index < 0)
        {
            ThrowUndefined(metric, label, parameter, value);
        }
    }

    [DoesNotReturn]
    private static void ThrowNull(string metric, string label, string parameter) =>
        throw new ArgumentNullException(parameter, $"Label '{label}' of metric '{metric}' must not be null.");

    [DoesNotReturn]
    private static void ThrowUndefined(string metric, string label, string parameter, long value) =>
        throw new ArgumentOutOfRangeException(
            parameter,
            value,
            $"Label '{label}' of metric '{metric}' got {value}, which is not a declared member of its enum.");
}
