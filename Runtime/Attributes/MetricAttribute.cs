using System;

namespace MetricsGen;

/// <summary>Common settings of the metric-declaring attributes.</summary>
public abstract class MetricAttribute : Attribute
{
    private protected MetricAttribute(string? name) => Name = name;

    /// <summary>
    /// The metric name without the class prefix. When omitted, the member name in snake_case is used.
    /// </summary>
    public string? Name { get; }

    /// <summary>
    /// The <c># HELP</c> text. When omitted, the member's XML documentation <c>&lt;summary&gt;</c> is used.
    /// </summary>
    public string? Help { get; set; }

    /// <summary>
    /// Optional OpenMetrics unit (for example <c>seconds</c>); the metric name must end with <c>_</c> and the unit.
    /// </summary>
    public string? Unit { get; set; }

    /// <summary>
    /// The most series the metric holds; a lookup of a new label set beyond it returns the metric's one overflow
    /// series, labelled <c>metricsgen_overflow="true"</c>, so nothing recorded is lost. When omitted, metrics with a
    /// string or integral label take <see cref="MetricRegistry.DefaultMaxSeries"/> (2,000) and metrics labelled only by
    /// enums and bools are unlimited. Must be at least 1; only for labelled, non-callback metrics.
    /// </summary>
    public int MaxSeries { get; set; }

    /// <summary>
    /// Removes a series that has not been updated for this many seconds (checked when the metric is scraped). An update
    /// through a handle kept across the expiry brings the series back with its value. When omitted, series live until
    /// removed. Must be positive; only for labelled, non-callback metrics.
    /// </summary>
    public double ExpireAfterSeconds { get; set; }
}
