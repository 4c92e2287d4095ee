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

    /// <summary>A C# string literal written straight into the source (see <see cref="SourceWriter.LineHandler"/>).</summary>
    public static Literal Quote(string value) => new(value, string.Empty);

    /// <summary>A UTF-8 literal written straight into the source.</summary>
    public static Literal QuoteUtf8(string value) => new(value, "u8");

    /// <summary>A double literal that round-trips.</summary>
    public static string Double(double value)
    {
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        return LooksIntegral(text) ? text + ".0" : text;
    }


    /// <summary>Appends <see cref="Double"/> of <paramref name="value"/> without concatenating the <c>.0</c>.</summary>
    public static StringBuilder AppendDouble(StringBuilder builder, double value)
    {
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        builder.Append(text);
        return LooksIntegral(text) ? builder.Append(".0") : builder;
    }

    // "3" would read as an int in C#; "3.5" and "1E+20" are doubles already.
    private static bool LooksIntegral(string text) => !(text.Contains(".") || text.Contains("E"));

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

    private static string Escaped(string value, string suffix) =>
        AppendQuoted(new StringBuilder(value.Length + 2 + suffix.Length), value, suffix).ToString();

    /// <summary>Appends <paramref name="value"/> as a literal, quoted and escaped as <see cref="String"/> does.</summary>
    public static StringBuilder AppendQuoted(StringBuilder builder, string value, string suffix) =>
        AppendEscaped(builder.Append('"'), value).Append('"').Append(suffix);

    /// <summary>
    /// Appends <paramref name="value"/> escaped as inside a literal. A literal may be written in pieces when every
    /// boundary is next to an ASCII character (a surrogate is checked against its neighbours in the same piece).
    /// </summary>
    public static StringBuilder AppendEscaped(StringBuilder builder, string value)
    {
        if (!NeedsEscaping(value))
        {
            return builder.Append(value);
        }

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

        return builder;
    }

    /// <summary>
    /// A literal to write: emitted lines take it as a hole and escape it into the source without building the
    /// literal's string first (a metric's names, help and headers were a good part of what the emitter allocated).
    /// </summary>
    public readonly struct Literal
    {
        public Literal(string value, string suffix)
        {
            Value = value;
            Suffix = suffix;
        }

        public string Value { get; }

        public string Suffix { get; }

        public override string ToString() => AppendQuoted(new StringBuilder(Value.Length + 2 + Suffix.Length), Value, Suffix).ToString();
    }
}
