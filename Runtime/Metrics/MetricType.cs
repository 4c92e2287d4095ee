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

    /// <summary>Observations summarised as <c>_sum</c>, <c>_count</c> and optional quantiles over a sliding window.</summary>
    Summary,

    /// <summary>Information as labels of one sample with the value 1, named with an <c>_info</c> suffix.</summary>
    Info,

    /// <summary>A set of named states of which one is current: one sample per state, 1 or 0.</summary>
    StateSet,
}
