using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MetricsGen.Generator.Model;
using MetricsGen.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
namespace MetricsGen.Generator;

public sealed partial class MetricsGenerator
{
    // The arguments of a metric attribute: lifecycle options, the metric name, buckets and quantiles, and the bound attribute itself.
    internal sealed partial class Parser
    {
        /// <summary>
        /// <c>MaxSeries</c> and <c>ExpireAfterSeconds</c>: 0 when not given. Both need series to act on, so a labelled
        /// metric (MG0030); MaxSeries is at least 1 (MG0028), the expiry positive and finite (MG0029).
        /// </summary>
        private bool ReadLifecycle(MetricArguments attribute, SyntaxNode? attributeSyntax, string memberName, string metricName, bool labelled, out int maxSeries, out double expireAfterSeconds)
        {
            maxSeries = 0;
            expireAfterSeconds = 0;
            bool valid = true;
            bool hasMaxSeries = attribute.Has("MaxSeries");
            bool hasExpiry = attribute.Has("ExpireAfterSeconds");
            if ((hasMaxSeries || hasExpiry) && !labelled)
            {
                Report(DiagnosticDescriptors.LifecycleOptionWithoutLabels, attributeSyntax, memberName, hasMaxSeries ? "MaxSeries" : "ExpireAfterSeconds");
                return false;
            }

            if (hasMaxSeries)
            {
                maxSeries = attribute.Value("MaxSeries", 0);
                if (maxSeries < 1)
                {
                    Report(DiagnosticDescriptors.InvalidMaxSeries, attributeSyntax, metricName, maxSeries.ToString(CultureInfo.InvariantCulture));
                    valid = false;
                }
            }

            if (hasExpiry)
            {
                expireAfterSeconds = attribute.Value("ExpireAfterSeconds", 0.0);
                if (!(expireAfterSeconds > 0) || double.IsInfinity(expireAfterSeconds))
                {
                    Report(DiagnosticDescriptors.InvalidExpiry, attributeSyntax, metricName, expireAfterSeconds.ToString("R", CultureInfo.InvariantCulture));
                    valid = false;
                }
            }

            return valid;
        }

        /// <summary>The exposed name: prefix, declared (or snake_case member) name, and the type's suffix when missing.</summary>
        private string? MetricNameOf(ISymbol member, MetricArguments attribute, SyntaxNode? attributeSyntax, MetricKind kind, string? prefix)
        {
            string declaredName = attribute.Name ?? Naming.ToSnakeCase(member.Name);
            string suffix = kind switch
            {
                MetricKind.Counter => ExpositionRules.CounterSuffix,
                MetricKind.Info => ExpositionRules.InfoSuffix,
                _ => string.Empty,
            };
            if (suffix.Length > 0 && !declaredName.EndsWith(suffix, StringComparison.Ordinal))
            {
                declaredName += suffix;
            }

            string metricName = string.IsNullOrEmpty(prefix) ? declaredName : prefix + "_" + declaredName;
            if (!ExpositionRules.IsValidMetricName(declaredName) || !ExpositionRules.IsValidMetricName(metricName))
            {
                Report(DiagnosticDescriptors.InvalidMetricName, attributeSyntax, metricName);
                return null;
            }

            return metricName;
        }

        private EquatableArray<double>? ReadQuantiles(object?[]? values, string metricName, SyntaxNode? location)
        {
            if (values is null)
            {
                return EquatableArray<double>.Empty;
            }

            var quantiles = new List<double>();
            foreach (object? element in values)
            {
                double quantile = Convert.ToDouble(element, CultureInfo.InvariantCulture);
                string? problem = !(quantile > 0 && quantile < 1) ? $"{quantile.ToString("R", CultureInfo.InvariantCulture)} is not in (0, 1)"
                    : quantiles.Count > 0 && quantile <= quantiles[quantiles.Count - 1] ? "they must be strictly ascending"
                    : null;
                if (problem is not null)
                {
                    Report(DiagnosticDescriptors.InvalidQuantiles, location, metricName, problem);
                    return null;
                }

                quantiles.Add(quantile);
            }

            return quantiles.ToEquatableArray();
        }

        /// <summary>The member's first metric attribute, bound.</summary>
        /// <remarks>
        /// The only attribute reader (issue 21). A syntax reader that resolved attribute names and literals itself was
        /// removed: without it the 200 x 10 re-run after an unrelated edit took 95 ms instead of 83 ms on average of three
        /// short-job pairs (+15 %, under the 20 % limit; the full run went from 145-205 to 293-371 ms). See docs/benchmarks.md, "Issue 21: one attribute reader".
        /// </remarks>
        private (MetricKind Kind, MetricArguments Arguments)? ReadBoundAttribute(ISymbol member)
        {
            foreach (AttributeData candidate in member.GetAttributes())
            {
                if (MetricKindOf(candidate.AttributeClass) is { } kind)
                {
                    return (kind, MetricArguments.From(candidate, candidate.ApplicationSyntaxReference?.GetSyntax(_cancellationToken)));
                }
            }

            return null;
        }

        private static MetricKind? MetricKindOf(INamedTypeSymbol? attributeClass)
        {
            if (attributeClass is null || !IsRuntimeType(attributeClass))
            {
                return null;
            }

            return attributeClass.Name switch
            {
                "CounterAttribute" => MetricKind.Counter,
                "GaugeAttribute" => MetricKind.Gauge,
                "HistogramAttribute" => MetricKind.Histogram,
                "SummaryAttribute" => MetricKind.Summary,
                "InfoAttribute" => MetricKind.Info,
                "StateSetAttribute" => MetricKind.StateSet,
                _ => null,
            };
        }

        private EquatableArray<double>? ReadBuckets(object?[]? values, string metricName, SyntaxNode? location)
        {
            if (values is null)
            {
                Report(DiagnosticDescriptors.InvalidBuckets, location, metricName, "at least one bucket is required");
                return null;
            }

            var bounds = values.Select(bound => Convert.ToDouble(bound, CultureInfo.InvariantCulture)).ToList();
            string? problem = null;
            if (bounds.Count == 0)
            {
                problem = "at least one bucket is required";
            }
            else if (bounds.Any(bound => double.IsNaN(bound) || double.IsInfinity(bound)))
            {
                problem = "every bound must be finite (+Inf is implicit)";
            }
            else
            {
                for (int i = 1; i < bounds.Count && problem is null; i++)
                {
                    if (bounds[i] == bounds[i - 1])
                    {
                        problem = "the bound " + bounds[i].ToString("R", CultureInfo.InvariantCulture) + " appears twice";
                    }
                    else if (bounds[i] < bounds[i - 1])
                    {
                        problem = "bounds must be strictly ascending";
                    }
                }
            }

            if (problem is not null)
            {
                Report(DiagnosticDescriptors.InvalidBuckets, location, metricName, problem);
                return null;
            }

            return bounds.ToEquatableArray();
        }
    }
}
