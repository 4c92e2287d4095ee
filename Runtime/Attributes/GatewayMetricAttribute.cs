using System;

namespace MetricsGen;

/// <summary>
/// Marks a partial class whose members declare Prometheus metrics. The MetricsGen source generator
/// implements those members and makes the class an <see cref="IMetricSource"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class GatewayMetricAttribute : Attribute
{
    /// <summary>
    /// Prefix joined to every metric name of the class with an underscore
    /// (<c>Prefix = "ractogateway"</c> turns <c>requests_total</c> into <c>ractogateway_requests_total</c>).
    /// </summary>
    public string? Prefix { get; set; }
}
