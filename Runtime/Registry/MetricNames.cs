using MetricsGen.Shared;

namespace MetricsGen;

/// <summary>Name rules of the exposition formats, as the generator and the registry apply them.</summary>
public static class MetricNames
{
    /// <summary>True when <paramref name="name"/> matches <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>.</summary>
    public static bool IsValidMetricName(string? name) => ExpositionRules.IsValidMetricName(name);

    /// <summary>True when <paramref name="name"/> matches <c>[a-zA-Z_][a-zA-Z0-9_]*</c> and does not start with <c>__</c>.</summary>
    public static bool IsValidLabelName(string? name) => ExpositionRules.IsValidLabelName(name);
}
