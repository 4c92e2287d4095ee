using MetricsGen;

namespace MetricsGen.Sample;

public enum Operation { Chat, Stream, Embed }
public enum RequestStatus { Ok, Error }
public enum TokenType { Input, Output }
public enum CacheType { Exact, Semantic }
public enum CircuitState { Closed, Open, HalfOpen }

/// <summary>The metrics of the LLM gateway, as ractogateway.telemetry declares them.</summary>
[GatewayMetric(Prefix = "ractogateway")]
public sealed partial class GatewayMetrics
{
    [Counter("requests_total", Help = "Total LLM requests by provider / model / operation / status.")]
    public partial Counter Requests(string provider, string model, Operation operation, RequestStatus status);

    // Classic buckets for every scraper, native buckets for Prometheus scraping protobuf, and exemplars linking a
    // latency bucket to the trace of a request that landed in it.
    [Histogram("request_duration_seconds", Help = "LLM request wall-clock latency in seconds.",
        Buckets = new[] { 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0 }, Exemplars = true, Native = true)]
    public partial Histogram RequestDuration(string provider, string model, Operation operation);

    [Counter("tokens_total", Help = "Total tokens consumed, by token_type (input / output).")]
    public partial Counter Tokens(string provider, string model, TokenType tokenType);

    [Counter("cost_usd_total", Help = "Total estimated cost in USD.")]
    public partial Counter CostUsd(string provider, string model);

    [Counter("cache_hits_total", Help = "Total cache hits by cache type (exact / semantic).")]
    public partial Counter CacheHits(CacheType cacheType);

    [Counter("cache_misses_total", Help = "Total cache misses by cache type (exact / semantic).")]
    public partial Counter CacheMisses(CacheType cacheType);

    // Tool names come from requests: capped, so that a client inventing names cannot grow the process. Past 20
    // names, calls are counted in tool_calls_total{metricsgen_overflow="true"}.
    [Counter("tool_calls_total", Help = "Total tool calls executed, labelled by tool name.", MaxSeries = 20)]
    public partial Counter ToolCalls([Label("tool_name")] string tool);

    [Gauge("in_flight_requests", Help = "LLM requests currently in flight.")]
    public partial Gauge InFlight { get; }

    [Summary("time_to_first_token_seconds", Help = "Time until the first streamed token arrived, in seconds.",
        Quantiles = new[] { 0.5, 0.9, 0.99 })]
    public partial Summary TimeToFirstToken(string provider, string model);

    [StateSet("circuit_state", Help = "Circuit breaker state per provider.")]
    public partial StateSet<CircuitState> Circuit(string provider);

    [Info("build", Help = "Version and commit of the running gateway.")]
    public partial void SetBuildInfo(string version, string commit);

    [Gauge("uptime_seconds", Help = "Seconds since the gateway's metrics were created, read at scrape.")]
    public double UptimeSeconds => System.Diagnostics.Stopwatch.GetElapsedTime(_started).TotalSeconds;

    private readonly long _started = System.Diagnostics.Stopwatch.GetTimestamp();
}
