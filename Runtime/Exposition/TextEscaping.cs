using System;
using System.Buffers;
using System.Globalization;
using System.Text;
using MetricsGen.Shared;

namespace MetricsGen;

/// <summary>UTF-8 encoding and number formatting of both text formats; the escaping rules are <see cref="ExpositionRules"/>.</summary>
internal static class TextEscaping
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>Appends a label value escaped by the shared rules (<c>\</c>, <c>"</c> and newline).</summary>
    public static void AppendLabelValue(ArrayBufferWriter<byte> output, string value) =>
        AppendUtf8(output, ExpositionRules.EscapeLabelValue(value).AsSpan());

    /// <summary>UTF-8 bytes of <paramref name="text"/>; a lone surrogate becomes U+FFFD, as in generated literals.</summary>
    public static byte[] Utf8(string text) => StrictUtf8.GetBytes(text);

    /// <summary>The number of UTF-8 bytes <see cref="EncodeUtf8"/> writes for <paramref name="text"/>.</summary>
    public static int Utf8ByteCount(string text) => StrictUtf8.GetByteCount(text);

    /// <summary>Encodes <paramref name="text"/> as UTF-8 into <paramref name="destination"/>; returns the bytes written.</summary>
    public static int EncodeUtf8(ReadOnlySpan<char> text, Span<byte> destination) => StrictUtf8.GetBytes(text, destination);

    public static void AppendUtf8(ArrayBufferWriter<byte> output, ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return;
        }

        // Lone surrogates become U+FFFD rather than corrupting the exposition.
        int written = StrictUtf8.GetBytes(text, output.GetSpan(StrictUtf8.GetMaxByteCount(text.Length)));
        output.Advance(written);
    }

    /// <summary>The longest text <see cref="FormatValue"/> writes.</summary>
    public const int MaxValueLength = 32;

    /// <summary>
    /// Writes a sample value: integral values below 1e15 as plain integers, others in shortest
    /// round-trip form, and <c>NaN</c>, <c>+Inf</c>, <c>-Inf</c>; always culture-invariant.
    /// </summary>
    public static int FormatValue(double value, Span<byte> destination)
    {
        if (double.IsNaN(value))
        {
            "NaN"u8.CopyTo(destination);
            return 3;
        }

        if (double.IsInfinity(value))
        {
            (value > 0 ? "+Inf"u8 : "-Inf"u8).CopyTo(destination);
            return 4;
        }

        int written;
        if (value == Math.Floor(value) && Math.Abs(value) < 1e15)
        {
            if (value == 0 && double.IsNegative(value))
            {
                "-0"u8.CopyTo(destination);
                return 2;
            }

            ((long)value).TryFormat(destination, out written, default, CultureInfo.InvariantCulture);
            return written;
        }

        // Same text as TryFormat("R", InvariantCulture), at a fraction of its cost (see ShortestDouble).
        return ShortestDouble.Format(value, destination);
    }

    /// <summary>
    /// Formats a bucket bound the way OpenMetrics wants <c>le</c> values: a float that always shows it is one
    /// (<c>1.0</c>, <c>0.25</c>, <c>1e-05</c>, <c>+Inf</c>).
    /// </summary>
    public static string FormatBound(double bound)
    {
        if (double.IsPositiveInfinity(bound))
        {
            return "+Inf";
        }

        if (double.IsNegativeInfinity(bound))
        {
            return "-Inf";
        }

        if (double.IsNaN(bound))
        {
            return "NaN";
        }

        string text = bound.ToString("R", CultureInfo.InvariantCulture);
        int exponent = text.IndexOf('E');
        if (exponent >= 0)
        {
            // 1E-05 -> 1e-05, 1E+16 -> 1e+16 (the exponent keeps at least two digits, as Go and Python print it).
            string mantissa = text.Substring(0, exponent);
            string power = text.Substring(exponent + 1);
            char sign = power[0] == '-' ? '-' : '+';
            string digits = power.TrimStart('+', '-');
            return mantissa + "e" + sign + (digits.Length < 2 ? "0" + digits : digits);
        }

        return text.Contains('.') ? text : text + ".0";
    }
}
