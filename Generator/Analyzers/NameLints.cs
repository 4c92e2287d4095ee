using System;
using System.Collections.Generic;
using System.Linq;

namespace MetricsGen.Generator.Analyzers;

/// <summary>
/// The name rules of <c>promtool check metrics</c> (Prometheus 2.42, as Debian ships it), as measured on its output
/// (docs/diagnostics.md, "Name lints"): plain functions of the exposed family name, its text-format type and its
/// label names, so that the analyzers and the tests share one statement of each rule.
/// </summary>
internal static class NameLints
{
    /// <summary>The unit words promtool knows, each with the base unit it wants instead (itself for a base unit).</summary>
    private static readonly (string Unit, string Base)[] Units =
    {
        ("amperes", "amperes"), ("bytes", "bytes"), ("celsius", "celsius"), ("grams", "grams"), ("joules", "joules"),
        ("kelvin", "kelvin"), ("meters", "meters"), ("metres", "metres"), ("seconds", "seconds"), ("volts", "volts"),
        ("minutes", "seconds"), ("hours", "seconds"), ("days", "seconds"), ("weeks", "seconds"),
        ("kelvins", "kelvin"), ("fahrenheit", "celsius"), ("rankine", "celsius"),
        ("inches", "meters"), ("yards", "meters"), ("miles", "meters"), ("bits", "bytes"),
        ("calories", "joules"), ("pounds", "grams"), ("ounces", "grams"),
    };

    /// <summary>The prefixes promtool tries before a unit word, in its order (its "mibi" is spelled so).</summary>
    private static readonly string[] Prefixes =
    {
        "pico", "nano", "micro", "milli", "centi", "deci", "deca", "hecto", "kilo", "kibi", "mega", "mibi", "giga", "gibi", "tera", "tebi", "peta", "pebi",
    };

    /// <summary>The abbreviations promtool rejects as a whole word (after an underscore), in any case.</summary>
    private static readonly string[] Abbreviations = { "s", "ms", "us", "ns", "sec", "b", "kb", "mb", "gb", "tb", "pb", "m", "h", "d" };

    /// <summary>The type names promtool rejects in a name (after an underscore), in any case.</summary>
    private static readonly string[] TypeWords = { "counter", "gauge", "summary", "histogram", "gauge_histogram" };

    /// <summary>
    /// The unit word promtool reports and its base, when it reports one on every run. promtool tries its units in
    /// Go map order (random per run) and stops at the first that a word of the name matches, so a name with a base
    /// and a non-base unit word (<c>foo_seconds_minutes</c>) is flagged on some runs only: such a name is not
    /// reported here, so that nothing promtool accepts is.
    /// </summary>
    public static (string Unit, string Base)? NonBaseUnit(string name)
    {
        string[] words = name.Split('_');
        (string Unit, string Base)? first = null;
        int firstIndex = int.MaxValue;
        foreach ((string unit, string unitBase) in Units)
        {
            if (MatchUnit(words, unit) is not { } match)
            {
                continue;
            }

            if (match == unitBase)
            {
                // promtool may stop here and accept the name.
                return null;
            }

            int index = Array.IndexOf(words, match);
            if (index < firstIndex)
            {
                firstIndex = index;
                first = (match, unitBase);
            }
        }

        return first;
    }

    /// <summary>What promtool matches for one unit: the first prefix (in its order, then none) some word carries.</summary>
    private static string? MatchUnit(string[] words, string unit)
    {
        foreach (string prefix in Prefixes)
        {
            string candidate = prefix + unit;
            if (Array.IndexOf(words, candidate) >= 0)
            {
                return candidate;
            }
        }

        return Array.IndexOf(words, unit) >= 0 ? unit : null;
    }

    /// <summary>The abbreviated units of the name, as promtool finds them (one entry per abbreviation it reports).</summary>
    public static IReadOnlyList<string> AbbreviatedUnits(string name) => WordsAfterUnderscore(name, Abbreviations);

    /// <summary>The type names in the name promtool reports (one line each).</summary>
    public static IReadOnlyList<string> TypeNames(string name) => WordsAfterUnderscore(name, TypeWords);

    private static List<string> WordsAfterUnderscore(string name, string[] candidates)
    {
        string lower = name.ToLowerInvariant();
        var found = new List<string>();
        foreach (string word in candidates)
        {
            if (lower.IndexOf("_" + word + "_", StringComparison.Ordinal) >= 0 || lower.EndsWith("_" + word, StringComparison.Ordinal))
            {
                found.Add(word);
            }
        }

        return found;
    }

    /// <summary>A non-counter whose exposed name ends with <c>_total</c>.</summary>
    public static bool TotalOnNonCounter(string name, string textType) =>
        textType != "counter" && name.EndsWith("_total", StringComparison.Ordinal);

    /// <summary>What promtool says of a histogram or summary suffix on another type, or null.</summary>
    public static string? ReservedSuffix(string name, string textType)
    {
        bool histogram = textType == "histogram";
        bool summary = textType == "summary";
        if (!histogram && name.EndsWith("_bucket", StringComparison.Ordinal))
        {
            return "_bucket";
        }

        foreach (string suffix in new[] { "_count", "_sum" })
        {
            if (!histogram && !summary && name.EndsWith(suffix, StringComparison.Ordinal))
            {
                return suffix;
            }
        }

        return null;
    }

    /// <summary>promtool's camelCase test: a lowercase ASCII letter right before an uppercase one.</summary>
    public static bool IsCamelCase(string name)
    {
        for (int i = 1; i < name.Length; i++)
        {
            if (name[i - 1] is >= 'a' and <= 'z' && name[i] is >= 'A' and <= 'Z')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The declared name with every underscore-separated word that <paramref name="replace"/> maps swapped.</summary>
    public static string ReplaceWords(string declared, Func<string, string?> replace) =>
        string.Join("_", declared.Split('_').Select(word => replace(word) ?? word));

    /// <summary>The declared name without the words <paramref name="drop"/> matches (empty when nothing is left).</summary>
    public static string DropWords(string declared, Func<string, bool> drop) =>
        string.Join("_", declared.Split('_').Where(word => !drop(word)));
}
