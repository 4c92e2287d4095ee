using System;
using System.Threading;

namespace MetricsGen;

internal static class AtomicDouble
{
    public static double Add(ref double target, double amount)
    {
        double current = Volatile.Read(ref target);
        while (true)
        {
            double updated = current + amount;
            double seen = Interlocked.CompareExchange(ref target, updated, current);
            // Compare bit patterns: NaN != NaN would otherwise loop forever.
            if (BitConverter.DoubleToInt64Bits(seen) == BitConverter.DoubleToInt64Bits(current))
            {
                return updated;
            }

            current = seen;
        }
    }
}
