using System.Collections.Generic;

namespace MetricsGen.AspNetCore;

/// <summary>
/// Which of ASP.NET Core's own meters (<c>System.Diagnostics.Metrics</c>) the package exposes in the app's
/// <see cref="MetricRegistry"/> without a line of the app's: Kestrel's connections, routing, diagnostics, rate
/// limiting, SignalR's connections and the others ASP.NET Core has, named by OpenTelemetry's Prometheus rules
/// (<c>kestrel_active_connections</c>, <c>kestrel_connection_duration_seconds</c>, …). Set it with
/// <c>builder.Services.Configure&lt;AspNetCoreMetersOptions&gt;(o =&gt; o.Enabled = false)</c>. Read once per registry,
/// when <c>UseHttpMetrics</c>, <c>MapMetrics</c> or the host start of <c>AddMetricSource</c> first needs it.
/// </summary>
public sealed class AspNetCoreMetersOptions
{
    /// <summary>Whether the meters are bridged. Default true; false leaves the registry to what the app adds itself.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The meters bridged, in <see cref="MetricRegistry.AddMeters"/>' syntax (a trailing <c>*</c> takes a prefix, a
    /// leading <c>!</c> leaves meters out). Default: every <c>Microsoft.AspNetCore.*</c> meter except
    /// <c>Microsoft.AspNetCore.Hosting</c>, whose two instruments <c>UseHttpMetrics</c> records itself (same names and
    /// labels, on every target framework, the metrics endpoint left out): bridging both would count each request twice.
    /// Add entries such as <c>System.Net.Http</c> for more.
    /// </summary>
    public IList<string> Meters { get; } = new List<string> { "Microsoft.AspNetCore.*", "!" + HostingMeter };

    internal const string HostingMeter = "Microsoft.AspNetCore.Hosting";
}
