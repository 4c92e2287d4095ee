using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using Xunit;
using static MetricsGen.Runtime.Tests.Meters.MeterTestSupport;

namespace MetricsGen.Runtime.Tests.Collectors;

/// <summary>
/// The runtime collector writes what .NET's System.Runtime meter gives through the meters bridge: the same families,
/// types, units and labels, so one instrument has one name in MetricsGen whichever way it is read.
/// </summary>
public sealed class RuntimeCollectorTests
{
    // Label values that depend on the program's history rather than on the instrument.
    private static readonly HashSet<string> HistoryLabels = new() { "error_type" };

    [Fact]
    public void TheCollectorWritesTheSameFamiliesAsTheBridgedSystemRuntimeMeter()
    {
        var computed = new MetricRegistry();
        computed.Register(new DotNetRuntimeCollector());
        var bridged = new MetricRegistry();
        var warnings = new Warnings(bridged);
        using IDisposable bridge = bridged.AddMeters("System.Runtime");

        ThrowAndCatch<InvalidOperationException>();
        ThrowAndCatch<TimeoutException>();
        GC.Collect();

        Dictionary<string, Family> ours = Families(computed);
        Dictionary<string, Family> theirs = Families(bridged);
        Assert.True(ours.Remove("dotnet_info"), "dotnet_info is the collector's own addition");
        Assert.Equal(19, theirs.Count);
        Assert.Equal(theirs.Keys.OrderBy(k => k, StringComparer.Ordinal), ours.Keys.OrderBy(k => k, StringComparer.Ordinal));
        foreach ((string name, Family family) in theirs)
        {
            Family mine = ours[name];
            Assert.True(family.Type == mine.Type, $"{name}: bridged {family.Type}, computed {mine.Type}");
            Assert.True(family.Unit == mine.Unit, $"{name}: bridged unit '{family.Unit}', computed '{mine.Unit}'");
            Assert.True(family.LabelNames.SetEquals(mine.LabelNames), $"{name}: bridged labels [{string.Join(",", family.LabelNames)}], computed [{string.Join(",", mine.LabelNames)}]");
            foreach ((string label, HashSet<string> values) in family.LabelValues)
            {
                if (HistoryLabels.Contains(label))
                {
                    // Each side counts from when its hook was installed, which other tests decide: compare only the
                    // exception types this test threw, after both hooks existed.
                    Assert.Contains("InvalidOperationException", values);
                    Assert.Contains("TimeoutException", values);
                }
                else
                {
                    Assert.True(values.SetEquals(mine.LabelValues[label]), $"{name}{{{label}}}: bridged [{string.Join(",", values)}], computed [{string.Join(",", mine.LabelValues[label])}]");
                }
            }
        }

        Assert.Contains("InvalidOperationException", ours["dotnet_exceptions_total"].LabelValues["error_type"]);
        Assert.Contains("TimeoutException", ours["dotnet_exceptions_total"].LabelValues["error_type"]);
        Assert.Empty(warnings.All);
    }

    [Fact]
    public void UpDownCountersArePrometheusGaugesWithoutTotal()
    {
        string text = Text(MetricRegistry.Default);
        foreach (string gauge in new[]
        {
            "dotnet_assembly_count", "dotnet_timer_count", "dotnet_process_cpu_count", "dotnet_thread_pool_thread_count",
            "dotnet_thread_pool_queue_length", "dotnet_process_memory_working_set_bytes",
        })
        {
            Assert.Matches(new Regex($"# TYPE {gauge} gauge\n{gauge} [0-9][0-9.e+]*\n"), text);
        }

        Assert.DoesNotContain("dotnet_thread_pool_thread_count_total", text);
        Assert.Matches(new Regex("\ndotnet_assembly_count [1-9][0-9]*\n"), text);
    }

