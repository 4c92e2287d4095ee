using System;

namespace MetricsGen;

/// <summary>
/// Declares a counter: a value that only goes up. The member returns <see cref="MetricsGen.Counter"/>. The exposed name always ends in <c>_total</c>; it is appended when missing.
/// Parameters of the member are its labels, in order.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class CounterAttribute : MetricAttribute
{
    /// <summary>Declares the metric with a name taken from the member name.</summary>
    public CounterAttribute() : base(null) { }

    /// <summary>Declares the metric with the given name (the class prefix is added to it).</summary>
    /// <param name="name">The metric name, <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>.</param>
    public CounterAttribute(string name) : base(name) { }

    /// <summary>
    /// Keep the latest exemplar of each series (OpenMetrics only). Plain calls attach the trace and span of a
    /// recorded <see cref="System.Diagnostics.Activity.Current"/>; the overloads taking an <see cref="Exemplar"/> set one
    /// explicitly. Off by default; counters without it pay nothing for the feature.
    /// </summary>
    public bool Exemplars { get; set; }
}
