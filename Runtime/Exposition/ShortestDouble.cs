using System;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace MetricsGen;

/// <summary>
/// The shortest decimal that reads back as the same <see cref="double"/>, laid out exactly as
/// <c>double.ToString("R", CultureInfo.InvariantCulture)</c> prints it, written as UTF-8 without allocating.
/// </summary>
/// <remarks>
/// The digits come from Raffaello Giulietti's Schubfach algorithm ("The Schubfach way to render doubles", 2020),
/// implemented here from the paper: scale the value and both ends of its rounding interval by a 126-bit
/// over-approximation of a power of ten (rounded to odd, which keeps every comparison exact), then pick the one
/// candidate with a digit fewer that lies in the interval, or else the nearer of the two neighbours.
/// <c>double.TryFormat("R")</c> costs about 70 ns a value on the benchmark VM; this is the exposition's hot path for
/// every fractional value. The layout rules were read off the runtime (.NET 8 and 10 agree): scientific
/// notation when the decimal exponent is below -4 or above 16, an exponent of at least two digits with its sign.
/// Runtime.Tests proves the output identical to the runtime's on edge cases and millions of random doubles.
/// </remarks>
internal static partial class ShortestDouble
{
    /// <summary>The longest text <see cref="Format"/> writes: <c>-1.2345678901234567E-308</c>.</summary>
    public const int MaxLength = 24;

    private const int SignificandBits = 52;
    private const int MinBinaryExponent = -1074;

    // "00", "01", ... "99": two digits per division by 100.
    private static ReadOnlySpan<byte> DigitPairs =>
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"u8;

    /// <summary>Writes the finite <paramref name="value"/>; returns the number of bytes written.</summary>
    public static int Format(double value, Span<byte> destination)
    {
        ulong bits = BitConverter.DoubleToUInt64Bits(value);
        int at = 0;
        if ((long)bits < 0)
        {
            destination[0] = (byte)'-';
            at = 1;
        }

        int biased = (int)(bits >> SignificandBits) & 0x7FF;
        ulong fraction = bits & ((1UL << SignificandBits) - 1);
        if (biased == 0 && fraction == 0)
        {
            destination[at] = (byte)'0';
            return at + 1;
        }

        ulong c;
        int q;
        if (biased != 0)
        {
            c = fraction | (1UL << SignificandBits);
            q = biased - 1075;
        }
        else
        {
            c = fraction;
            q = MinBinaryExponent;
        }

        Decimal(c, q, out ulong digits, out int exponent);
        return at + Layout(digits, exponent, destination.Slice(at));
    }

    /// <summary>The shortest <paramref name="digits"/> x 10^<paramref name="exponent"/> that rounds to c x 2^q.</summary>
    internal static void Decimal(ulong c, int q, out ulong digits, out int exponent)
    {
        // An odd significand's interval excludes its ends: a decimal exactly halfway would round to the even neighbour.
        ulong open = c & 1;

        ulong cb = c << 2;
        ulong cbRight = cb + 2;

        ulong cbLeft;
        int k;

        // At a power of two (except the smallest normal) the gap below is half the gap above.
        if (c == 1UL << SignificandBits && q > MinBinaryExponent)
        {
            cbLeft = cb - 1;
            k = FloorLog10ThreeQuartersPow2(q);
        }
        else
        {
            cbLeft = cb - 2;
            k = FloorLog10Pow2(q);
        }

        int h = q + FloorLog2Pow10(-k) + 2;
        int index = 2 * (-k - MinPow10);
        ulong gHigh = Pow10Table[index];
        ulong gLow = Pow10Table[index + 1];

        ulong vb = MultiplyRoundToOdd(gHigh, gLow, cb << h);
        ulong vbLeft = MultiplyRoundToOdd(gHigh, gLow, cbLeft << h);
        ulong vbRight = MultiplyRoundToOdd(gHigh, gLow, cbRight << h);
        if (k > 0 && k < Pow5.Length)
        {
            // 10^-k has no exact 126-bit form, and an end of the interval can be exactly a candidate (an integer
            // times 4) when 5^k divides it; the over-approximation would then put the end just past the candidate
            // and wrongly exclude it. Those ends are computed exactly. (For k <= 0 the table's power is exact or
            // the end can never be an integer.)
            vbLeft = ExactIfIntegral(cbLeft, q, k, vbLeft);
            vbRight = ExactIfIntegral(cbRight, q, k, vbRight);
        }

        // vb, vbLeft and vbRight are 4 x 10^-k x (value, lower end, upper end), rounded to odd.
        ulong s = vb >> 2;
        if (s >= 10)
        {
            // One digit fewer: at most one multiple of ten lies in the interval, since it is narrower than 10^(k+1).
            ulong lower10 = s / 10 * 10;
            ulong upper10 = lower10 + 10;
            bool lowerIn = vbLeft + open <= lower10 << 2;
            bool upperIn = (upper10 << 2) + open <= vbRight;
            if (lowerIn != upperIn)
            {
                digits = lowerIn ? lower10 : upper10;
                exponent = k;
                return;
            }
        }

        ulong t = s + 1;
        bool sIn = vbLeft + open <= s << 2;
        bool tIn = (t << 2) + open <= vbRight;
        if (sIn != tIn)
        {
            digits = sIn ? s : t;
        }
        else
        {
            // Both in: the nearer one, ties to even digits.
            long distance = (long)(vb - ((s + t) << 1));
            digits = distance < 0 || (distance == 0 && (s & 1) == 0) ? s : t;
        }

        exponent = k;
    }

