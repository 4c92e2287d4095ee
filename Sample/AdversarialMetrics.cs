using MetricsGen;

namespace MetricsGen.Sample;

/// <summary>Extreme doubles the adversarial gauges are set to.</summary>
public enum ExtremeKind
{
    [LabelValue("nan")] NaN,
    [LabelValue("+inf")] PositiveInfinity,
    [LabelValue("-inf")] NegativeInfinity,
    [LabelValue("-0")] NegativeZero,
    [LabelValue("1e-300")] Tiny,
    [LabelValue("1e300")] Huge,
}

/// <summary>
/// Metrics that try to break the exposition: hostile label text and help, extreme gauge values, a wide
/// histogram and fractional counters. Enabled with <c>--adversarial</c>; the end-to-end checks feed them to
/// promtool, the reference parsers and a Prometheus server.
/// </summary>
[GatewayMetric(Prefix = "adversarial")]
public sealed partial class AdversarialMetrics
{
    /// <summary>Label values every writer must escape, one series each.</summary>
    public static readonly string[] HostileLabelValues =
    {
        "back\\slash",
        "double \"quoted\"",
        "first line\nsecond line",
        "tab\tseparated",
        "emoji \U0001F680\U0001F525",
        "кириллица",
        "日本語のラベル",
        "العربية",
        "",
        "mixed \\ \" \n end",
    };

    [Counter("label_text_total", Help = "Counts by hostile label text; help with a back\\slash and\na second line.")]
    public partial Counter LabelText(string text);

    [Gauge("extreme_value", Help = "Gauges set to extreme doubles.")]
    public partial Gauge Extreme(ExtremeKind kind);

    [Histogram("wide_seconds", Help = "A histogram with 40 buckets.",
        Buckets = new[]
        {
            0.025, 0.05, 0.075, 0.1, 0.125, 0.15, 0.175, 0.2, 0.225, 0.25,
            0.275, 0.3, 0.325, 0.35, 0.375, 0.4, 0.425, 0.45, 0.475, 0.5,
            0.525, 0.55, 0.575, 0.6, 0.625, 0.65, 0.675, 0.7, 0.725, 0.75,
            0.775, 0.8, 0.825, 0.85, 0.875, 0.9, 0.925, 0.95, 0.975, 1.0,
        })]
    public partial Histogram Wide();

    [Counter("fraction_total", Help = "A counter incremented by fractional amounts.")]
    public partial Counter Fraction { get; }
}
