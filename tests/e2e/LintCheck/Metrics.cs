using MetricsGen;

namespace LintCheck;

/// <summary>The states of the state sets below.</summary>
public enum Phase
{
    /// <summary>Waiting.</summary>
    Idle,

    /// <summary>Working.</summary>
    Busy,
}

/// <summary>
/// Every name promtool 2.42 lints, one metric each, next to look-alikes it accepts (docs/diagnostics.md, "Name
/// lints"). Names promtool flags only on some runs (a base and a non-base unit word, as in uptime_seconds_minutes)
/// are left out: its verdict on them is random.
/// </summary>
[GatewayMetric]
public sealed partial class LintMetrics
{
    // MG0034: non-base units.
    [Histogram("latency_milliseconds", Help = "h", Buckets = new[] { 5.0, 50 })] public partial Histogram LatencyMilliseconds();
    [Gauge("payload_kilobytes", Help = "h")] public partial Gauge PayloadKilobytes { get; }
    [Gauge("age_weeks", Help = "h")] public partial Gauge AgeWeeks { get; }
    [Gauge("link_bits", Help = "h")] public partial Gauge LinkBits { get; }
    [Counter("sent_kilobytes", Help = "h")] public partial Counter SentKilobytes();

    // MG0035: abbreviated units.
    [Histogram("latency_ms", Help = "h", Buckets = new[] { 5.0, 50 })] public partial Histogram LatencyMs();
    [Gauge("size_kb", Help = "h")] public partial Gauge SizeKb { get; }
    [Gauge("wait_s_max", Help = "h")] public partial Gauge WaitSMax { get; }
    [Gauge("dist_m", Help = "h")] public partial Gauge DistM { get; }
    [Gauge("wait_MS", Help = "h")] public partial Gauge WaitUpperMs { get; }
    [Counter("requests_ms", Help = "h")] public partial Counter RequestsMs();

    // MG0036: _total on no counter.
    [Gauge("queue_total", Help = "h")] public partial Gauge QueueTotal { get; }
    [Histogram("wait_total", Help = "h", Buckets = new[] { 1.0 })] public partial Histogram WaitTotal();
    [Summary("size_total", Help = "h")] public partial Summary SizeTotal();
    [StateSet("phase_total", Help = "h")] public partial StateSet<Phase> PhaseTotal { get; }

    // MG0037: histogram and summary names on other types.
    [Gauge("items_count", Help = "h")] public partial Gauge ItemsCount { get; }
    [Gauge("items_sum", Help = "h")] public partial Gauge ItemsSum { get; }
    [Summary("parts_bucket", Help = "h")] public partial Summary PartsBucket();
    [StateSet("phase_count", Help = "h")] public partial StateSet<Phase> PhaseCount { get; }
    [Gauge("level", Help = "h")] public partial Gauge Level(string le);

    // MG0038: type names.
    [Counter("requests_counter", Help = "h")] public partial Counter RequestsCounter();
    [Gauge("open_gauge", Help = "h")] public partial Gauge OpenGauge { get; }
    [Histogram("wait_summary", Help = "h", Buckets = new[] { 1.0 })] public partial Histogram WaitSummary();
    [Info("build_gauge", Help = "h")] public partial void BuildGauge(string version);
    [Gauge("open_gauge_counter", Help = "h")] public partial Gauge OpenGaugeCounter { get; }

    // MG0039: camelCase and ':'.
    [Gauge("jobsRunning", Help = "h")] public partial Gauge JobsRunningCamel { get; }
    [StateSet("phaseNow", Help = "h")] public partial StateSet<Phase> PhaseNow { get; }
    [Gauge("jobs:running", Help = "h")] public partial Gauge JobsRunningColon { get; }
    [Gauge("jobs", Help = "h")] public partial Gauge Jobs([Label("jobKind")] string kind);

    // MG0015: no help.
    [Gauge("no_help")] public partial Gauge NoHelp { get; }

    // Look-alikes promtool accepts.
    [Histogram("latency_seconds", Unit = "seconds", Help = "h", Buckets = new[] { 0.1 })] public partial Histogram LatencySeconds();
    [Gauge("payload_bytes", Help = "h")] public partial Gauge PayloadBytes { get; }
    [Gauge("temperature_celsius", Help = "h")] public partial Gauge TemperatureCelsius { get; }
    [Gauge("temperature_Minutes", Help = "h")] public partial Gauge TemperatureMinutes { get; }
    [Gauge("thermometers", Help = "h")] public partial Gauge Thermometers { get; }
    [Gauge("uptime_mebibytes", Help = "h")] public partial Gauge UptimeMebibytes { get; }
    [Gauge("sms_sent", Help = "h")] public partial Gauge SmsSent { get; }
    [Gauge("s_left", Help = "h")] public partial Gauge SLeft { get; }
    [Gauge("net_mbps", Help = "h")] public partial Gauge NetMbps { get; }
    [Counter("requests", Help = "h")] public partial Counter Requests();
    [Counter("widgets_count", Help = "h")] public partial Counter WidgetsCount();
    [Info("build_total", Help = "h")] public partial void BuildTotal(string version);
    [Histogram("wait_count", Help = "h", Buckets = new[] { 1.0 })] public partial Histogram WaitCount();
    [Summary("rpc_count", Help = "h")] public partial Summary RpcCount();
    [Histogram("rpc_sum", Help = "h", Buckets = new[] { 1.0 })] public partial Histogram RpcSum();
    [Gauge("counter_value", Help = "h")] public partial Gauge CounterValue { get; }
    [Gauge("open_gauges", Help = "h")] public partial Gauge OpenGauges { get; }
    [Gauge("jobs_untyped", Help = "h")] public partial Gauge JobsUntyped { get; }
    [Gauge("HTTPRequests", Help = "h")] public partial Gauge HttpRequests { get; }
    [Gauge(Help = "h")] public partial Gauge WorkersIdle(string workerKind);
}
