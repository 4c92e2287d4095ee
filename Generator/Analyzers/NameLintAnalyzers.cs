using System;
using System.Collections.Generic;
using System.Linq;
using MetricsGen.Generator.Model;
using MetricsGen.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace MetricsGen.Generator.Analyzers;

/// <summary>MG0034: a unit promtool wants in its base unit (<c>_milliseconds</c>, <c>_kilobytes</c>, <c>_minutes</c>).</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NonBaseUnitAnalyzer : NameLintAnalyzer
{
    /// <summary>
    /// The renames the code fix can carry out exactly: it scales literal buckets and the <c>Unit</c> by these
    /// factors. Other non-base units (weeks, bits, inches, fahrenheit) need the values changed by hand.
    /// </summary>
    private static readonly Dictionary<string, string> Convertible = new(StringComparer.Ordinal)
    {
        ["milliseconds"] = "seconds", ["microseconds"] = "seconds", ["nanoseconds"] = "seconds",
        ["minutes"] = "seconds", ["hours"] = "seconds", ["days"] = "seconds",
        ["kilobytes"] = "bytes", ["megabytes"] = "bytes", ["gigabytes"] = "bytes",
    };

    /// <summary>Creates the analyzer.</summary>
    public NonBaseUnitAnalyzer() : base(DiagnosticDescriptors.NonBaseUnit) { }

    private protected override IEnumerable<Finding> Lint(MetricSite site)
    {
        if (NameLints.NonBaseUnit(site.Name) is not { } found)
        {
            yield break;
        }

        string? candidate = Convertible.TryGetValue(found.Unit, out string? target)
            ? NameLints.ReplaceWords(site.Declared, word => word == found.Unit ? target : null)
            : null;
        yield return new Finding(site.NameLocation, site.Suggest(candidate, exposed => NameLints.NonBaseUnit(exposed) is null), site.Name, found.Unit, found.Base);
    }
}

/// <summary>MG0035: an abbreviated unit (<c>_ms</c>, <c>_kb</c>, <c>_s</c>, <c>_m</c>) anywhere after the first word.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class AbbreviatedUnitAnalyzer : NameLintAnalyzer
{
    /// <summary>
    /// The abbreviations with one meaning the fix can carry out: <c>s</c> and <c>sec</c> are seconds already; the fix
    /// scales buckets and <c>Unit</c> for the others. <c>b</c> (bits or bytes), <c>m</c> (minutes, meters),
    /// <c>h</c>, <c>d</c>, <c>tb</c> and <c>pb</c> get no suggestion.
    /// </summary>
    private static readonly Dictionary<string, string> Spelled = new(StringComparer.Ordinal)
    {
        ["s"] = "seconds", ["sec"] = "seconds", ["ms"] = "seconds", ["us"] = "seconds", ["ns"] = "seconds",
        ["kb"] = "bytes", ["mb"] = "bytes", ["gb"] = "bytes",
    };

    /// <summary>Creates the analyzer.</summary>
    public AbbreviatedUnitAnalyzer() : base(DiagnosticDescriptors.AbbreviatedUnit) { }

    private protected override IEnumerable<Finding> Lint(MetricSite site)
    {
        IReadOnlyList<string> found = NameLints.AbbreviatedUnits(site.Name);
        if (found.Count == 0)
        {
            yield break;
        }

        // One word to respell, or the rename is not mechanical.
        string[] words = site.Declared.Split('_').Where(word => found.Contains(word.ToLowerInvariant())).ToArray();
        string? candidate = null;
        if (words.Length == 1 && Spelled.TryGetValue(words[0].ToLowerInvariant(), out string? spelled)
            && !(site.Metric.Unit is { } unit && words[0].ToLowerInvariant() is "s" or "sec" && string.Equals(unit, words[0], StringComparison.OrdinalIgnoreCase)))
        {
            // (A Unit of "s" would stay "s" after the rename, which MG0014 rejects.)
            candidate = NameLints.ReplaceWords(site.Declared, word => word == words[0] ? spelled : null);
        }

        string? suggested = site.Suggest(candidate, exposed => NameLints.AbbreviatedUnits(exposed).Count == 0 && NameLints.NonBaseUnit(exposed) is null);
        yield return new Finding(site.NameLocation, suggested, site.Name, string.Join("', '", found));
    }
}

