using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using MetricsGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Xunit;

namespace MetricsGen.Generator.Tests;

/// <summary>
/// The models are the cache keys of the pipeline: nothing reachable from them may hold a compilation, a symbol or
/// syntax (which would keep old compilations alive and break caching), and they must be immutable.
/// </summary>
public sealed class ModelTests
{
    private static readonly Type[] Forbidden =
    {
        typeof(ISymbol),
        typeof(Compilation),
        typeof(SyntaxNode),
        typeof(SyntaxTree),
        typeof(Location),
        typeof(SemanticModel),
        typeof(SyntaxToken),
        typeof(SyntaxTrivia),
        typeof(SyntaxReference),
        typeof(AttributeData),
        typeof(TypedConstant),
    };

    // Every model feature at once, plus a rejected member so that diagnostics (with locations) are in the graph.
    private const string Source = """
        using MetricsGen;

        namespace Graph;

        public enum Kind { [LabelValue("a")] A = 1, B = 2 }

        public partial class Outer
        {
            [GatewayMetric(Prefix = "graph")]
            public partial class Metrics
            {
                /// <summary>Documented.</summary>
                [Counter]
                public partial Counter Events(string source, Kind kind, bool flag, int shard);

                [Histogram(Help = "h", Unit = "seconds", Buckets = new[] { 0.1, 1.0 })]
                public partial Histogram WaitSeconds(Kind kind);

                [Gauge(Help = "h")]
                public partial Gauge Level { get; }

                [Gauge]
                public partial Gauge Undocumented { get; }

                [Counter(Help = "h")]
                public partial Counter Broken(double notALabel);
            }
        }
        """;

    [Fact]
    public void ModelGraphHoldsNoCompilerObjects()
    {
        GeneratorRun run = GeneratorHarness.Run(Source);
        var roots = new List<object>();
        roots.AddRange(IncrementalTests.Outputs(run.Result, TrackingNames.ParseResults).Select(output => output.Value));
        roots.AddRange(IncrementalTests.Outputs(run.Result, TrackingNames.Models).Select(output => output.Value));
        roots.AddRange(IncrementalTests.Outputs(run.Result, TrackingNames.Diagnostics).Select(output => output.Value));

        // Make sure the walk sees what it is meant to see.
        var parseResult = Assert.IsType<MetricsGenerator.ParseResult>(roots[0]);
        Assert.NotNull(parseResult.Model);
        Assert.Contains(parseResult.Diagnostics, diagnostic => diagnostic.Location is not null);
        Assert.Contains(parseResult.Model!.Metrics, metric => metric.Labels.Count == 4);
        Assert.NotEmpty(parseResult.Model.Enums);

        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var seenTypes = new HashSet<Type>();
        foreach (object root in roots)
        {
            Walk(root, "root", visited, seenTypes);
        }

        // The walk reached every kind of model object.
        foreach (Type expected in new[] { typeof(MetricClassModel), typeof(MetricModel), typeof(LabelModel), typeof(EnumModel), typeof(EnumMemberModel), typeof(DiagnosticInfo), typeof(LocationInfo) })
        {
            Assert.Contains(expected, seenTypes);
        }
    }

    [Fact]
    public void TheWalkCatchesACompilerObject()
    {
        // A model smuggling a symbol in must be caught, so the walk above can fail.
        var compilation = GeneratorHarness.CreateCompilation("class C { }");
        var bad = new { Inner = new object[] { "fine", compilation.GetTypeByMetadataName("C")! } };
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Walk(bad, "root", new HashSet<object>(ReferenceEqualityComparer.Instance), new HashSet<Type>()));
    }

    [Fact]
    public void ModelTypesAreImmutable()
    {
        Type[] modelTypes = typeof(MetricsGenerator).Assembly.GetTypes()
            .Where(type => type.Namespace == typeof(MetricClassModel).Namespace || type == typeof(MetricsGenerator.ParseResult))
            .Where(type => !type.IsEnum && !type.IsAbstract && !typeof(Delegate).IsAssignableFrom(type) && !type.Name.StartsWith("<"))
            .ToArray();
        Assert.Contains(typeof(MetricModel), modelTypes);
        foreach (Type type in modelTypes)
        {
            foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            {
                Assert.True(field.IsInitOnly, $"{type.Name}.{field.Name} is not readonly.");
            }

            foreach (PropertyInfo property in type.GetProperties(BindingFlags.Instance | BindingFlags.Public))
            {
                MethodInfo? setter = property.SetMethod;
                bool initOnly = setter is null || setter.ReturnParameter.GetRequiredCustomModifiers().Any(modifier => modifier.Name == "IsExternalInit");
                Assert.True(initOnly, $"{type.Name}.{property.Name} has a setter.");
            }
        }
    }

    private static void Walk(object? value, string path, HashSet<object> visited, HashSet<Type> seenTypes)
    {
        if (value is null)
        {
            return;
        }

        Type type = value.GetType();
        foreach (Type forbidden in Forbidden)
        {
            Assert.False(forbidden.IsAssignableFrom(type), $"The model graph holds a {forbidden.Name} ({type.FullName}) at {path}.");
        }

        if (type.IsPrimitive || type.IsEnum || value is string || value is decimal)
        {
            return;
        }

        if (!type.IsValueType && !visited.Add(value))
        {
            return;
        }

        seenTypes.Add(type);
        Assert.True(path.Count(c => c == '.') < 64, "The model graph is suspiciously deep at " + path);

        if (value is IEnumerable sequence and not string)
        {
            int index = 0;
            foreach (object? item in sequence)
            {
                Walk(item, $"{path}[{index++}]", visited, seenTypes);
            }
        }

        for (Type? current = type; current is not null && current != typeof(object); current = current.BaseType)
        {
            foreach (FieldInfo field in current.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                Walk(field.GetValue(value), path + "." + field.Name, visited, seenTypes);
            }
        }
    }
}
