using MetricsGen;

namespace MetricsGen.Sample.AspNetCore;

public enum Tier { Free, Paid }

/// <summary>The example metric class: resolved from dependency injection by the /hello endpoint.</summary>
[GatewayMetric(Prefix = "shop")]
public sealed partial class ShopMetrics
{
    [Counter("greetings_total", Help = "Greetings served, by tier.")]
    public partial Counter Greetings(Tier tier);
}
