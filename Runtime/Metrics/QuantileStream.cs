using System;
using System.Diagnostics;
using System.Numerics;

namespace MetricsGen;

/// <summary>
/// The targeted quantiles of CKMS (Cormode, Korn, Muthukrishnan, Srivastava, ICDE 2005) for one fixed set of
/// quantiles. Each sample is (value, g, Δ): g is the rank distance to the previous sample, Δ the uncertainty of the
/// sample's rank, so the sample's true rank lies in [rmin, rmin + Δ] with rmin the sum of g up to it.
/// </summary>
/// <remarks>
/// Not thread-safe: <see cref="QuantileWindow"/> serializes every call. Values arrive in sorted batches and are merged
/// and compressed in one right-to-left pass, so the cost per batch is linear in the samples plus the batch.
/// </remarks>
internal sealed class QuantileStream
{
    // Merge output goes here first and is then copied into the stream's own array, so each stream only holds what
    // survives compression; one scratch per thread serves every stream that thread flushes.
    [ThreadStatic]
    private static Sample[]? t_scratch;

    private readonly QuantileTargets _targets;
    private Sample[] _samples;
    private int _count;
    private long _n;

    public QuantileStream(QuantileTargets targets)
    {
        _targets = targets;
        _samples = Array.Empty<Sample>();
    }

    /// <summary>Observations merged into the stream since its last reset.</summary>
    public long Count => _n;

    /// <summary>Samples held: what the memory of the stream is proportional to.</summary>
    public int SampleCount => _count;

    /// <summary>The first sample: the exact minimum, kept through compression (for tests).</summary>
    internal Sample First => _samples[0];

    /// <summary>The length of the sample array (it only grows while the sample count does).</summary>
    public int Capacity => _samples.Length;

    /// <summary>Forgets every observation; the arrays are kept for reuse.</summary>
    public void Reset()
    {
        _count = 0;
        _n = 0;
    }

    /// <summary>Merges a batch of values, sorted ascending, then compresses.</summary>
    public void Merge(ReadOnlySpan<double> sorted)
    {
        int m = sorted.Length;
        if (m == 0)
        {
            return;
        }

        long n = _n + m;
        int needed = _count + m;
        Sample[]? scratch = t_scratch;
        if (scratch is null || scratch.Length < needed)
        {
            // Grows with the largest stream the thread has flushed, so it stops growing once the streams do.
            scratch = new Sample[RoundUp(needed)];
            t_scratch = scratch;
        }

        Sample[] old = _samples;
        QuantileTargets targets = _targets;
        int i = _count - 1;
        int j = m - 1;
        int w = needed;

        // Δ a new value takes: the g + Δ - 1 of the old sample to its right (0 right of the old maximum). Its true rank
        // is below that sample's rmax, which makes the bound exact without evaluating the invariant.
        long insertDelta = 0;

        // The accumulator: the leftmost sample emitted so far, still absorbing the samples to its left.
        Sample cur;
        long right = 0; // sum of g of the samples already written, right of cur
        if (i >= 0 && old[i].Value >= sorted[j])
        {
            cur = old[i];
            insertDelta = cur.Width + cur.Delta - 1;
            i--;
        }
        else
        {
            cur = new Sample(sorted[j], 1, 0);
            j--;
        }

        while (i >= 0 || j >= 0)
        {
            Sample next;
            if (i >= 0 && (j < 0 || old[i].Value >= sorted[j]))
            {
                next = old[i];
                insertDelta = next.Width + next.Delta - 1;
                i--;
            }
            else
            {
                next = new Sample(sorted[j], 1, insertDelta);
                j--;
            }

            // CKMS compress, fused: next merges into cur when g_next + g_cur + Δ_cur ≤ f(r_next, n), where r_next is
            // the rank sum left of next. The minimum is never merged away (nor is the maximum, which only absorbs):
            // kept exact (g 1, Δ 0), it gives a new minimum Δ 0. Merged away, every new minimum would inherit the
            // Δ of a saturated first sample: a descending series kept 10x the samples (926 against 94 at 10^6).
            long rankLeft = n - right - cur.Width - next.Width;
            bool minimum = i < 0 && j < 0;
            if (!minimum && next.Width + cur.Width + cur.Delta <= targets.Invariant(rankLeft, n))
            {
                cur.Width += next.Width;
            }
            else
            {
                scratch[--w] = cur;
                right += cur.Width;
                cur = next;
            }
        }

        scratch[--w] = cur;
        Debug.Assert(right + cur.Width == n, "every observation is accounted for");

        int count = needed - w;
        if (_samples.Length < count)
        {
            _samples = new Sample[RoundUp(count)];
        }

        Array.Copy(scratch, w, _samples, 0, count);
        _count = count;
        _n = n;
    }

