using System;
using System.Text;

namespace MetricsGen.Shared;

/// <summary>
/// The OpenTelemetry specification's Prometheus compatibility rules for names: instrument name and unit to a
/// Prometheus metric name (and OpenMetrics unit), attribute keys to label names. The runtime's
/// <c>System.Diagnostics.Metrics</c> bridge applies them at run time; they live with the other exposition rules so
/// that the generator can apply the same ones should it ever take OpenTelemetry names.
/// </summary>
/// <remarks>Targets netstandard2.0 as well as net8.0+: strings and loops only.</remarks>
internal static class OpenTelemetryNaming
{
    /// <summary>
    /// The Prometheus name of an instrument: the name sanitized (<c>[a-zA-Z0-9_:]</c>, runs of <c>_</c> collapsed, a
    /// leading digit prefixed with <c>_</c>), then the unit's suffix unless the name ends with it already, then
    /// <c>_total</c> for counters.
    /// </summary>
    /// <param name="instrumentName">The instrument's name, such as <c>http.client.request.duration</c>.</param>
    /// <param name="unit">The instrument's unit (UCUM, as OpenTelemetry writes it), or null.</param>
    /// <param name="typeName"><c>counter</c>, <c>gauge</c> or <c>histogram</c>.</param>
    /// <param name="openMetricsUnit">
    /// The unit for OpenMetrics' <c># UNIT</c> when the unit maps to a known one and the name ends with it; else null.
    /// </param>
    public static string MetricName(string instrumentName, string? unit, string typeName, out string? openMetricsUnit)
    {
        bool counter = typeName == "counter";
        string name = Sanitize(instrumentName, allowColon: true);
        if (counter && name.EndsWith(ExpositionRules.CounterSuffix, StringComparison.Ordinal) && name.Length > ExpositionRules.CounterSuffix.Length)
        {
            name = name.Substring(0, name.Length - ExpositionRules.CounterSuffix.Length);
        }

        string suffix = UnitSuffix(unit, gauge: typeName == "gauge", out bool known);
        if (suffix.Length > 0 && name != suffix && !name.EndsWith("_" + suffix, StringComparison.Ordinal))
        {
            name = Collapse(name + "_" + suffix);
        }

        openMetricsUnit = known && suffix.Length > 0 && name.EndsWith("_" + suffix, StringComparison.Ordinal) ? suffix : null;
        return counter ? Collapse(name + ExpositionRules.CounterSuffix) : name;
    }

    /// <summary>
    /// A label name from an attribute key: every character outside <c>[a-zA-Z0-9_]</c> replaced by <c>_</c>, runs of
    /// <c>_</c> collapsed (so never the reserved <c>__</c> prefix), a leading digit prefixed with <c>_</c>.
    /// </summary>
    public static string LabelName(string key) => Sanitize(key, allowColon: false);

    /// <summary>
    /// The name suffix of a unit: the table of the specification (<c>s</c> → <c>seconds</c>, <c>By</c> →
    /// <c>bytes</c>, …, <c>1</c> → <c>ratio</c> on gauges only), <c>X/Y</c> → <c>X_per_Y</c> (the denominator singular:
    /// <c>per_second</c>), curly-brace annotations dropped, other units sanitized as they are.
    /// </summary>
    /// <param name="unit">The unit, or null.</param>
    /// <param name="gauge">Whether the instrument is a gauge (only gauges turn <c>1</c> into <c>ratio</c>).</param>
    /// <param name="known">Whether every part of the unit came from the table.</param>
    public static string UnitSuffix(string? unit, bool gauge, out bool known)
    {
        known = false;
        string text = WithoutAnnotations(unit).Trim();
        if (text.Length == 0)
        {
            return string.Empty;
        }

        int slash = text.IndexOf('/');
        if (slash < 0)
        {
            return Main(text, gauge, out known);
        }

        string numerator = Main(text.Substring(0, slash).Trim(), gauge: false, out bool numeratorKnown);
        string denominator = Per(text.Substring(slash + 1).Trim(), out bool denominatorKnown);
        known = denominatorKnown && (numeratorKnown || numerator.Length == 0) && denominator.Length > 0;
        if (denominator.Length == 0)
        {
            known = numeratorKnown;
            return numerator;
        }

        return numerator.Length == 0 ? "per_" + denominator : numerator + "_per_" + denominator;
    }

    private static string Main(string unit, bool gauge, out bool known)
    {
        known = true;
        switch (unit)
        {
            case "s": return "seconds";
            case "ms": return "milliseconds";
            case "us": return "microseconds";
            case "ns": return "nanoseconds";
            case "min": return "minutes";
            case "h": return "hours";
            case "d": return "days";
            case "By": return "bytes";
            case "KiBy": return "kibibytes";
            case "MiBy": return "mebibytes";
            case "GiBy": return "gibibytes";
            case "TiBy": return "tebibytes";
            case "KBy": return "kilobytes";
            case "MBy": return "megabytes";
            case "GBy": return "gigabytes";
            case "TBy": return "terabytes";
            case "m": return "meters";
            case "V": return "volts";
            case "A": return "amperes";
            case "J": return "joules";
            case "W": return "watts";
            case "g": return "grams";
            case "Cel": return "celsius";
            case "Hz": return "hertz";
            case "%": return "percent";
            case "1":
                known = gauge;
                return gauge ? "ratio" : string.Empty;
        }

        known = false;
        return Sanitize(unit, allowColon: false).Trim('_');
    }

    // The unit after "/": singular ("bytes per second"), with the calendar units the specification adds there.
    private static string Per(string unit, out bool known)
    {
        known = true;
        switch (unit)
        {
            case "w": return "week";
            case "mo": return "month";
            case "y": return "year";
            case "1":
                known = false;
                return string.Empty;
        }

        string plural = Main(unit, gauge: false, out known);
        return known && plural.EndsWith("s", StringComparison.Ordinal) && plural != "celsius"
            ? plural.Substring(0, plural.Length - 1)
            : plural;
    }

    private static string WithoutAnnotations(string? unit)
    {
        if (unit is null || unit.IndexOf('{') < 0)
        {
            return unit ?? string.Empty;
        }

        var builder = new StringBuilder(unit.Length);
        int depth = 0;
        foreach (char c in unit)
        {
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && depth > 0)
            {
                depth--;
            }
            else if (depth == 0)
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static string Sanitize(string name, bool allowColon)
    {
        var builder = new StringBuilder(name.Length + 1);
        if (name.Length == 0 || (name[0] >= '0' && name[0] <= '9'))
        {
            builder.Append('_');
        }

        foreach (char c in name)
        {
            bool valid = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (allowColon && c == ':');
            char written = valid ? c : '_';
            if (written == '_' && builder.Length > 0 && builder[builder.Length - 1] == '_')
            {
                continue;
            }

            builder.Append(written);
        }

        return builder.ToString();
    }

    private static string Collapse(string name)
    {
        if (name.IndexOf("__", StringComparison.Ordinal) < 0)
        {
            return name;
        }

        var builder = new StringBuilder(name.Length);
        foreach (char c in name)
        {
            if (c == '_' && builder.Length > 0 && builder[builder.Length - 1] == '_')
            {
                continue;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
