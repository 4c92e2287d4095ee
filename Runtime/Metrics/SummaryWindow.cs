using System;

namespace MetricsGen;

/// <summary>The quantiles of a summary and the sliding window they are computed over.</summary>
internal sealed class SummaryWindow
{
    public const double DefaultMaxAgeSeconds = Shared.MetricDefaults.SummaryMaxAgeSeconds;
    public const int DefaultAgeBuckets = Shared.MetricDefaults.SummaryAgeBuckets;

    public static readonly SummaryWindow CountAndSumOnly = new(Array.Empty<double>(), DefaultMaxAgeSeconds, DefaultAgeBuckets);

    public SummaryWindow(double[] quantiles, double maxAgeSeconds, int ageBuckets)
    {
        Quantiles = quantiles;
        MaxAgeSeconds = maxAgeSeconds;
        AgeBuckets = ageBuckets;
    }

    /// <summary>Ascending, each in (0, 1); empty for a summary of count and sum only.</summary>
    public double[] Quantiles { get; }

    public double MaxAgeSeconds { get; }

    public int AgeBuckets { get; }

    public SummaryWindow Validate(string metric)
    {
        for (int i = 0; i < Quantiles.Length; i++)
        {
            double quantile = Quantiles[i];
            if (!(quantile > 0 && quantile < 1))
            {
                throw new ArgumentException($"Summary '{metric}' has the quantile {quantile}; quantiles must lie in (0, 1).", "quantiles");
            }

            if (i > 0 && quantile <= Quantiles[i - 1])
            {
                throw new ArgumentException($"Summary '{metric}' quantiles must be strictly ascending.", "quantiles");
            }
        }

        if (!(MaxAgeSeconds > 0) || double.IsInfinity(MaxAgeSeconds))
        {
            throw new ArgumentException($"Summary '{metric}' needs a positive, finite MaxAgeSeconds, not {MaxAgeSeconds}.", "maxAgeSeconds");
        }

        if (AgeBuckets < 1)
        {
            throw new ArgumentException($"Summary '{metric}' needs at least one age bucket, not {AgeBuckets}.", "ageBuckets");
        }

        return this;
    }
}