    // 5^0 .. 5^27: the powers a 56-bit interval end can be a multiple of.
    private static ReadOnlySpan<ulong> Pow5 =>
    [
        1, 5, 25, 125, 625, 3125, 15625, 78125, 390625, 1953125, 9765625, 48828125, 244140625, 1220703125,
        6103515625, 30517578125, 152587890625, 762939453125, 3814697265625, 19073486328125, 95367431640625,
        476837158203125, 2384185791015625, 11920928955078125, 59604644775390625, 298023223876953125,
        1490116119384765625, 7450580596923828125,
    ];

    /// <summary>cb x 2^q / 10^k when that is an integer (5^k divides cb; q >= k here), else <paramref name="approximation"/>.</summary>
    private static ulong ExactIfIntegral(ulong cb, int q, int k, ulong approximation)
    {
        ulong power = Pow5[k];
        ulong quotient = cb / power;
        return quotient * power == cb ? quotient << (q - k) : approximation;
    }

    /// <summary>floor(g x cp / 2^127), with its lowest bit set when the division is inexact (round to odd).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MultiplyRoundToOdd(ulong gHigh, ulong gLow, ulong cp)
    {
        ulong lowHigh = Math.BigMul(gLow, cp, out ulong lowLow);
        ulong highHigh = Math.BigMul(gHigh, cp, out ulong highLow);
        ulong middle = highLow + lowHigh;
        ulong top = highHigh + (middle < highLow ? 1UL : 0UL);
        ulong result = (top << 1) | (middle >> 63);
        bool inexact = ((middle << 1) | lowLow) != 0;
        return result | (inexact ? 1UL : 0UL);
    }

    // Fixed-point forms of floor(q log10 2), floor(log10(3/4 x 2^q)) and floor(e log2 10); a test checks them
    // exactly over every exponent a double has.
    internal static int FloorLog10Pow2(int q) => (q * 78913) >> 18;

    internal static int FloorLog10ThreeQuartersPow2(int q) => ((q * 1262611) - 524031) >> 22;

    internal static int FloorLog2Pow10(int e) => (e * 1741647) >> 19;

    private static int Layout(ulong digits, int exponent, Span<byte> destination)
    {
        // The candidates may end in zeros (a multiple of ten was chosen, or the value is a round decimal).
        int count = DigitCount(digits);
        while (digits % 10 == 0)
        {
            digits /= 10;
            exponent++;
            count--;
        }

        int scientific = exponent + count - 1;
        if (scientific < -4 || scientific > 16)
        {
            // d.dddE+XX: the digits from index 1, then the first moves in front of the point.
            WriteDigits(digits, destination, 1 + count);
            destination[0] = destination[1];
            int at = 1;
            if (count > 1)
            {
                destination[1] = (byte)'.';
                at = count + 1;
            }

            destination[at++] = (byte)'E';
            int power = scientific;
            destination[at++] = power < 0 ? (byte)'-' : (byte)'+';
            if (power < 0)
            {
                power = -power;
            }

            if (power >= 100)
            {
                destination[at++] = (byte)('0' + (power / 100));
                power %= 100;
            }

            destination[at] = DigitPairs[power * 2];
            destination[at + 1] = DigitPairs[(power * 2) + 1];
            return at + 2;
        }

        if (exponent >= 0)
        {
            // An integer: the digits and then zeros.
            WriteDigits(digits, destination, count);
            for (int i = 0; i < exponent; i++)
            {
                destination[count + i] = (byte)'0';
            }

            return count + exponent;
        }

        if (scientific >= 0)
        {
            int integerDigits = scientific + 1;
            if (integerDigits < 8 && destination.Length >= Math.Max(count + 1, 9))
            {
                return WriteWithShortIntegerPart(digits, count, integerDigits, destination);
            }

            // ddd.ddd: the digits from index 1, then the integer part moves one to the left.
            WriteDigits(digits, destination, 1 + count);
            for (int i = 0; i < integerDigits; i++)
            {
                destination[i] = destination[i + 1];
            }

            destination[integerDigits] = (byte)'.';
            return count + 1;
        }

        // 0.000ddd
        int zeros = -scientific - 1;
        destination[0] = (byte)'0';
        destination[1] = (byte)'.';
        for (int i = 0; i < zeros; i++)
        {
            destination[2 + i] = (byte)'0';
        }

        WriteDigits(digits, destination, 2 + zeros + count);
        return 2 + zeros + count;
    }

