namespace MetricsGen.Shared;

/// <summary>
/// The defaults of every metric option, compiled into both the runtime and the source generator: the attributes'
/// property initializers, the generator (which leaves an option at its default out of generated code) and the
/// runtime's descriptors all read them here, so a default is stated once.
/// </summary>
/// <remarks>Targets netstandard2.0 as well as net8.0+: constants only, and one array.</remarks>
internal static class MetricDefaults
{
    /// <summary>The series limit of a family with a string or integral label (<c>MetricRegistry.DefaultMaxSeries</c>).</summary>
    public const int MaxSeries = 2000;

    /// <summary>The length of a summary's sliding window, in seconds.</summary>
    public const double SummaryMaxAgeSeconds = 600;

    /// <summary>How many buckets a summary's window rotates through.</summary>
    public const int SummaryAgeBuckets = 5;

    /// <summary>The largest growth from one native histogram bucket boundary to the next (schema 3).</summary>
    public const double NativeBucketFactor = 1.1;

    /// <summary>Observations with a magnitude up to this (2^-128) count into a native histogram's zero bucket.</summary>
    public const double NativeZeroThreshold = 2.938735877055719E-39;

    /// <summary>At most this many native buckets are exposed; beyond, neighbouring buckets are merged.</summary>
    public const int NativeMaxBuckets = 160;

    /// <summary>The default histogram buckets of the Prometheus clients (.005 … 10; <c>+Inf</c> is implicit).</summary>
    /// <remarks>A copy per call: callers keep it, and no caller may change what another sees.</remarks>
    public static double[] Buckets() => new[] { 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0 };
}