    /// <summary>
    /// The estimate of the quantile with the given index: the last sample whose rmax stays within (φ + ε)·n. The
    /// invariant keeps the next sample's g + Δ too small to reach from below (φ − ε)·n to past (φ + ε)·n, so that
    /// sample's rmin is at least (φ − ε)·n (up to rounding to whole ranks when ε·n &lt; 1). NaN when empty.
    /// </summary>
    public double Query(int target)
    {
        int count = _count;
        if (count == 0)
        {
            return double.NaN;
        }

        Sample[] samples = _samples;
        // While εn < 1 the band holds no whole rank; the nearest rank ⌈φn⌉ then answers as the usual definition of a
        // quantile does (the median of 1, 2, 3 is 2), and stays within the rounding the guarantee allows.
        double bound = Math.Max(_targets.UpperRank(target, _n), Math.Ceiling(_targets.Quantile(target) * _n));
        long rmin = 0;
        for (int k = 0; k < count; k++)
        {
            rmin += samples[k].Width;
            if (rmin + samples[k].Delta > bound)
            {
                return samples[k == 0 ? 0 : k - 1].Value;
            }
        }

        return samples[count - 1].Value;
    }

    // Powers of two: a stream refilled after rotation peaks at a slightly different count each time, and the headroom
    // keeps that from growing the array again.
    private static int RoundUp(int count) => (int)Math.Max(64, BitOperations.RoundUpToPowerOf2((uint)count));

    internal struct Sample
    {
        public double Value;
        public long Width;
        public long Delta;

        public Sample(double value, long width, long delta)
        {
            Value = value;
            Width = width;
            Delta = delta;
        }
    }
}

/// <summary>
/// The quantiles a stream targets, their rank errors and the CKMS invariant f(r, n) built from them; shared by the
/// streams of one window.
/// </summary>
internal sealed class QuantileTargets
{
    private readonly double[] _quantiles;
    private readonly double[] _errors;

    // Per target j, f_j(r, n) = 2ε'·n + max(Above_j·(r − φ_j·n), Below_j·(φ_j·n − r)): 2ε'·n at φ_j·n, looser away.
    // The paper's slopes (2ε/φ above, 2ε/(1 − φ) below) freeze f for a sample while every new value lands on one
    // side of it (ascending or descending drift); its samples then never merge again and the stream grows with n.
    // Half those slopes keep f growing by at least ε' per observation wherever the sample sits, as in Greenwald-Khanna.
    private readonly double[] _phi;
    private readonly double[] _base;
    private readonly double[] _above;
    private readonly double[] _below;

    public QuantileTargets(double[] quantiles)
    {
        Debug.Assert(quantiles.Length > 0, "at least one quantile");
        _quantiles = (double[])quantiles.Clone();
        _errors = new double[quantiles.Length];
        _phi = new double[quantiles.Length];
        _base = new double[quantiles.Length];
        _above = new double[quantiles.Length];
        _below = new double[quantiles.Length];
        for (int j = 0; j < quantiles.Length; j++)
        {
            double phi = quantiles[j];
            Debug.Assert(phi > 0 && phi < 1 && (j == 0 || phi > quantiles[j - 1]), "quantiles ascending in (0, 1)");
            double error = ErrorFor(phi);
            _errors[j] = error;

            // The invariant runs on a slightly smaller ε' = ε / (1 + ε/(2(1 − φ))): a gap that starts below (φ − ε)·n
            // may span f ≤ 2ε'·n + ε'/(1 − φ)·(distance below φ·n), which with ε' stays short of (φ + ε)·n, so the
            // query's answer always lies in the band (see Query).
            double invariantError = error / (1 + (error / (2 * (1 - phi))));
            _phi[j] = phi;
            _base[j] = 2 * invariantError;
            _above[j] = invariantError / phi;
            _below[j] = invariantError / (1 - phi);
        }
    }

    public int Length => _quantiles.Length;

    /// <summary>The rank error targeted for a quantile: 1 %, tighter towards the tails (0.99 → 0.1 %).</summary>
    public static double ErrorFor(double quantile) => Math.Min(0.01, Math.Min(quantile / 10, (1 - quantile) / 10));

    public double Quantile(int target) => _quantiles[target];

    public double Error(int target) => _errors[target];

    /// <summary>The largest rank the answer for a target may have: (φ + ε)·n.</summary>
    public double UpperRank(int target, long n) => (_quantiles[target] + _errors[target]) * n;

    /// <summary>f(r, n): the most g + Δ a sample at rank r may span so every target keeps its error.</summary>
    public double Invariant(long rank, long n)
    {
        double r = rank;
        double size = n;
        double[] phi = _phi;
        double[] baseline = _base;
        double[] above = _above;
        double[] below = _below;
        double f = double.PositiveInfinity;
        for (int j = 0; j < phi.Length; j++)
        {
            double distance = r - (phi[j] * size);
            f = Math.Min(f, (baseline[j] * size) + Math.Max(above[j] * distance, -below[j] * distance));
        }

        return f;
    }
}
