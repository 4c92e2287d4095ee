using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;

namespace MetricsGen.AspNetCore.Tests;

public enum Tier { Free, Paid }

/// <summary>A [GatewayMetric] class as users write them, resolved from DI in the tests.</summary>
[GatewayMetric(Prefix = "shop")]
public sealed partial class ShopMetrics
{
    [Counter("greetings_total", Help = "Greetings served, by tier.")]
    public partial Counter Greetings(Tier tier);
}

/// <summary>A source that throws during collection, to prove a scrape fails whole, naming it.</summary>
internal sealed class FailingSource : IMetricSource
{
    public string SourceName => "FailingSource";

    public IReadOnlyList<MetricDescriptor> Metrics { get; } = Array.Empty<MetricDescriptor>();

    public void Collect(ref ExpositionWriter writer) => throw new InvalidOperationException("broken on purpose");
}

/// <summary>A source whose collection waits until released, to hold a scrape slot.</summary>
internal sealed class BlockingSource : IMetricSource
{
    public ManualResetEventSlim Entered { get; } = new();

    public ManualResetEventSlim Release { get; } = new();

    public string SourceName => "BlockingSource";

    public IReadOnlyList<MetricDescriptor> Metrics { get; } = Array.Empty<MetricDescriptor>();

    public void Collect(ref ExpositionWriter writer)
    {
        Entered.Set();
        Release.Wait(TimeSpan.FromSeconds(30));
    }
}

internal static class Exposition
{
    /// <summary>The sample lines of <paramref name="name"/> (exact sample name) whose labels contain every fragment.</summary>
    public static IReadOnlyList<string> Lines(string exposition, string name, params string[] labelFragments) =>
        exposition.Split('\n')
            .Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) || line.StartsWith(name + " ", StringComparison.Ordinal))
            .Where(line => labelFragments.All(fragment => line.Contains(fragment, StringComparison.Ordinal)))
            .ToList();

    /// <summary>The value of the one sample that matches; fails when there is none or more than one.</summary>
    public static double Value(string exposition, string name, params string[] labelFragments)
    {
        IReadOnlyList<string> lines = Lines(exposition, name, labelFragments);
        Xunit.Assert.True(lines.Count == 1, $"expected one {name} sample with {string.Join(" ", labelFragments)}, found {lines.Count}:\n{exposition}");
        string line = lines[0];
        return double.Parse(line.Substring(line.LastIndexOf(' ') + 1), CultureInfo.InvariantCulture);
    }
}