/// <summary>MG0036: <c>_total</c> at the end of a metric exposed as anything but a counter.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TotalOnNonCounterAnalyzer : NameLintAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public TotalOnNonCounterAnalyzer() : base(DiagnosticDescriptors.TotalOnNonCounter) { }

    private protected override IEnumerable<Finding> Lint(MetricSite site)
    {
        if (!NameLints.TotalOnNonCounter(site.Name, site.TextType))
        {
            yield break;
        }

        string? candidate = site.Declared.EndsWith(ExpositionRules.CounterSuffix, StringComparison.Ordinal)
            ? site.Declared.Substring(0, site.Declared.Length - ExpositionRules.CounterSuffix.Length)
            : null;
        yield return new Finding(site.NameLocation, site.Suggest(candidate, exposed => !NameLints.TotalOnNonCounter(exposed, site.TextType)), site.Name, site.TextType);
    }
}

/// <summary>MG0037: <c>_count</c>, <c>_sum</c>, <c>_bucket</c> or a label <c>le</c> on a metric that is not a histogram (or summary).</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HistogramSummaryReservedAnalyzer : NameLintAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public HistogramSummaryReservedAnalyzer() : base(DiagnosticDescriptors.HistogramSummaryReserved) { }

    private protected override IEnumerable<Finding> Lint(MetricSite site)
    {
        // No suggestion: what the name should say instead (size, items, ...) is the author's to choose.
        if (NameLints.ReservedSuffix(site.Name, site.TextType) is { } suffix)
        {
            string owners = suffix == "_bucket" ? "histograms" : "histograms and summaries";
            yield return new Finding(site.NameLocation, null, site.Name, site.TextType, $"its name ends with '{suffix}', which promtool keeps for {owners}");
        }

        if (site.TextType != "histogram")
        {
            foreach ((string name, Location location, _) in site.Labels())
            {
                if (name == ExpositionRules.BucketBoundLabel)
                {
                    yield return new Finding(location, null, site.Name, site.TextType, "it has a label named 'le', which promtool keeps for histogram buckets");
                }
            }
        }
    }
}

/// <summary>MG0038: a type name (<c>_counter</c>, <c>_gauge</c>, <c>_histogram</c>, <c>_summary</c>) after the first word.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TypeNameInNameAnalyzer : NameLintAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public TypeNameInNameAnalyzer() : base(DiagnosticDescriptors.TypeNameInName) { }

    private protected override IEnumerable<Finding> Lint(MetricSite site)
    {
        foreach (string typeName in NameLints.TypeNames(site.Name))
        {
            // The type word dropped; "gauge_histogram" is two words, left to the author.
            string? candidate = typeName.IndexOf('_') < 0
                ? NameLints.DropWords(site.Declared, word => string.Equals(word, typeName, StringComparison.OrdinalIgnoreCase))
                : null;
            string? suggested = site.Suggest(candidate, exposed => !NameLints.TypeNames(exposed).Contains(typeName));
            yield return new Finding(site.NameLocation, suggested, site.Name, typeName);
        }
    }
}

/// <summary>MG0039: camelCase in the metric name or a label name, or a ':' in the metric name.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NotSnakeCaseAnalyzer : NameLintAnalyzer
{
    /// <summary>Creates the analyzer.</summary>
    public NotSnakeCaseAnalyzer() : base(DiagnosticDescriptors.NotSnakeCase) { }

    private protected override IEnumerable<Finding> Lint(MetricSite site)
    {
        if (NameLints.IsCamelCase(site.Name))
        {
            string? suggested = site.Suggest(Naming.ToSnakeCase(site.Declared), exposed => !NameLints.IsCamelCase(exposed));
            yield return new Finding(site.NameLocation, suggested, site.Name, "its name is camelCase, where promtool wants snake_case");
        }

        if (site.Name.IndexOf(':') >= 0)
        {
            string? suggested = site.Suggest(site.Declared.Replace(':', '_'), exposed => exposed.IndexOf(':') < 0);
            yield return new Finding(site.NameLocation, suggested, site.Name, "its name contains ':', which promtool keeps for recording rules");
        }

        var labels = site.Labels().ToList();
        foreach ((string name, Location location, bool hasLiteral) in labels)
        {
            // A state set's own label is its name, reported above.
            if (!NameLints.IsCamelCase(name) || (site.Metric.Kind == MetricKind.StateSet && location == site.NameLocation))
            {
                continue;
            }

            // A [Label("...")] literal can be rewritten (the rename fix writes into the attribute it sits in).
            string snake = Naming.ToSnakeCase(name);
            string? suggested = hasLiteral && ExpositionRules.IsValidLabelName(snake) && !labels.Any(other => other.Name == snake) ? snake : null;
            yield return new Finding(location, suggested, site.Name, $"its label '{name}' is camelCase, where promtool wants snake_case");
        }
    }
}
