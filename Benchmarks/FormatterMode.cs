using System;
using System.Diagnostics;
using System.Globalization;

namespace MetricsGen.Benchmarks;

/// <summary>
/// <c>Benchmarks formatter [COUNT] [SEED]</c>: the long run of the differential test of the shortest round-trip
/// double formatter (Runtime.Tests runs 3 million values on every build): COUNT random bit patterns and COUNT random
/// short decimals, each compared with <c>double.ToString("R", InvariantCulture)</c>, then the time per value of both.
/// </summary>
internal static class FormatterMode
{
    // The two doubles whose runtime text does not parse back to them (see ShortestDoubleTests).
    private static readonly long[] RuntimeDoesNotRoundTrip = { 0x3E60000000000000, 0x0410000000000000 };

    public static int Run(string[] args)
    {
        long count = args.Length > 1 ? long.Parse(args[1], CultureInfo.InvariantCulture) : 100_000_000;
        int seed = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : Environment.TickCount;
        Console.WriteLine($"Comparing {count:N0} random bit patterns and {count:N0} random short decimals, seed {seed}");
        var random = new Random(seed);
        Span<char> expected = stackalloc char[64];
        Span<byte> actual = stackalloc byte[64];
        long mismatches = 0;
        var clock = Stopwatch.StartNew();
        for (long i = 0; i < 2 * count; i++)
        {
            double value;
            if (i % 2 == 0)
            {
                value = BitConverter.Int64BitsToDouble(random.NextInt64(long.MinValue, long.MaxValue));
            }
            else
            {
                // mantissa of 1-10 digits times a power of ten, then nudged by up to 2 ulps either way.
                long mantissa = random.NextInt64(1, 10_000_000_000L) / (long)Math.Pow(10, random.Next(0, 10));
                value = mantissa * Math.Pow(10, random.Next(-330, 310));
                for (int nudge = random.Next(-2, 3); nudge != 0; nudge -= Math.Sign(nudge))
                {
                    value = nudge > 0 ? Math.BitIncrement(value) : Math.BitDecrement(value);
                }
            }

            if (!double.IsFinite(value) || Array.IndexOf(RuntimeDoesNotRoundTrip, BitConverter.DoubleToInt64Bits(Math.Abs(value))) >= 0)
            {
                continue;
            }

            value.TryFormat(expected, out int expectedLength, "R", CultureInfo.InvariantCulture);
            int actualLength = ShortestDouble.Format(value, actual);
            if (!Same(expected.Slice(0, expectedLength), actual.Slice(0, actualLength)))
            {
                if (++mismatches <= 20)
                {
                    Console.WriteLine($"MISMATCH bits 0x{BitConverter.DoubleToInt64Bits(value):X16}: runtime {expected.Slice(0, expectedLength).ToString()}, ours {System.Text.Encoding.ASCII.GetString(actual.Slice(0, actualLength))}");
                }
            }

            if (i > 0 && i % 20_000_000 == 0)
            {
                Console.WriteLine($"  {i:N0} compared, {mismatches} mismatches, {clock.Elapsed.TotalSeconds:F0} s");
            }
        }

        Console.WriteLine($"{2 * count:N0} values compared in {clock.Elapsed.TotalSeconds:F1} s: {mismatches} mismatches");
        Timing(random);
        return mismatches == 0 ? 0 : 1;
    }

    private static bool Same(ReadOnlySpan<char> expected, ReadOnlySpan<byte> actual)
    {
        if (expected.Length != actual.Length)
        {
            return false;
        }

        for (int i = 0; i < expected.Length; i++)
        {
            if (expected[i] != actual[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Time per value of both formatters over the same 1,000,000 fractional values (latency-like, 0.001-100).</summary>
    private static void Timing(Random random)
    {
        double[] values = new double[1_000_000];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = random.NextDouble() * Math.Pow(10, random.Next(-3, 3));
        }

        Span<byte> bytes = stackalloc byte[64];
        long sink = 0;
        for (int round = 0; round < 3; round++)
        {
            var clock = Stopwatch.StartNew();
            foreach (double value in values)
            {
                value.TryFormat(bytes, out int written, "R", CultureInfo.InvariantCulture);
                sink += written;
            }

            double runtime = clock.Elapsed.TotalNanoseconds / values.Length;
            clock.Restart();
            foreach (double value in values)
            {
                sink += ShortestDouble.Format(value, bytes);
            }

            double ours = clock.Elapsed.TotalNanoseconds / values.Length;
            clock.Restart();
            foreach (double value in values)
            {
                ulong b = BitConverter.DoubleToUInt64Bits(value);
                ShortestDouble.Decimal((b & ((1UL << 52) - 1)) | (1UL << 52), (int)(b >> 52) - 1075, out ulong d, out int e);
                sink += (long)d + e;
            }

            Console.WriteLine($"  digits only {clock.Elapsed.TotalNanoseconds / values.Length:F1} ns/value");
            Console.WriteLine($"round {round}: double.TryFormat(\"R\") {runtime:F1} ns/value, ShortestDouble.Format {ours:F1} ns/value ({runtime / ours:F1}x) [{sink}]");
        }
    }
}
