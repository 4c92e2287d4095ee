using System;

namespace MetricsGen;

/// <summary>
/// Declares a state set: the member returns <see cref="StateSet{TEnum}"/>, whose enum's declared members are the
/// states (named like enum label values: snake_case, or <see cref="LabelValueAttribute"/>). Exposed as one sample
/// per state labelled with the family name, 1 for the current state and 0 for the others. Parameters of the
/// member are its labels, in order.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class StateSetAttribute : MetricAttribute
{
    /// <summary>Declares the metric with a name taken from the member name.</summary>
    public StateSetAttribute() : base(null) { }

    /// <summary>Declares the metric with the given name (the class prefix is added to it).</summary>
    /// <param name="name">The metric name, <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>.</param>
    public StateSetAttribute(string name) : base(name) { }
}
