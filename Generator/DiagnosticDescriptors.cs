using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace MetricsGen.Generator;

/// <summary>Every diagnostic the generator reports. Each ID has a section in docs/diagnostics.md.</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "MetricsGen";

    public static readonly DiagnosticDescriptor ClassNotPartial = Error(
        "MG0001",
        "Metric class must be partial",
        "'{0}' must be declared partial (and so must every type that contains it) so that MetricsGen can implement its metrics");

    public static readonly DiagnosticDescriptor GenericClass = Error(
        "MG0002",
        "Metric class must not be generic",
        "'{0}' is generic or nested in a generic type; metric classes must not be, because each metric family is registered once per class");

    public static readonly DiagnosticDescriptor MemberNotPartial = Error(
        "MG0003",
        "Metric member must be a partial instance method or property without a body",
        "'{0}' must be declared as a partial instance method or get-only partial property without a body; MetricsGen implements it");

    public static readonly DiagnosticDescriptor UnsupportedReturnType = Error(
        "MG0004",
        "Unsupported return type for the metric attribute",
        "'{0}' is marked [{1}] and must return MetricsGen.{2}, not {3}");

    public static readonly DiagnosticDescriptor InvalidMetricName = Error(
        "MG0005",
        "Invalid metric name",
        "'{0}' is not a valid metric name: it must match [a-zA-Z_:][a-zA-Z0-9_:]*");

    public static readonly DiagnosticDescriptor InvalidLabelName = Error(
        "MG0006",
        "Invalid label name",
        "'{0}' is not a valid label name: it must match [a-zA-Z_][a-zA-Z0-9_]* and must not start with '__'");

    public static readonly DiagnosticDescriptor ReservedLabelLe = Error(
        "MG0007",
        "'le' is reserved on histograms",
        "Histogram '{0}' cannot have a label named 'le': the exposition uses it for bucket bounds");

    public static readonly DiagnosticDescriptor ReservedLabelQuantile = Error(
        "MG0008",
        "'quantile' is a reserved label name",
        "Metric '{0}' cannot have a label named 'quantile': the exposition formats reserve it for summaries");

    public static readonly DiagnosticDescriptor DuplicateLabelName = Error(
        "MG0009",
        "Duplicate label name",
        "Metric '{0}' has two labels named '{1}'");

    public static readonly DiagnosticDescriptor DuplicateMetricName = Error(
        "MG0010",
        "Two members declare one metric name",
        "'{0}' and '{1}' both declare the metric '{2}'");

    public static readonly DiagnosticDescriptor MetricNameCollision = Error(
        "MG0011",
        "Metric name collides with another family's samples",
        "Metric '{0}' of '{1}' collides with the sample name '{2}' of metric '{3}' of '{4}'");

    public static readonly DiagnosticDescriptor UnsupportedLabelType = Error(
        "MG0012",
        "Unsupported label parameter type",
        "Parameter '{0}' has type {1}, which cannot be a label: use string, an enum, bool or an integral type, passed by value");

    public static readonly DiagnosticDescriptor InvalidBuckets = Error(
        "MG0013",
        "Invalid histogram buckets",
        "Histogram '{0}' has invalid buckets: {1}");

    public static readonly DiagnosticDescriptor UnitMismatch = Error(
        "MG0014",
        "Metric name does not end with its unit",
        "Metric '{0}' declares unit '{1}', so its name must end with '_{1}'");

    public static readonly DiagnosticDescriptor MissingHelp = new(
        "MG0015",
        "Metric has no help text",
        "Metric '{0}' has no help text: set Help or write a <summary> documentation comment",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor DuplicateEnumLabelValue = Error(
        "MG0016",
        "Two enum members write the same label value",
        "Enum '{0}' is used as label '{1}', but its members '{2}' and '{3}' both write the value \"{4}\"");

    public static readonly DiagnosticDescriptor MemberOutsideMetricClass = Error(
        "MG0017",
        "Metric member outside a [GatewayMetric] class",
        "'{0}' is marked [{1}] but '{2}' has no [GatewayMetric] attribute, so nothing implements it");

    public static readonly DiagnosticDescriptor GeneratedNameClash = Error(
        "MG0018",
        "Member clashes with a generated member",
        "'{0}' has the name of a member MetricsGen generates{1}; rename it");

    public static readonly DiagnosticDescriptor PartialPropertyNeedsCSharp13 = Error(
        "MG0019",
        "Partial metric properties need C# 13 or later",
        "'{0}' is a partial property, which needs C# 13 or later (this project uses C# {1}); set <LangVersion>13</LangVersion> or later in the project file, or declare the metric as a parameterless partial method");

    public static readonly DiagnosticDescriptor InfoNotVoidMethod = Error(
        "MG0020",
        "Info metric must be a partial void method",
        "'{0}' is marked [Info] and must be a 'partial void' method whose parameters are the info labels");

    public static readonly DiagnosticDescriptor InvalidQuantiles = Error(
        "MG0021",
        "Invalid summary quantiles",
        "Summary '{0}' has invalid quantiles: {1}; each must lie in (0, 1), strictly ascending");

    public static readonly DiagnosticDescriptor InvalidSummaryWindow = Error(
        "MG0022",
        "Invalid summary window",
        "Summary '{0}' needs MaxAgeSeconds > 0 (finite) and AgeBuckets >= 1, not {1} and {2}");

    public static readonly DiagnosticDescriptor StateSetWithoutStates = Error(
        "MG0023",
        "State set enum has no members",
        "'{0}' is a state set of '{1}', which declares no members; a state set needs at least one state");

    public static readonly DiagnosticDescriptor StateSetLabelClash = Error(
        "MG0024",
        "Label clashes with the state set's own label",
        "State set '{0}' writes its state in the label '{1}', so no other label may have that name");

    public static readonly DiagnosticDescriptor CallbackWithParameters = Error(
        "MG0025",
        "Callback metric takes parameters",
        "'{0}' is read at every scrape and cannot have parameters (labels); declare a partial member for a labelled metric");

    public static readonly DiagnosticDescriptor CallbackReturnType = Error(
        "MG0026",
        "Unsupported callback metric type",
        "'{0}' is read at every scrape and must return int, long or double, not {1}");

    public static readonly DiagnosticDescriptor OptionOnCallback = Error(
        "MG0027",
        "Option does not apply to a callback metric",
        "'{0}' is read at every scrape, so it has no series to apply '{1}' to; remove the option");

    public static readonly DiagnosticDescriptor InvalidMaxSeries = Error(
        "MG0028",
        "Invalid series limit",
        "Metric '{0}' declares MaxSeries = {1}; the limit must be at least 1");

    public static readonly DiagnosticDescriptor InvalidExpiry = Error(
        "MG0029",
        "Invalid series expiry",
        "Metric '{0}' declares ExpireAfterSeconds = {1}; it must be a positive, finite number of seconds");

    public static readonly DiagnosticDescriptor LifecycleOptionWithoutLabels = Error(
        "MG0030",
        "Series option on a metric with one series",
        "'{0}' has a single series (no labels, or an info metric), so '{1}' has nothing to limit or expire; remove the option");
    public static readonly DiagnosticDescriptor InvalidNativeBucketFactor = Error(
        "MG0031",
        "Invalid native histogram bucket factor",
        "Native histogram '{0}' needs a NativeBucketFactor greater than 1 (finite), not {1}");

    public static readonly DiagnosticDescriptor InvalidNativeZeroThreshold = Error(
        "MG0032",
        "Invalid native histogram zero threshold",
        "Native histogram '{0}' needs a NativeZeroThreshold of 0 or more (finite), not {1}");

    public static readonly DiagnosticDescriptor InvalidNativeMaxBuckets = Error(
        "MG0033",
        "Invalid native histogram bucket limit",
        "Native histogram '{0}' needs NativeMaxBuckets of at least 1, not {1}");

    // The name lints (issue 22): what `promtool check metrics` (2.42) flags in names, reported by Analyzers/NameLintAnalyzer.
    public static readonly DiagnosticDescriptor NonBaseUnit = Lint(
        "MG0034",
        "Metric name uses a non-base unit",
        "Metric '{0}' has the unit '{1}' in its name where promtool wants the base unit '{2}'; renaming it means recording values in {2}");

    public static readonly DiagnosticDescriptor AbbreviatedUnit = Lint(
        "MG0035",
        "Metric name has an abbreviated unit",
        "Metric '{0}' has the abbreviated unit '{1}' in its name; promtool wants the base unit spelled out (seconds, bytes), and renaming it means recording values in that unit");

    public static readonly DiagnosticDescriptor TotalOnNonCounter = Lint(
        "MG0036",
        "'_total' on a metric that is not a counter",
        "Metric '{0}' is exposed as a {1} but its name ends with '_total', which promtool keeps for counters");

    public static readonly DiagnosticDescriptor HistogramSummaryReserved = Lint(
        "MG0037",
        "Histogram or summary sample name on another metric type",
        "Metric '{0}' is exposed as a {1} but {2}");

    public static readonly DiagnosticDescriptor TypeNameInName = Lint(
        "MG0038",
        "Metric name contains a type name",
        "Metric '{0}' has the type name '{1}' in its name, which promtool flags");

    public static readonly DiagnosticDescriptor NotSnakeCase = Lint(
        "MG0039",
        "Metric or label name is not snake_case",
        "Metric '{0}': {1}");

    // Reported by Analyzers/CardinalityAnalyzer at metric call sites, not by the generator.
    public static readonly DiagnosticDescriptor UnboundedLabelValue = new(
        "MG0040",
        "Label value from an unbounded source",
        "Label '{0}' of metric '{1}' gets {2}, which has no bound: every distinct value is a new series; pass a bounded value (a route template, an enum, a fixed set of strings)",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        helpLinkUri: "https://github.com/metricsgen/metricsgen/blob/main/docs/diagnostics.md#mg0040");

    private static readonly Dictionary<string, DiagnosticDescriptor> All = typeof(DiagnosticDescriptors)
        .GetFields()
        .Where(field => field.FieldType == typeof(DiagnosticDescriptor))
        .Select(field => (DiagnosticDescriptor)field.GetValue(null))
        .ToDictionary(descriptor => descriptor.Id);

    public static IEnumerable<DiagnosticDescriptor> Descriptors => All.Values;

    public static DiagnosticDescriptor ById(string id) => All[id];

    private static DiagnosticDescriptor Lint(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: $"https://github.com/metricsgen/metricsgen/blob/main/docs/diagnostics.md#{id.ToLowerInvariant()}");

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: $"https://github.com/metricsgen/metricsgen/blob/main/docs/diagnostics.md#{id.ToLowerInvariant()}");
}
