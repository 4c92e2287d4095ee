namespace MetricsGen.AspNetCore;

/// <summary>
/// The HTTP server metrics <c>UseHttpMetrics</c> records, named and labelled as OpenTelemetry's HTTP semantic
/// conventions and ASP.NET Core's own <c>Microsoft.AspNetCore.Hosting</c> meter, in Prometheus form.
/// Every label is bounded: the method and scheme are enums, the route is the endpoint's template, never the path.
/// </summary>
[GatewayMetric]
internal sealed partial class HttpServerMetrics
{
    // Buckets: ASP.NET Core's advice for http.server.request.duration.
    [Histogram("http_server_request_duration_seconds", Help = "Duration of HTTP server requests.", Unit = "seconds",
        Buckets = new[] { 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10 })]
    internal partial Histogram RequestDuration(
        HttpRequestMethod httpRequestMethod,
        int httpResponseStatusCode,
        string httpRoute,
        UrlScheme urlScheme,
        NetworkProtocolVersion networkProtocolVersion,
        string errorType);

    [Gauge("http_server_active_requests", Help = "Number of active HTTP server requests.")]
    internal partial Gauge ActiveRequests(HttpRequestMethod httpRequestMethod, UrlScheme urlScheme);
}

/// <summary>
/// The <c>http_request_method</c> label: the methods of RFC 9110 and RFC 5789, anything else <c>_OTHER</c> so a
/// client cannot grow the series without bound (CVE-2022-21698).
/// </summary>
internal enum HttpRequestMethod
{
    [LabelValue("GET")] Get,
    [LabelValue("HEAD")] Head,
    [LabelValue("POST")] Post,
    [LabelValue("PUT")] Put,
    [LabelValue("DELETE")] Delete,
    [LabelValue("PATCH")] Patch,
    [LabelValue("OPTIONS")] Options,
    [LabelValue("CONNECT")] Connect,
    [LabelValue("TRACE")] Trace,
    [LabelValue("_OTHER")] Other,
}

/// <summary>The <c>url_scheme</c> label.</summary>
internal enum UrlScheme
{
    [LabelValue("http")] Http,
    [LabelValue("https")] Https,
}

/// <summary>The <c>network_protocol_version</c> label, as OpenTelemetry spells the HTTP versions.</summary>
internal enum NetworkProtocolVersion
{
    [LabelValue("1.0")] Http10,
    [LabelValue("1.1")] Http11,
    [LabelValue("2")] Http2,
    [LabelValue("3")] Http3,
    [LabelValue("_OTHER")] Other,
}
