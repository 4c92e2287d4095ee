using System;
using System.ComponentModel;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Reflection;
using Xunit;

namespace MetricsGen.Runtime.Tests;

/// <summary>
/// The shape of the public surface: what users write lives in <c>MetricsGen</c>; what only generated code needs
/// lives in <c>MetricsGen.CompilerServices</c>, hidden from IntelliSense. (The exact member list is tracked by
/// PublicAPI.Shipped.txt through the public API analyzer at build time.)
/// </summary>
public sealed class PublicSurfaceTests
{
    private static readonly Type[] Exported = typeof(MetricRegistry).Assembly.GetExportedTypes();

    [Fact]
    public void EveryPublicTypeIsInOneOfTwoNamespaces()
    {
        var elsewhere = Exported.Where(type => type.Namespace is not ("MetricsGen" or "MetricsGen.CompilerServices")).Select(type => type.FullName).ToList();
        Assert.True(elsewhere.Count == 0, "Public types outside MetricsGen and MetricsGen.CompilerServices: " + string.Join(", ", elsewhere));
    }

    [Fact]
    public void CompilerServicesTypesAreHiddenFromIntelliSense()
    {
        Type[] support = Exported.Where(type => type.Namespace == "MetricsGen.CompilerServices").ToArray();
        Assert.Contains(support, type => type.Name.StartsWith("KeyedFamily", StringComparison.Ordinal));
        foreach (Type type in support)
        {
            EditorBrowsableAttribute? browsable = type.GetCustomAttribute<EditorBrowsableAttribute>();
            Assert.True(browsable?.State == EditorBrowsableState.Never, $"{type.FullName} is not [EditorBrowsable(Never)].");
        }
    }

    [Theory]
    [InlineData("GatewayMetricAttribute")]
    [InlineData("CounterAttribute")]
    [InlineData("GaugeAttribute")]
    [InlineData("HistogramAttribute")]
    [InlineData("LabelAttribute")]
    [InlineData("LabelValueAttribute")]
    [InlineData("MetricRegistry")]
    [InlineData("ExpositionFormat")]
    [InlineData("Counter")]
    [InlineData("Gauge")]
    [InlineData("Histogram")]
    [InlineData("DuplicateMetricException")]
    [InlineData("MetricCollectionException")]
    [InlineData("PrometheusExporter")]
    [InlineData("PrometheusExporterOptions")]
    [InlineData("PushgatewayClient")]
    [InlineData("PushgatewayOptions")]
    [InlineData("PushgatewayException")]
    [InlineData("ProcessCollector")]
    [InlineData("DotNetRuntimeCollector")]
    [InlineData("IMetricSource")]
    [InlineData("ExpositionWriter")]
    [InlineData("MetricDescriptor")]
    [InlineData("MetricType")]
    [InlineData("PooledBufferWriter")]
    public void WhatUsersWriteIsInTheMetricsGenNamespace(string name)
    {
        Type type = Assert.Single(Exported, exported => exported.Name == name);
        Assert.Equal("MetricsGen", type.Namespace);
        Assert.Null(type.GetCustomAttribute<EditorBrowsableAttribute>());
    }

    [Fact]
    public void TheHeaderTakingDescriptorConstructorIsNotPublic()
    {
        ConstructorInfo[] constructors = typeof(MetricDescriptor).GetConstructors();
        ConstructorInfo constructor = Assert.Single(constructors);
        Assert.DoesNotContain(constructor.GetParameters(), parameter => parameter.ParameterType == typeof(ReadOnlySpan<byte>));
    }

    [Fact]
    public void ADefaultExpositionWriterThrowsInsteadOfWritingNowhere()
    {
        var descriptor = new MetricDescriptor("jobs_total", MetricType.Counter, "Jobs.");
        var error = Assert.Throws<InvalidOperationException>(() =>
        {
            ExpositionWriter writer = default;
            if (writer.BeginFamily(descriptor))
            {
                writer.WriteSample(descriptor, default, 1);
            }
        });
        Assert.Contains("IMetricSource.Collect", error.Message);
        Assert.Throws<InvalidOperationException>(() =>
        {
            ExpositionWriter writer = default;
            writer.WriteRaw("x"u8);
        });
    }

    [Fact]
    public void TheExpositionWritersParameterlessConstructorRefusesToCompile()
    {
        ConstructorInfo constructor = Assert.Single(typeof(ExpositionWriter).GetConstructors());
        Assert.Empty(constructor.GetParameters());
        ObsoleteAttribute obsolete = Assert.IsType<ObsoleteAttribute>(constructor.GetCustomAttribute<ObsoleteAttribute>());
        Assert.True(obsolete.IsError);
    }

    [Theory]
    [InlineData("Runtime")]
    [InlineData("AspNetCore")]
    public void ShippedApiOnlyGrows(string project)
    {
        // Since 1.0.0 a library compiled against the package may run on any later 1.x: a shipped member must never
        // be removed or changed (a *REMOVED* line), and CompilerServices, which generated code calls, is shipped too.
        string folder = Path.Combine(RepositoryRoot(), project);
        string[] unshipped = File.ReadAllLines(Path.Combine(folder, "PublicAPI.Unshipped.txt"));
        string[] shipped = File.ReadAllLines(Path.Combine(folder, "PublicAPI.Shipped.txt"));
        Assert.DoesNotContain(unshipped, line => line.StartsWith("*REMOVED*", StringComparison.Ordinal));
        Assert.DoesNotContain(shipped, line => line.StartsWith("*REMOVED*", StringComparison.Ordinal));
        if (project == "Runtime")
        {
            Assert.Contains("MetricsGen.CompilerServices.KeyedFamily<TKey, TSeries>", shipped);
            Assert.Contains(shipped, line => line.StartsWith("MetricsGen.CompilerServices.MetricFamily<TSeries>.GetOrAdd<", StringComparison.Ordinal));
        }
    }

    private static string RepositoryRoot([CallerFilePath] string here = "") =>
        Path.GetDirectoryName(Path.GetDirectoryName(here))!;
}
