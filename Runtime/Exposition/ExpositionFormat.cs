namespace MetricsGen;

/// <summary>An exposition format.</summary>
public enum ExpositionFormat
{
    /// <summary>Prometheus text format 0.0.4 (<c>text/plain; version=0.0.4; charset=utf-8</c>).</summary>
    PrometheusText,

    /// <summary>OpenMetrics 1.0.0 (<c>application/openmetrics-text; version=1.0.0; charset=utf-8</c>).</summary>
    OpenMetrics,

    /// <summary>
    /// Length-delimited protobuf <c>io.prometheus.client.MetricFamily</c> messages, the only format that carries
    /// native histograms (<c>application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited</c>).
    /// Binary: <see cref="MetricRegistry.GenerateLatest"/> refuses it.
    /// </summary>
    Protobuf,
}

/// <summary>Helpers for <see cref="ExpositionFormat"/>.</summary>
public static partial class ExpositionFormats
{
    /// <summary>The HTTP content type of the Prometheus text format 0.0.4.</summary>
    public const string PrometheusTextContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>The HTTP content type of OpenMetrics 1.0.0.</summary>
    public const string OpenMetricsContentType = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    /// <summary>The HTTP content type of the delimited protobuf format.</summary>
    public const string ProtobufContentType = "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";

    /// <summary>Returns the HTTP content type of <paramref name="format"/>.</summary>
    public static string ContentType(this ExpositionFormat format) => format switch
    {
        ExpositionFormat.OpenMetrics => OpenMetricsContentType,
        ExpositionFormat.Protobuf => ProtobufContentType,
        _ => PrometheusTextContentType,
    };
}
