using System;
using System.Collections.Generic;
using MetricsGen.Generator.Model;

namespace MetricsGen.Generator;

/// <summary>
/// Names of the members the emitter writes into a metric class. The parser checks user members against them
/// (MG0018, a generated name clash) and the emitter writes them, so both read them here.
/// </summary>
internal static class GeneratedNames
{
    public static string DescriptorField(MetricModel metric) => "s_" + Naming.ToCamelCase(metric.MemberName);

    /// <summary>The class members generated for <paramref name="metric"/>, besides the metric member itself.</summary>
    /// <remarks><see cref="MayBeGenerated"/> must accept every name made here and in <see cref="ClassMemberNames"/>.</remarks>
    public static IEnumerable<string> MemberNames(MetricModel metric)
    {
        string camel = Naming.ToCamelCase(metric.MemberName);
        yield return DescriptorField(metric);
        if (metric.IsCallback)
        {
            yield break;
        }

        yield return "_" + camel;
        if (metric.Kind == MetricKind.Info)
        {
            yield break;
        }

        if (Lookups.Of(metric) == Lookup.Unlabelled)
        {
            yield break;
        }

        yield return "Create" + metric.MemberName;
        yield return "Remove" + metric.MemberName;
        yield return "Clear" + metric.MemberName;
        if (Lookups.Of(metric) == Lookup.Map)
        {
            yield return KeyType(metric);
        }
    }

    /// <summary>Class members generated once per class.</summary>
    public static IEnumerable<string> ClassMemberNames(bool hasEnums) =>
        hasEnums ? new[] { "s_metrics", "MetricLabelValues" } : new[] { "s_metrics" };

    public static string KeyType(MetricModel metric) => metric.MemberName + "Labels";

    /// <summary>
    /// False for a name none of <see cref="MemberNames"/> or
    /// <see cref="ClassMemberNames"/> can be: those all have one of these forms.
    /// </summary>
    public static bool MayBeGenerated(string name) =>
        name.StartsWith("_", StringComparison.Ordinal) || name.StartsWith("s_", StringComparison.Ordinal)
        || name.StartsWith("Create", StringComparison.Ordinal) || name.StartsWith("Remove", StringComparison.Ordinal)
        || name.StartsWith("Clear", StringComparison.Ordinal) || name.EndsWith("Labels", StringComparison.Ordinal)
        || name == "MetricLabelValues";
}
