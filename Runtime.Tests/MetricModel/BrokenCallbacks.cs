namespace MetricsGen.Runtime.Tests.MetricModel;

/// <summary>Callbacks that fail, for the scrape-failure tests.</summary>
[GatewayMetric(Prefix = "broken")]
public sealed partial class BrokenCallbacks
{
    public bool Throw { get; set; }

    public long CounterValue { get; set; }

    [Gauge("reading", Help = "Throws when asked to.")]
    public double Reading => Throw ? throw new System.InvalidOperationException("sensor offline") : 1.5;

    [Counter("events_total", Help = "Reads a counter that may go wrong.")]
    public long Events() => CounterValue;
}
