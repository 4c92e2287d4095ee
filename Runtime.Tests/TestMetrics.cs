using MetricsGen;

namespace MetricsGen.Runtime.Tests;

public enum Outcome { Ok, Error }

public enum Region
{
    [LabelValue("eu-west")] EuWest = 3,
    [LabelValue("us \"east\"")] UsEast = 7,
}

/// <summary>A small class whose exposition the tests compare byte for byte.</summary>
[GatewayMetric(Prefix = "test")]
public sealed partial class ShopMetrics
{
    [Counter("orders", Help = "Orders placed.")]
    public partial Counter Orders(string shop, Outcome outcome);

    [Gauge(Help = "Items in stock.")]
    public partial Gauge StockItems { get; }

    [Histogram("latency_seconds", Help = "Checkout latency.", Unit = "seconds", Buckets = new[] { 0.1, 1.0 })]
    public partial Histogram Latency(Region region);

    /// <summary>Bytes sent, by <c>flag</c>.</summary>
    [Counter(Unit = "bytes")]
    public partial Counter SentBytes(bool compressed, int shard);
}

/// <summary>Labels with hostile text and gauges with extreme values.</summary>
[GatewayMetric]
public sealed partial class HostileMetrics
{
    [Gauge("hostile_value", Help = "Back\\slash and\nnewline and \"quotes\".")]
    public partial Gauge Value(string name);

    [Counter("enum_only_total", Help = "Two enums.")]
    public partial Counter EnumOnly(Outcome outcome, Region region);

    [Counter("plain_total", Help = "No labels.")]
    public partial Counter Plain();
}

/// <summary>Clashes with <see cref="ShopMetrics"/> on purpose.</summary>
[GatewayMetric(Prefix = "test")]
public sealed partial class ClashingMetrics
{
    [Gauge("stock_items", Help = "Same name as ShopMetrics.StockItems.")]
    public partial Gauge Stock { get; }

    // A test name RegistryTests looks for, never scraped by promtool: the name lint MG0038 does not matter here.
#pragma warning disable MG0038
    [Gauge("unique_gauge", Help = "Unique.")]
    public partial Gauge Unique { get; }
#pragma warning restore MG0038
}

/// <summary>Families with a limit of one series, one slotted and one keyed: every second label set overflows.</summary>
[GatewayMetric]
public sealed partial class LimitedMetrics
{
    [Counter("limited_slots_total", Help = "A closed label set with a limit.", MaxSeries = 1)]
    public partial Counter Slotted(Outcome outcome);

    [Counter("limited_keys_total", Help = "An open label set with a limit.", MaxSeries = 1)]
    public partial Counter Keyed(string key);
}
