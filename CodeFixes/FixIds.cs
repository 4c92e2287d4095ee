namespace MetricsGen.CodeFixes;

/// <summary>
/// The IDs fixed here, as strings: this assembly does not reference the generator, whose descriptors are the source
/// of truth (CodeFixes.Tests checks that the fixed IDs and the declaration analyzers' IDs are the same set).
/// </summary>
internal static class FixIds
{
    public const string ClassNotPartial = "MG0001";
    public const string MemberNotPartial = "MG0003";
    public const string InvalidMetricName = "MG0005";
    public const string InvalidLabelName = "MG0006";
    public const string InvalidBuckets = "MG0013";
    public const string UnitMismatch = "MG0014";
    public const string MemberOutsideMetricClass = "MG0017";

    /// <summary>The property a name lint puts the name to write in (contract with the MG0034-MG0039 analyzers).</summary>
    public const string SuggestedNameProperty = "MetricsGen.SuggestedName";
}
