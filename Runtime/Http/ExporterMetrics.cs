using System.Collections.Generic;
using MetricsGen.CompilerServices;

namespace MetricsGen;

/// <summary>
/// The exporter's own counter, <c>metricsgen_exporter_scrapes_total{format="openmetrics"|"text"|"protobuf"}</c>: scrapes
/// served successfully, by the format negotiated. Registered in the exporter's registry while it runs.
/// </summary>
internal sealed class ExporterMetrics : IMetricSource
{
    private static readonly MetricDescriptor ScrapesDescriptor = new(
        "metricsgen_exporter_scrapes_total",
        MetricType.Counter,
        "Scrapes served by the MetricsGen HTTP exporter, by exposition format.");

    private readonly CounterFamily _scrapes = new(ScrapesDescriptor);
    private readonly Counter _text;
    private readonly Counter _openMetrics;
    private readonly Counter _protobuf;

    public ExporterMetrics()
    {
        // Both series exist from the start, so a dashboard sees 0 rather than a missing series.
        _openMetrics = _scrapes.Add("format=\"openmetrics\""u8.ToArray());
        _text = _scrapes.Add("format=\"text\""u8.ToArray());
        _protobuf = _scrapes.Add("format=\"protobuf\""u8.ToArray());
    }

    public string SourceName => nameof(PrometheusExporter);

    public IReadOnlyList<MetricDescriptor> Metrics { get; } = new[] { ScrapesDescriptor };

    public void Collect(ref ExpositionWriter writer) => writer.Write(_scrapes);

    public void CountScrape(ExpositionFormat format) => (format switch
    {
        ExpositionFormat.OpenMetrics => _openMetrics,
        ExpositionFormat.Protobuf => _protobuf,
        _ => _text,
    }).Inc();
}
