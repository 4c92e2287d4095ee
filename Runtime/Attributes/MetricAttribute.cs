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
}
