using System.Globalization;
using System.Text;

namespace MetricsGen.Generator;

/// <summary>Turns values into C# literals and exposition text, invariant culture throughout.</summary>
internal static class Literals
{
    /// <summary>A C# string literal; printable non-ASCII stays readable, control characters are escaped.</summary>
    public static string String(string value) => NeedsEscaping(value) ? Escaped(value, string.Empty) : "\"" + value + "\"";

    /// <summary>A UTF-8 literal (<c>"..."u8</c>).</summary>
    public static string Utf8(string value) => NeedsEscaping(value) ? Escaped(value, "u8") : "\"" + value + "\"u8";

    /// <summary>A double literal that round-trips.</summary>
    public static string Double(double value)
    {
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains(".") || text.Contains("E") ? text : text + ".0";
    }

    // Most names and help texts are plain ASCII: they are written as they are, without a builder.
    private static bool NeedsEscaping(string value)
    {
        foreach (char c in value)
        {
            if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\')
            {
                return true;
            }
        }

        return false;
    }

    private static string Escaped(string value, string suffix)
    {
        var builder = new StringBuilder(value.Length + 2 + suffix.Length).Append('"');
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (char.IsSurrogate(c) && !(char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) && !(char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(value[i - 1])))
                    {
                        // A lone surrogate cannot be UTF-8 encoded; write what the runtime would.
                        builder.Append("\\uFFFD");
                    }
                    else if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || c == '\u2028' || c == '\u2029' || c == '\u0085')
                    {
                        builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append('"').Append(suffix).ToString();
    }
}
