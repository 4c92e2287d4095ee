namespace MetricsGen.Generator.Model;

/// <summary>How a label parameter's value is turned into label text.</summary>
internal enum LabelKind
{
    /// <summary>Any string, escaped when the series is created.</summary>
    String,

    /// <summary>An enum: a closed set of precomputed values.</summary>
    Enum,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Bool,

    /// <summary>A signed integral type, invariant decimal.</summary>
    SignedInteger,

    /// <summary>An unsigned integral type, invariant decimal.</summary>
    UnsignedInteger,
}

/// <summary>One label parameter. Must stay immutable and structurally equal.</summary>
/// <param name="ParameterName">The C# parameter name as it must be written (with <c>@</c> for keywords).</param>
/// <param name="ParameterType">The parameter type, fully qualified, as declared (nullable annotation included).</param>
/// <param name="LabelName">The exposed label name.</param>
/// <param name="Kind">The kind of value.</param>
/// <param name="EnumFullName">For enums, the fully qualified enum type; else null.</param>
/// <param name="EnumSize">For enums, the number of distinct values; for bools 2; else 0.</param>
internal sealed record LabelModel(
    string ParameterName,
    string ParameterType,
    string LabelName,
    LabelKind Kind,
    string? EnumFullName,
    int EnumSize)
{
    public bool IsClosed => Kind is LabelKind.Enum or LabelKind.Bool;
}
