using System;

namespace MetricsGen;

/// <summary>
/// Sets the label value written for an enum member used as a label (by default the member name in snake_case).
/// </summary>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class LabelValueAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="value">The label value; any text.</param>
    public LabelValueAttribute(string value) => Value = value;

    /// <summary>The label value.</summary>
    public string Value { get; }
}
