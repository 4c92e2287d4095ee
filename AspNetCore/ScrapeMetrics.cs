namespace MetricsGen.AspNetCore;

/// <summary>
/// The counter of scrapes served by <c>MapMetrics</c> endpoints, by negotiated format: what the standalone exporter's
/// <c>metricsgen_exporter_scrapes_total</c> is for it, under its own name so both can serve one registry.
/// </summary>
[GatewayMetric]
internal sealed partial class ScrapeMetrics
{
    [Counter("metricsgen_aspnetcore_scrapes_total", Help = "Scrapes served by MetricsGen MapMetrics endpoints, by exposition format.")]
    internal partial Counter Scrapes(ScrapeFormat format);
}

/// <summary>The <c>format</c> label, spelled as the standalone exporter's.</summary>
internal enum ScrapeFormat
{
    [LabelValue("text")] Text,
    [LabelValue("openmetrics")] OpenMetrics,
    [LabelValue("protobuf")] Protobuf,
}
