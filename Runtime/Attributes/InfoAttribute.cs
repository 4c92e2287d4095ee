using System;

namespace MetricsGen;

/// <summary>
/// Declares an info metric on a <c>partial void</c> method whose parameters are the info labels: each call
/// replaces the label values of the one series, which has the value 1 and is exposed once set. The sample name
/// ends in <c>_info</c>; it is appended when missing.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class InfoAttribute : MetricAttribute
{
    /// <summary>Declares the metric with a name taken from the member name.</summary>
    public InfoAttribute() : base(null) { }

    /// <summary>Declares the metric with the given name (the class prefix is added to it).</summary>
    /// <param name="name">The metric name, <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>.</param>
    public InfoAttribute(string name) : base(name) { }
}
