using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text;
using MetricsGen.Shared;

namespace MetricsGen;

/// <summary>
/// What a metric family is: name, type, help, unit and (for histograms) buckets, with its exposition
/// header lines encoded once.
/// </summary>
public sealed class MetricDescriptor
{
    /// <summary>The default histogram buckets of the Prometheus clients (.005 … 10; <c>+Inf</c> is implicit).</summary>
    public static IReadOnlyList<double> DefaultBuckets { get; } = MetricDefaults.Buckets();

    private readonly double[] _buckets;

    /// <summary>Creates a descriptor; the header lines are encoded from the arguments.</summary>
    /// <param name="name">The exposed name; a counter's name must end in <c>_total</c>.</param>
    /// <param name="type">The metric type.</param>
    /// <param name="help">The help text.</param>
    /// <param name="unit">Optional OpenMetrics unit; <paramref name="name"/> must end with <c>_</c> and it.</param>
    /// <param name="buckets">Histogram bucket upper bounds, strictly ascending and finite; null for the defaults.</param>
    public MetricDescriptor(string name, MetricType type, string help, string? unit = null, IReadOnlyList<double>? buckets = null)
        : this(name, type, help, unit, buckets, window: null)
    {
    }

    /// <summary>Creates a descriptor with the options of generated metrics (see <see cref="CompilerServices.GeneratedDescriptor"/>).</summary>
    internal MetricDescriptor(
        string name,
        MetricType type,
        string help,
        string? unit,
        IReadOnlyList<double>? buckets,
        SummaryWindow? window,
        IReadOnlyList<string>? states = null,
        bool exemplars = false,
        NativeHistogramSettings? native = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(help);
        if (!ExpositionRules.IsValidMetricName(name))
        {
            throw new ArgumentException($"'{name}' is not a valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*).", nameof(name));
        }

        if (type == MetricType.Counter && !name.EndsWith(ExpositionRules.CounterSuffix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Counter '{name}' must be named with a '{ExpositionRules.CounterSuffix}' suffix.", nameof(name));
        }

        string typeName = TypeNameOf(type);
        if (unit is not null && !ExpositionRules.UnitMatches(name, typeName, unit))
        {
            throw new ArgumentException($"Metric '{name}' must end with its unit '_{unit}' (a counter before '_total').", nameof(unit));
        }

        if (type == MetricType.Info && !name.EndsWith(ExpositionRules.InfoSuffix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Info metric '{name}' must be named with an '{ExpositionRules.InfoSuffix}' suffix.", nameof(name));
        }

        if (exemplars && type is not (MetricType.Counter or MetricType.Histogram))
        {
            throw new ArgumentException($"Metric '{name}' is a {type}; only counters and histograms carry exemplars.", nameof(exemplars));
        }

        Name = name;
        Type = type;
        Exemplars = exemplars;
        Window = type == MetricType.Summary ? (window ?? SummaryWindow.CountAndSumOnly).Validate(name) : null;
        States = type == MetricType.StateSet ? ValidateStates(name, states) : Array.Empty<string>();
        Help = help;
        Unit = unit;
        OpenMetricsName = ExpositionRules.FamilyName(name, typeName);
        Native = type == MetricType.Histogram ? native?.Validate(name) : null;

        // A native histogram without explicit buckets keeps no classic ones (its text form is count, sum and +Inf).
        _buckets = type != MetricType.Histogram ? Array.Empty<double>()
            : Native is not null && buckets is null ? Array.Empty<double>()
            : ValidateBuckets(name, buckets ?? DefaultBuckets);

        NameUtf8 = Encoding.UTF8.GetBytes(name);
        if (type == MetricType.Histogram)
        {
            BucketNameUtf8 = Encoding.UTF8.GetBytes(name + "_bucket");
            CountNameUtf8 = Encoding.UTF8.GetBytes(name + "_count");
            SumNameUtf8 = Encoding.UTF8.GetBytes(name + "_sum");
            BucketLabels = new byte[_buckets.Length + 1][];
            for (int i = 0; i <= _buckets.Length; i++)
            {
                double bound = i < _buckets.Length ? _buckets[i] : double.PositiveInfinity;
                BucketLabels[i] = Encoding.UTF8.GetBytes("le=\"" + TextEscaping.FormatBound(bound) + "\"");
            }
        }
        else if (type == MetricType.Summary)
        {
            BucketNameUtf8 = Array.Empty<byte>();
            CountNameUtf8 = Encoding.UTF8.GetBytes(name + "_count");
            SumNameUtf8 = Encoding.UTF8.GetBytes(name + "_sum");
            BucketLabels = new byte[Window!.Quantiles.Length][];
            for (int i = 0; i < BucketLabels.Length; i++)
            {
                BucketLabels[i] = Encoding.UTF8.GetBytes(ExpositionRules.QuantileLabel + "=\"" + TextEscaping.FormatBound(Window.Quantiles[i]) + "\"");
            }
        }
        else if (type == MetricType.StateSet)
        {
            // One label per state, named after the family: jobs_state="running".
            BucketNameUtf8 = CountNameUtf8 = SumNameUtf8 = Array.Empty<byte>();
            BucketLabels = new byte[States.Count][];
            for (int i = 0; i < BucketLabels.Length; i++)
            {
                BucketLabels[i] = TextEscaping.Utf8(name + "=\"" + ExpositionRules.EscapeLabelValue(States[i]) + "\"");
            }
        }
        else
        {
            BucketNameUtf8 = CountNameUtf8 = SumNameUtf8 = Array.Empty<byte>();
            BucketLabels = Array.Empty<byte[]>();
        }

        CreatedNameUtf8 = type is MetricType.Counter or MetricType.Histogram or MetricType.Summary
            ? Encoding.UTF8.GetBytes(OpenMetricsName + "_created")
            : Array.Empty<byte>();

        // Rendered here, once per process, rather than as literals in generated code: the help text then appears
        // once in the user's build, and the header rule lives only in ExpositionRules.
        TextHeader = EncodeHeader(typeName, openMetrics: false);
        OpenMetricsHeader = EncodeHeader(typeName, openMetrics: true);
        ReservedNames = ExpositionRules.ReservedNames(name, typeName);
    }

    /// <summary>The exposed family name in the Prometheus text format (a counter's ends in <c>_total</c>).</summary>
    public string Name { get; }

    /// <summary>The family name in OpenMetrics (a counter's without <c>_total</c>).</summary>
    public string OpenMetricsName { get; }

    /// <summary>The metric type.</summary>
    public MetricType Type { get; }

    /// <summary>The help text, unescaped.</summary>
    public string Help { get; }

    /// <summary>The OpenMetrics unit, or null.</summary>
    public string? Unit { get; }

    /// <summary>Histogram bucket upper bounds without <c>+Inf</c>; empty for other types.</summary>
    public ReadOnlySpan<double> Buckets => _buckets;

    /// <summary>Summary quantiles (each in (0, 1), ascending); empty for other types and for count-and-sum summaries.</summary>
    public ReadOnlySpan<double> Quantiles => Window is null ? default : Window.Quantiles;

    /// <summary>The states of a state set, in declaration order; empty for other types.</summary>
    public IReadOnlyList<string> States { get; }

    /// <summary>Whether the series of this counter or histogram keep exemplars (OpenMetrics only).</summary>
    public bool Exemplars { get; }

    /// <summary>
    /// Every sample and family name this family may expose; a registry refuses a second family that shares one.
    /// </summary>
    public IReadOnlyList<string> ReservedNames { get; }

    // Shared by every series of the family; never written after construction.
    internal double[] BucketBounds => _buckets;

    internal SummaryWindow? Window { get; }

    internal NativeHistogramSettings? Native { get; }

    internal byte[] NameUtf8 { get; }
    internal byte[] CreatedNameUtf8 { get; }
    internal byte[] BucketNameUtf8 { get; }
    internal byte[] CountNameUtf8 { get; }
    internal byte[] SumNameUtf8 { get; }
    internal byte[][] BucketLabels { get; }
    internal byte[] TextHeader { get; }
    internal byte[] OpenMetricsHeader { get; }

    internal bool Matches(IReadOnlySet<string> names)
    {
        foreach (string reserved in ReservedNames)
        {
            if (names.Contains(reserved))
            {
                return true;
            }
        }

        return false;
    }

    private byte[] EncodeHeader(string typeName, bool openMetrics) =>
        TextEscaping.Utf8(ExpositionRules.Header(Name, typeName, Help, Unit, openMetrics));

    private static string TypeNameOf(MetricType type) => type switch
    {
        MetricType.Counter => "counter",
        MetricType.Gauge => "gauge",
        MetricType.Histogram => "histogram",
        MetricType.Summary => "summary",
        MetricType.Info => "info",
        MetricType.StateSet => "stateset",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a metric type."),
    };

    private static string[] ValidateStates(string name, IReadOnlyList<string>? states)
    {
        if (states is null || states.Count == 0)
        {
            throw new ArgumentException($"State set '{name}' needs at least one state.", nameof(states));
        }

        var copy = new string[states.Count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < copy.Length; i++)
        {
            string state = states[i] ?? throw new ArgumentException($"State set '{name}' has a null state.", nameof(states));
            if (!seen.Add(state))
            {
                throw new ArgumentException($"State set '{name}' names the state '{state}' twice.", nameof(states));
            }

            copy[i] = state;
        }

        return copy;
    }

    private static double[] ValidateBuckets(string name, IReadOnlyList<double> buckets)
    {
        if (buckets.Count == 0)
        {
            throw new ArgumentException($"Histogram '{name}' needs at least one bucket.", nameof(buckets));
        }

        var copy = new double[buckets.Count];
        for (int i = 0; i < copy.Length; i++)
        {
            double bound = buckets[i];
            if (!double.IsFinite(bound))
            {
                throw new ArgumentException($"Histogram '{name}' has a bucket bound that is not finite; '+Inf' is implicit.", nameof(buckets));
            }

            if (i > 0 && bound <= copy[i - 1])
            {
                throw new ArgumentException($"Histogram '{name}' buckets must be strictly ascending.", nameof(buckets));
            }

            copy[i] = bound;
        }

        return copy;
    }
}
