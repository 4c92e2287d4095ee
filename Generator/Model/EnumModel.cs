namespace MetricsGen.Generator.Model;

/// <summary>An enum used as a label type. Must stay immutable and structurally equal.</summary>
/// <param name="FullName">The fully qualified type (<c>global::Ns.Operation</c>).</param>
/// <param name="IsZeroBasedRange">Its distinct values are exactly 0..n-1 and fit an int, so the index is the value.</param>
/// <param name="Members">One member per distinct value, in value order.</param>
internal sealed record EnumModel(string FullName, bool IsZeroBasedRange, EquatableArray<EnumMemberModel> Members);

/// <summary>One enum member and the label value it writes. Must stay immutable and structurally equal.</summary>
internal sealed record EnumMemberModel(string Name, string LabelValue);
