using MetricsGen.Generator.Model;

namespace MetricsGen.Generator;

/// <summary>Metric type names, shared by the parser (unit and family-name rules) and the emitter (comments).</summary>
internal static class TypeNames
{
    /// <summary>The type name the exposition formats use for <paramref name="kind"/>.</summary>
    public static string Of(MetricKind kind) => kind switch
    {
        MetricKind.Counter => "counter",
        MetricKind.Gauge => "gauge",
        MetricKind.Histogram => "histogram",
        MetricKind.Summary => "summary",
        MetricKind.Info => "info",
        _ => "stateset",
    };
}
