using System;

namespace MetricsGen;

/// <summary>Sets the label name of a metric parameter (by default the parameter name in snake_case).</summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class LabelAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="name">The label name, <c>[a-zA-Z_][a-zA-Z0-9_]*</c> without a <c>__</c> prefix.</param>
    public LabelAttribute(string name) => Name = name;

    /// <summary>The label name.</summary>
    public string Name { get; }
}
