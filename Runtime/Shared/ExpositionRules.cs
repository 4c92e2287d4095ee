using System;
using System.Text;

namespace MetricsGen.Shared;

/// <summary>
/// The naming and text rules of the exposition formats, compiled into both the runtime and the source generator
/// (the generator checks declarations with them; the runtime validates descriptors and encodes their headers
/// with the same code), so the two can never disagree.
/// </summary>
/// <remarks>Targets netstandard2.0 as well as net8.0+: strings and loops only.</remarks>
internal static class ExpositionRules
{
    /// <summary>The suffix every counter's sample name ends with.</summary>
    public const string CounterSuffix = "_total";

    /// <summary>The label that carries a histogram bucket's upper bound.</summary>
    public const string BucketBoundLabel = "le";

    /// <summary>The label that carries a summary quantile; reserved on every metric.</summary>
    public const string QuantileLabel = "quantile";

    /// <summary>True when <paramref name="name"/> matches <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>.</summary>
    public static bool IsValidMetricName(string? name) => IsValidName(name, allowColon: true);

    /// <summary>True when <paramref name="name"/> matches <c>[a-zA-Z_][a-zA-Z0-9_]*</c> and does not start with <c>__</c>.</summary>
    public static bool IsValidLabelName(string? name) =>
        IsValidName(name, allowColon: false) && !name!.StartsWith("__", StringComparison.Ordinal);

    /// <summary>The suffix of an info metric's one sample.</summary>
    public const string InfoSuffix = "_info";

    /// <summary>
    /// The OpenMetrics family name: a counter's sample name without <c>_total</c>, an info metric's without
    /// <c>_info</c>, others unchanged.
    /// </summary>
    public static string FamilyName(string name, string typeName)
    {
        int length = FamilyLength(name, typeName);
        return length == name.Length ? name : name.Substring(0, length);
    }

    /// <summary>The length of <see cref="FamilyName"/>: the family name is always a prefix of the name.</summary>
    private static int FamilyLength(string name, string typeName)
    {
        string suffix = typeName switch
        {
            "counter" => CounterSuffix,
            "info" => InfoSuffix,
            _ => string.Empty,
        };
        return suffix.Length > 0 && name.EndsWith(suffix, StringComparison.Ordinal) ? name.Length - suffix.Length : name.Length;
    }

    /// <summary>
    /// The type the Prometheus text format 0.0.4 declares: it has no info or stateset type, so those are gauges
    /// there (as client_golang and client_java write them).
    /// </summary>
    public static string TextTypeName(string typeName) => typeName is "info" or "stateset" ? "gauge" : typeName;

    /// <summary>
    /// True when <paramref name="unit"/> is a valid OpenMetrics unit of the metric: a label-like word that the family
    /// name (a counter's without <c>_total</c>) ends with, after an underscore.
    /// </summary>
    public static bool UnitMatches(string name, string typeName, string unit) =>
        IsValidLabelName(unit) && FamilyName(name, typeName).EndsWith("_" + unit, StringComparison.Ordinal);

    /// <summary>
    /// Every family and sample name a metric of <paramref name="typeName"/> named <paramref name="name"/> may expose;
    /// a second metric that shares one of them would make the exposition ambiguous.
    /// </summary>
    public static string[] ReservedNames(string name, string typeName)
    {
        var names = new string[ReservedNameCount(typeName)];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = ReservedName(name, typeName, i).ToString();
        }

