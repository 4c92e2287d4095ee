using System;
using System.Collections.Generic;
using System.Net.Http;

namespace MetricsGen;

/// <summary>
/// Settings of a <see cref="PushgatewayClient"/>: which Pushgateway, which group, and how to reach it. Read once,
/// when the client is created; later changes (including to <see cref="GroupingKey"/>) have no effect on it.
/// </summary>
public sealed class PushgatewayOptions
{
    /// <summary>
    /// The Pushgateway's base URL, for example <c>http://pushgateway:9091</c>; a path prefix (a gateway behind a
    /// reverse proxy) is kept. Required: http or https, no query, fragment or user information.
    /// </summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The job name, the first part of the grouping key. Required (not empty).</summary>
    public string Job { get; set; } = "";

    /// <summary>
    /// The further labels of the grouping key besides <c>job</c>, sent in ordinal order of their names. Names must
    /// be valid label names (not <c>job</c>, not starting with <c>__</c>); values may be anything, including empty.
    /// Empty at first (ordinal names); fill it with <c>options.GroupingKey["instance"] = "db-1"</c> or an initializer
    /// (<c>GroupingKey = { ["instance"] = "db-1" }</c>).
    /// </summary>
    public IDictionary<string, string> GroupingKey { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The user name for HTTP basic authentication; none when null.</summary>
    public string? Username { get; set; }

    /// <summary>The password for HTTP basic authentication (with <see cref="Username"/>; null counts as empty).</summary>
    public string? Password { get; set; }

    /// <summary>
    /// How long one request may take, from sending to the end of reading the answer. Default 30 seconds (as
    /// <c>prometheus_client</c>); <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> disables it.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether pushed bodies are gzip-compressed (<c>Content-Encoding: gzip</c>). Default false.</summary>
    public bool UseGzip { get; set; }

    /// <summary>
    /// Extra header fields sent with every request, for example <c>Authorization: Bearer …</c> or a tenant header.
    /// Content headers (<c>Content-Type</c>, <c>Content-Encoding</c>, …) are the client's own and are refused.
    /// Empty at first; names compare ordinally ignoring case, as HTTP field names do, so a name cannot be set twice.
    /// </summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The handler requests go through (TLS client certificates, proxies, custom validation); a new
    /// <see cref="SocketsHttpHandler"/> when null. A supplied handler stays the caller's: the client never disposes it.
    /// </summary>
    public HttpMessageHandler? HttpMessageHandler { get; set; }

    /// <summary>
    /// Subscribed to the registry's <see cref="MetricRegistry.Warning"/> stream from the client's creation until its
    /// <see cref="PushgatewayClient.Dispose"/>: it receives every problem the registry reports in that time, among
    /// them the failures of periodic pushes (<see cref="PushgatewayClient.StartPeriodicPush"/>), which are reported
    /// there and never thrown. Each reported problem reaches it once. Called on the thread that met the problem (a
    /// thread-pool thread for a periodic push); exceptions it throws are ignored. Default null.
    /// </summary>
    public Action<Exception>? OnError { get; set; }
}
