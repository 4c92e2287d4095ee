using System;

namespace MetricsGen;

/// <summary>
/// Declares a gauge: a value that goes up and down. The member returns <see cref="MetricsGen.Gauge"/>.
/// Parameters of the member are its labels, in order.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class GaugeAttribute : MetricAttribute
{
    /// <summary>Declares the metric with a name taken from the member name.</summary>
    public GaugeAttribute() : base(null) { }

    /// <summary>Declares the metric with the given name (the class prefix is added to it).</summary>
    /// <param name="name">The metric name, <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>.</param>
    public GaugeAttribute(string name) : base(name) { }
}
