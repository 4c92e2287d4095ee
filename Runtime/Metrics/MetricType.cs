namespace MetricsGen;

/// <summary>The Prometheus type of a metric family.</summary>
public enum MetricType
{
    /// <summary>A value that only goes up; exposed with a <c>_total</c> suffix.</summary>
    Counter,

    /// <summary>A value that goes up and down.</summary>
    Gauge,

    /// <summary>Observations counted into cumulative buckets, with <c>_sum</c> and <c>_count</c>.</summary>
    Histogram,
}
