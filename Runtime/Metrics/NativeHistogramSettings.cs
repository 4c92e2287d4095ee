using System;

namespace MetricsGen;

/// <summary>How a histogram keeps native (sparse exponential) buckets.</summary>
internal sealed class NativeHistogramSettings
{
    /// <summary>client_golang's default growth factor: schema 3, about 9 % wide buckets.</summary>
    public const double DefaultBucketFactor = Shared.MetricDefaults.NativeBucketFactor;

    /// <summary>2^−128, client_golang's default zero threshold.</summary>
    public const double DefaultZeroThreshold = Shared.MetricDefaults.NativeZeroThreshold;

    public const int DefaultMaxBuckets = Shared.MetricDefaults.NativeMaxBuckets;

    public NativeHistogramSettings(double bucketFactor, double zeroThreshold, int maxBuckets)
    {
        BucketFactor = bucketFactor;
        ZeroThreshold = zeroThreshold;
        MaxBuckets = maxBuckets;
    }

    public double BucketFactor { get; }

    public double ZeroThreshold { get; }

    public int MaxBuckets { get; }

    public int Schema { get; private set; }

    public NativeHistogramSettings Validate(string metric)
    {
        if (!(BucketFactor > 1) || double.IsInfinity(BucketFactor))
        {
            throw new ArgumentException($"Native histogram '{metric}' needs a bucket factor above 1, not {BucketFactor}.", "nativeBucketFactor");
        }

        if (!(ZeroThreshold >= 0) || double.IsInfinity(ZeroThreshold))
        {
            throw new ArgumentException($"Native histogram '{metric}' needs a finite zero threshold of 0 or more, not {ZeroThreshold}.", "nativeZeroThreshold");
        }

        if (MaxBuckets < 1)
        {
            throw new ArgumentException($"Native histogram '{metric}' needs at least one bucket, not {MaxBuckets}.", "nativeMaxBuckets");
        }

        Schema = NativeBuckets.SchemaFor(BucketFactor);
        return this;
    }
}