    [Fact]
    public void ExceptionsAreCountedByTypeNameAndSameNamedTypesShareASeries()
    {
        string before = Text(MetricRegistry.Default);
        double Count(string text, string type)
        {
            Match match = Regex.Match(text, $"\ndotnet_exceptions_total\\{{error_type=\"{type}\"\\}} ([0-9]+)\n");
            return match.Success ? double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        }

        for (int i = 0; i < 3; i++)
        {
            ThrowAndCatch<FormatException>();
        }

        // Two types named alike in different namespaces: one label value, so one series holding both.
        ThrowAndCatch<First.SameNameException>();
        ThrowAndCatch<Second.SameNameException>();

        string after = Text(MetricRegistry.Default);
        Assert.True(Count(after, "FormatException") - Count(before, "FormatException") >= 3);
        Assert.True(Count(after, "SameNameException") - Count(before, "SameNameException") >= 2);
        Assert.Single(Regex.Matches(after, "error_type=\"SameNameException\""));
    }

    [Fact]
    public void TheDefaultRegistrySkipsTheSystemRuntimeMeterSilentlyAndBridgesTheRest()
    {
        var registry = new MetricRegistry();
        registry.Register(new DotNetRuntimeCollector());
        var warnings = new Warnings(registry);
        using var meter = new System.Diagnostics.Metrics.Meter("MetricsGen.Tests.BesideRuntime");
        meter.CreateCounter<long>("jobs.done").Add(2);
        using IDisposable bridge = registry.AddMeters("System.Runtime", "MetricsGen.Tests.BesideRuntime");
        meter.CreateCounter<long>("jobs.failed").Add(1);

        string text = Text(registry);
        Assert.Empty(warnings.All);
        Assert.Single(Regex.Matches(text, "# TYPE dotnet_gc_collections_total "));
        Assert.Contains("\njobs_failed_total 1\n", text);
    }

    private static void ThrowAndCatch<TException>()
        where TException : Exception, new()
    {
        try
        {
            throw new TException();
        }
        catch (TException)
        {
        }
    }

    private sealed record Family(string Type, string? Unit, HashSet<string> LabelNames, Dictionary<string, HashSet<string>> LabelValues);

    // Families of the text exposition (type, label names and values), with the units of the OpenMetrics one.
    private static Dictionary<string, Family> Families(MetricRegistry registry)
    {
        var families = new Dictionary<string, Family>(StringComparer.Ordinal);
        string? current = null;
        foreach (string line in Text(registry).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Match type = Regex.Match(line, "^# TYPE (\\S+) (\\S+)$");
            if (type.Success)
            {
                current = type.Groups[1].Value;
                families[current] = new Family(type.Groups[2].Value, null, new HashSet<string>(), new Dictionary<string, HashSet<string>>());
                continue;
            }

            if (line.StartsWith('#'))
            {
                continue;
            }

            Match sample = Regex.Match(line, "^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? \\S+$");
            Assert.True(sample.Success && current is not null, $"unexpected line: {line}");
            Assert.True(sample.Groups[1].Value == current, $"sample {sample.Groups[1].Value} in family {current}");
            foreach (Match label in Regex.Matches(sample.Groups[2].Value, "([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\""))
            {
                Family family = families[current!];
                family.LabelNames.Add(label.Groups[1].Value);
                if (!family.LabelValues.TryGetValue(label.Groups[1].Value, out HashSet<string>? values))
                {
                    family.LabelValues[label.Groups[1].Value] = values = new HashSet<string>();
                }

                values.Add(label.Groups[2].Value);
            }
        }

        foreach (Match unit in Regex.Matches(OpenMetrics(registry), "# UNIT (\\S+) (\\S+)\n"))
        {
            string name = families.ContainsKey(unit.Groups[1].Value) ? unit.Groups[1].Value : unit.Groups[1].Value + "_total";
            families[name] = families[name] with { Unit = unit.Groups[2].Value };
        }

        return families;
    }
}

// Two exception types of one short name (Type.Name ignores the declaring type, as it ignores the namespace).
internal static class First
{
    public sealed class SameNameException : Exception
    {
    }
}

internal static class Second
{
    public sealed class SameNameException : Exception
    {
    }
}