    /// <summary>
    /// ddd.ddd with 1-7 integer digits (the common case), into a destination of at least max(count + 1, 9) bytes.
    /// </summary>
    /// <remarks>
    /// The fraction's 8-digit chunks go straight to their places (one position on from the digit's index); the first
    /// eight digits are then put together in a register, the point inserted there, and stored over the front in one
    /// 8-byte word. Nothing just stored is read back: a load spanning several earlier stores cannot take their data
    /// from the store buffer and waits for them to reach the cache, which had cost a fifth of the layout's time.
    /// </remarks>
    private static int WriteWithShortIntegerPart(ulong digits, int count, int integerDigits, Span<byte> destination)
    {
        int end = count + 1;
        ulong nextChunk = 0;
        while (digits >= 100_000_000)
        {
            ulong quotient = digits / 100_000_000;
            uint chunk = (uint)(digits - (quotient * 100_000_000));
            digits = quotient;
            end -= 8;
            nextChunk = EightDigits(chunk);
            BinaryPrimitives.WriteUInt64LittleEndian(destination.Slice(end), nextChunk);
        }

        // The 1-8 leading digits left, in the low bytes; then the first eight digits of the number.
        int leading = end - 1;
        ulong first = EightDigits((uint)digits) >> ((8 - leading) * 8);
        ulong firstEight = leading == 8 ? first : first | (nextChunk << (leading * 8));

        // Integer digits in place, the point after them, and each later byte the digit one before it.
        int shift = integerDigits * 8;
        ulong integerMask = (1UL << shift) - 1;
        ulong throughPoint = (integerMask << 8) | 0xFF;
        ulong merged = (firstEight & integerMask) | ((ulong)'.' << shift) | ((firstEight << 8) & ~throughPoint);
        BinaryPrimitives.WriteUInt64LittleEndian(destination, merged);
        if (leading == 8)
        {
            // The eighth digit lands at index 8, beyond the word; no chunk was stored there.
            destination[8] = (byte)(first >> 56);
        }

        return count + 1;
    }

    private static ReadOnlySpan<ulong> PowersOfTen =>
    [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000,
        100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000, 1_000_000_000_000_000,
        10_000_000_000_000_000, 100_000_000_000_000_000, 1_000_000_000_000_000_000, 10_000_000_000_000_000_000,
    ];

    /// <summary>The number of decimal digits of <paramref name="value"/> (at least 1), from its bit length.</summary>
    private static int DigitCount(ulong value)
    {
        // log10(2) ~ 1233 / 4096: a first guess from the bit length, corrected by one comparison.
        int guess = ((BitOperations.Log2(value | 1) + 1) * 1233) >> 12;
        return guess + (value >= PowersOfTen[guess] ? 1 : 0);
    }

    /// <summary>Writes the digits of <paramref name="value"/> so that they end before <paramref name="end"/>; returns where they start.</summary>
    private static int WriteDigits(ulong value, Span<byte> destination, int end)
    {
        int at = end;
        ReadOnlySpan<byte> pairs = DigitPairs;

        // Eight digits at a time, converted in one register and stored at once.
        while (value >= 100_000_000)
        {
            ulong quotient = value / 100_000_000;
            uint chunk = (uint)(value - (quotient * 100_000_000));
            value = quotient;
            at -= 8;
            BinaryPrimitives.WriteUInt64LittleEndian(destination.Slice(at, 8), EightDigits(chunk));
        }

        uint rest = (uint)value;
        while (rest >= 100)
        {
            uint pair = rest % 100;
            rest /= 100;
            at -= 2;
            destination[at] = pairs[(int)pair * 2];
            destination[at + 1] = pairs[((int)pair * 2) + 1];
        }

        if (rest >= 10)
        {
            at -= 2;
            destination[at] = pairs[(int)rest * 2];
            destination[at + 1] = pairs[((int)rest * 2) + 1];
        }
        else
        {
            at--;
            destination[at] = (byte)('0' + rest);
        }

        return at;
    }

    /// <summary>The eight ASCII digits of <paramref name="value"/> (below 10^8), the first in the lowest byte.</summary>
    /// <remarks>
    /// Divides in parallel lanes of one ulong: into two 4-digit halves (32-bit lanes), each into two pairs by
    /// multiplying with 5243 / 2^19 (exact division by 100 below 43,699), each pair into tens and ones by
    /// 103 / 2^10 (exact division by 10 below 179). No lane's product reaches the next lane's bits.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong EightDigits(uint value)
    {
        uint high = value / 10_000;
        ulong halves = high | ((ulong)(value - (high * 10_000)) << 32);
        ulong hundreds = ((halves * 5243) >> 19) & 0x0000_007F_0000_007FUL;
        ulong pairs = hundreds | ((halves - (hundreds * 100)) << 16);
        ulong tens = ((pairs * 103) >> 10) & 0x000F_000F_000F_000FUL;
        ulong digits = tens | ((pairs - (tens * 10)) << 8);
        return digits + 0x3030_3030_3030_3030UL;
    }
}
