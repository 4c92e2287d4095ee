using MetricsGen.Shared;
using Xunit;

namespace MetricsGen.Runtime.Tests.Meters;

/// <summary>The OpenTelemetry → Prometheus name rules, one row per entry of the mapping table in docs/meters.md.</summary>
public sealed class MeterNamingTests
{
    [Theory]
    [InlineData("s", "seconds")]
    [InlineData("ms", "milliseconds")]
    [InlineData("us", "microseconds")]
    [InlineData("ns", "nanoseconds")]
    [InlineData("min", "minutes")]
    [InlineData("h", "hours")]
    [InlineData("d", "days")]
    [InlineData("By", "bytes")]
    [InlineData("KiBy", "kibibytes")]
    [InlineData("MiBy", "mebibytes")]
    [InlineData("GiBy", "gibibytes")]
    [InlineData("KBy", "kilobytes")]
    [InlineData("MBy", "megabytes")]
    [InlineData("GBy", "gigabytes")]
    [InlineData("m", "meters")]
    [InlineData("V", "volts")]
    [InlineData("A", "amperes")]
    [InlineData("J", "joules")]
    [InlineData("W", "watts")]
    [InlineData("g", "grams")]
    [InlineData("Cel", "celsius")]
    [InlineData("Hz", "hertz")]
    [InlineData("%", "percent")]
    [InlineData("By/s", "bytes_per_second")]
    [InlineData("m/s", "meters_per_second")]
    [InlineData("{request}/s", "per_second")]
    [InlineData("1/min", "per_minute")]
    [InlineData("{packet}/w", "per_week")]
    public void KnownUnitsBecomeSuffixAndUnit(string unit, string suffix)
    {
        Assert.Equal("x_" + suffix, OpenTelemetryNaming.MetricName("x", unit, "gauge", out string? gaugeUnit));
        Assert.Equal(suffix, gaugeUnit);
        Assert.Equal("x_" + suffix + "_total", OpenTelemetryNaming.MetricName("x", unit, "counter", out string? counterUnit));
        Assert.Equal(suffix, counterUnit);
        Assert.Equal("x_" + suffix, OpenTelemetryNaming.MetricName("x", unit, "histogram", out _));
    }

    [Theory]
    [InlineData(null, "x_total", "x")]
    [InlineData("", "x_total", "x")]
    [InlineData("{request}", "x_total", "x")]
    [InlineData("{request}{more}", "x_total", "x")]
    [InlineData("1", "x_total", "x_ratio")]
    [InlineData("furlongs", "x_furlongs_total", "x_furlongs")]
    [InlineData("k.m-h", "x_k_m_h_total", "x_k_m_h")]
    public void OtherUnits(string? unit, string counter, string gauge)
    {
        Assert.Equal(counter, OpenTelemetryNaming.MetricName("x", unit, "counter", out string? counterUnit));
        Assert.Null(counterUnit);
        Assert.Equal(gauge, OpenTelemetryNaming.MetricName("x", unit, "gauge", out string? gaugeUnit));
        Assert.Equal(unit == "1" ? "ratio" : null, gaugeUnit);
    }

    [Theory]
    [InlineData("http.client.request.duration", "s", "histogram", "http_client_request_duration_seconds")]
    [InlineData("http.server.active_requests", "{request}", "gauge", "http_server_active_requests")]
    [InlineData("dotnet.gc.collections", "{collection}", "counter", "dotnet_gc_collections_total")]
    [InlineData("dotnet.gc.heap.total_allocated", "By", "counter", "dotnet_gc_heap_total_allocated_bytes_total")]
    [InlineData("request_duration_seconds", "s", "histogram", "request_duration_seconds")]
    [InlineData("sent_bytes_total", "By", "counter", "sent_bytes_total")]
    [InlineData("requests_total", null, "counter", "requests_total")]
    [InlineData("9lives", null, "gauge", "_9lives")]
    [InlineData("a..b--c", null, "gauge", "a_b_c")]
    [InlineData("a:b/c", null, "gauge", "a:b_c")]
    [InlineData("déjà vu", null, "gauge", "d_j_vu")]
    [InlineData("queue.", "s", "gauge", "queue_seconds")]
    [InlineData("seconds", "s", "gauge", "seconds")]
    public void Names(string instrument, string? unit, string type, string expected) =>
        Assert.Equal(expected, OpenTelemetryNaming.MetricName(instrument, unit, type, out _));

    [Theory]
    [InlineData("http.request.method", "http_request_method")]
    [InlineData("a:b", "a_b")]
    [InlineData("__reserved", "_reserved")]
    [InlineData("1st", "_1st")]
    [InlineData("", "_")]
    [InlineData("ok_name", "ok_name")]
    public void LabelNames(string key, string expected)
    {
        Assert.Equal(expected, OpenTelemetryNaming.LabelName(key));
        Assert.True(MetricNames.IsValidLabelName(expected));
    }
}
