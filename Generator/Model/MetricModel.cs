using MetricsGen.Shared;

namespace MetricsGen.Generator.Model;

/// <summary>The kind of a declared metric.</summary>
internal enum MetricKind
{
    Counter,
    Gauge,
    Histogram,
    Summary,
    Info,
    StateSet,
}

/// <summary>One declared metric member. Must stay immutable and structurally equal.</summary>
/// <param name="Kind">The metric type.</param>
/// <param name="MemberName">The C# member name.</param>
/// <param name="IsProperty">A property (else a method).</param>
/// <param name="Modifiers">The member's modifiers as written (<c>public partial</c>).</param>
/// <param name="MetricName">The exposed name, prefix included; a counter's ends in <c>_total</c>, an info's in <c>_info</c>.</param>
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
    EquatableArray<LabelModel> Labels)
{
    /// <summary>A gauge or counter read from the user's own property or method at every scrape.</summary>
    public bool IsCallback { get; init; }

    /// <summary>Counter or histogram series keep exemplars.</summary>
    public bool Exemplars { get; init; }

    /// <summary>Summary quantiles, or empty for count and sum only.</summary>
    public EquatableArray<double> Quantiles { get; init; } = EquatableArray<double>.Empty;

    /// <summary>The length of a summary's sliding window in seconds.</summary>
    public double MaxAgeSeconds { get; init; } = MetricDefaults.SummaryMaxAgeSeconds;

    /// <summary>How many buckets a summary's window rotates through.</summary>
    public int AgeBuckets { get; init; } = MetricDefaults.SummaryAgeBuckets;

    /// <summary>The declared series limit, or 0 for the default (the registry's for maps, none for slot arrays).</summary>
    public int MaxSeries { get; init; }

    /// <summary>Seconds after which an idle series is removed, or 0 for never.</summary>
    public double ExpireAfterSeconds { get; init; }
    /// <summary>A histogram that keeps native buckets, with its settings.</summary>
    public bool Native { get; init; }

    public double NativeBucketFactor { get; init; } = MetricDefaults.NativeBucketFactor;

    public double NativeZeroThreshold { get; init; } = MetricDefaults.NativeZeroThreshold;

    public int NativeMaxBuckets { get; init; } = MetricDefaults.NativeMaxBuckets;

    /// <summary>For a state set: its enum, whose members (in declaration order) are the states; else null.</summary>
    public EnumModel? StateEnum { get; init; }
}
