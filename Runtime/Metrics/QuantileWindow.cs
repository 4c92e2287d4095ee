using System;
using System.Collections.Generic;

namespace MetricsGen;

// TEMPORARY stand-in with the agreed signature (exact, unbounded); replaced by the CKMS window from the
// summary-estimator branch before this lands.
internal sealed class QuantileWindow
{
    private readonly double[] _quantiles;
    private readonly List<double> _values = new();

    public QuantileWindow(double[] quantiles, TimeSpan maxAge, int ageBuckets, long nowTimestamp) => _quantiles = quantiles;

    public void Observe(double value, long nowTimestamp)
    {
        lock (_values)
        {
            _values.Add(value);
        }
    }

    public void GetQuantiles(Span<double> destination, long nowTimestamp)
    {
        lock (_values)
        {
            _values.Sort();
            for (int i = 0; i < _quantiles.Length; i++)
            {
                destination[i] = _values.Count == 0 ? double.NaN : _values[(int)Math.Min(_values.Count - 1, _quantiles[i] * _values.Count)];
            }
        }
    }
}