        return names;
    }

    /// <summary>How many names <see cref="ReservedNames"/> lists for a metric of <paramref name="typeName"/>.</summary>
    public static int ReservedNameCount(string typeName) => typeName switch
    {
        "counter" => 3,
        "histogram" => HistogramSampleSuffixes.Length,
        "summary" => SummarySampleSuffixes.Length,
        "info" => 2,
        _ => 1,
    };

    /// <summary>
    /// The <paramref name="index"/>th of <see cref="ReservedNames"/>, as a part of the name and a suffix: the
    /// generator checks every declared metric against the others with these, without building the names.
    /// </summary>
    public static NamePart ReservedName(string name, string typeName, int index)
    {
        switch (typeName)
        {
            case "counter":
                int family = FamilyLength(name, typeName);
                return index switch
                {
                    0 => new NamePart(name, family, string.Empty),
                    1 => new NamePart(name, name.Length, string.Empty),
                    _ => new NamePart(name, family, "_created"),
                };
            case "histogram":
                return new NamePart(name, name.Length, HistogramSampleSuffixes[index]);
            case "summary":
                return new NamePart(name, name.Length, SummarySampleSuffixes[index]);
            case "info":
                return new NamePart(name, index == 0 ? FamilyLength(name, typeName) : name.Length, string.Empty);
            default:
                return new NamePart(name, name.Length, string.Empty);
        }
    }

    private static readonly string[] HistogramSampleSuffixes = { string.Empty, "_bucket", "_count", "_sum", "_created" };
    private static readonly string[] SummarySampleSuffixes = { string.Empty, "_count", "_sum", "_created" };

    /// <summary>The first <see cref="Length"/> characters of a name followed by a suffix, compared by its text.</summary>
    public readonly struct NamePart : IEquatable<NamePart>
    {
        private readonly string _name;
        private readonly int _length;
        private readonly string _suffix;

        public NamePart(string name, int length, string suffix)
        {
            _name = name;
            _length = length;
            _suffix = suffix;
        }

        public int Length => _length + _suffix.Length;

        public char this[int index] => index < _length ? _name[index] : _suffix[index - _length];

        public bool Equals(NamePart other)
        {
            if (Length != other.Length)
            {
                return false;
            }

            for (int i = 0; i < Length; i++)
            {
                if (this[i] != other[i])
                {
                    return false;
                }
            }

            return true;
        }

        public override bool Equals(object? obj) => obj is NamePart other && Equals(other);

        public override int GetHashCode()
        {
            int hash = 17;
            for (int i = 0; i < Length; i++)
            {
                hash = unchecked((hash * 31) + this[i]);
            }

            return hash;
        }

        public override string ToString() =>
            _length == _name.Length && _suffix.Length == 0 ? _name : _name.Substring(0, _length) + _suffix;
    }

    /// <summary>
    /// The metadata lines of a family: <c># HELP</c> then <c># TYPE</c> in the Prometheus text format; <c># TYPE</c>,
    /// <c># UNIT</c> (when set) and <c># HELP</c> in OpenMetrics, named after the family.
    /// </summary>
    public static string Header(string name, string typeName, string help, string? unit, bool openMetrics)
    {
        var sink = new StringBuilderSink(new StringBuilder(64 + name.Length + help.Length));
        WriteHeader(ref sink, name, typeName, help, unit, openMetrics);
        return sink.Builder.ToString();
    }

    /// <summary>
    /// <see cref="Header"/> handed to <paramref name="sink"/> piece by piece (each piece ends or starts next to an
    /// ASCII character), so the generator can escape it straight into a literal without building the string first.
    /// </summary>
    public static void WriteHeader<TSink>(ref TSink sink, string name, string typeName, string help, string? unit, bool openMetrics)
        where TSink : struct, IHeaderSink
    {
        string escapedHelp = EscapeHelp(help, openMetrics);
        if (!openMetrics)
        {
            Line(ref sink, "# HELP ", name, escapedHelp);
            Line(ref sink, "# TYPE ", name, TextTypeName(typeName));
            return;
        }

        string family = FamilyName(name, typeName);
        Line(ref sink, "# TYPE ", family, typeName);
        if (unit is not null)
        {
            Line(ref sink, "# UNIT ", family, unit);
        }

        Line(ref sink, "# HELP ", family, escapedHelp);
    }

    private static void Line<TSink>(ref TSink sink, string keyword, string name, string value)
        where TSink : struct, IHeaderSink
    {
        sink.Append(keyword);
        sink.Append(name);
        sink.Append(" ");
        sink.Append(value);
        sink.Append("\n");
    }

    /// <summary>Receives the pieces of a header in order.</summary>
    public interface IHeaderSink
    {
        void Append(string piece);
    }

    private struct StringBuilderSink : IHeaderSink
    {
        public StringBuilderSink(StringBuilder builder) => Builder = builder;

        public StringBuilder Builder { get; }

        public void Append(string piece) => Builder.Append(piece);
    }

    /// <summary>A label value escaped for both formats: <c>\</c>, <c>"</c> and newline. Returns the input when nothing changes.</summary>
    public static string EscapeLabelValue(string value) => Escape(value, escapeQuote: true);

    /// <summary>Help text escaped: <c>\</c> and newline; <c>"</c> too in OpenMetrics. Returns the input when nothing changes.</summary>
    public static string EscapeHelp(string help, bool openMetrics) => Escape(help, escapeQuote: openMetrics);

    private static string Escape(string value, bool escapeQuote)
    {
        int first = escapeQuote ? value.IndexOfAny(QuoteEscapes) : value.IndexOfAny(PlainEscapes);
        if (first < 0)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 8).Append(value, 0, first);
        for (int i = first; i < value.Length; i++)
        {
            char c = value[i];
            switch (c)
            {
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '"' when escapeQuote: builder.Append("\\\""); break;
                default: builder.Append(c); break;
            }
        }

        return builder.ToString();
    }

    private static readonly char[] PlainEscapes = { '\\', '\n' };
    private static readonly char[] QuoteEscapes = { '\\', '\n', '"' };

    private static bool IsValidName(string? name, bool allowColon)
    {
        if (name is null || name.Length == 0)
        {
            return false;
        }

        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            bool valid = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'
                || (allowColon && c == ':')
                || (i > 0 && c >= '0' && c <= '9');
            if (!valid)
            {
                return false;
            }
        }

        return true;
    }
}
