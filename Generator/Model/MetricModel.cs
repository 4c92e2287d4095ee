namespace MetricsGen.Generator.Model;

/// <summary>The kind of a declared metric.</summary>
internal enum MetricKind
{
    Counter,
    Gauge,
    Histogram,
}

/// <summary>One declared metric member. Must stay immutable and structurally equal.</summary>
/// <param name="Kind">Counter, gauge or histogram.</param>
/// <param name="MemberName">The C# member name.</param>
/// <param name="IsProperty">A partial property (else a partial method).</param>
/// <param name="Modifiers">The member's modifiers as written (<c>public partial</c>).</param>
/// <param name="MetricName">The exposed name, prefix included; a counter's ends in <c>_total</c>.</param>
/// <param name="Help">The help text (may be empty when none was given).</param>
/// <param name="Unit">The OpenMetrics unit, or null.</param>
/// <param name="Buckets">Histogram bucket bounds as given, or empty for the defaults.</param>
/// <param name="Labels">The labels in parameter order.</param>
internal sealed record MetricModel(
    MetricKind Kind,
    string MemberName,
    bool IsProperty,
    string Modifiers,
    string MetricName,
    string Help,
    string? Unit,
    EquatableArray<double> Buckets,
    EquatableArray<LabelModel> Labels);
