using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using MetricsGen.Generator;

namespace MetricsGen.Benchmarks;

/// <summary>
/// Case 8: the source generator driven by <see cref="CSharpGeneratorDriver"/> over compilations built once in setup.
/// A full run uses a fresh driver on a clone of the compilation (a clone drops the bound symbols, so the generator
/// pays for the binding it needs, as in a cold build). The incremental run starts from a driver that has already run
/// on the compilation and gives it the same compilation with one unrelated file edited.
/// The driver parses generated sources lazily (Roslyn 4.14), so the timings do not include the compiler parsing the
/// generated code (5.7 M characters for the 200 classes, over 100 ms) when the build goes on to compile it.
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp13);

    private CSharpCompilation _oneLargeClass = null!;
    private CSharpCompilation _oneLargeClassEdited = null!;
    private CSharpCompilation _manyClasses = null!;
    private CSharpCompilation _manyClassesEdited = null!;
    private GeneratorDriver _oneLargeClassWarm = null!;
    private GeneratorDriver _manyClassesWarm = null!;

    [GlobalSetup]
    public void Setup()
    {
        SyntaxTree shared = Parse("Shared.cs", "namespace Bench.Gen;\npublic enum Operation { Chat, Stream, Embed }\n");
        SyntaxTree unrelated = Parse("Unrelated.cs", UnrelatedSource(1));
        SyntaxTree unrelatedEdited = Parse("Unrelated.cs", UnrelatedSource(2));

        _oneLargeClass = Compile(new[] { shared, unrelated, Parse("Large.cs", MetricClass("Large", "large", 500)) });
        _oneLargeClassEdited = _oneLargeClass.ReplaceSyntaxTree(unrelated, unrelatedEdited);

        var trees = new List<SyntaxTree> { shared, unrelated };
        for (int c = 0; c < 200; c++)
        {
            trees.Add(Parse($"Class{c}.cs", MetricClass($"Class{c}", $"class{c}", 10)));
        }

        _manyClasses = Compile(trees);
        _manyClassesEdited = _manyClasses.ReplaceSyntaxTree(unrelated, unrelatedEdited);

        _oneLargeClassWarm = Check(NewDriver().RunGenerators(_oneLargeClass), _oneLargeClass, expectedSources: 1);
        _manyClassesWarm = Check(NewDriver().RunGenerators(_manyClasses), _manyClasses, expectedSources: 200);
    }

    [Benchmark]
    public GeneratorDriver OneClassOf500Metrics() => NewDriver().RunGenerators(_oneLargeClass.Clone());

    [Benchmark]
    public GeneratorDriver TwoHundredClassesOf10Metrics() => NewDriver().RunGenerators(_manyClasses.Clone());

    [Benchmark]
    public GeneratorDriver IncrementalUnrelatedEdit_OneClassOf500() => _oneLargeClassWarm.RunGenerators(_oneLargeClassEdited.Clone());

    [Benchmark]
    public GeneratorDriver IncrementalUnrelatedEdit_200ClassesOf10() => _manyClassesWarm.RunGenerators(_manyClassesEdited.Clone());

    internal static GeneratorDriver NewDriver() =>
        CSharpGeneratorDriver.Create(
            new[] { new MetricsGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: false));

    internal static SyntaxTree Parse(string path, string text) => CSharpSyntaxTree.ParseText(text, ParseOptions, path, Encoding.UTF8);

    internal static CSharpCompilation Compile(IEnumerable<SyntaxTree> trees) =>
        CSharpCompilation.Create(
            "GeneratorBench",
            trees,
            Basic.Reference.Assemblies.Net100.References.All.Append(MetadataReference.CreateFromFile(typeof(MetricRegistry).Assembly.Location)),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>Fails the setup unless the generator produced the expected sources and they compile cleanly.</summary>
    internal static GeneratorDriver Check(GeneratorDriver driver, CSharpCompilation input, int expectedSources)
    {
        GeneratorDriverRunResult result = driver.GetRunResult();
        if (result.GeneratedTrees.Length != expectedSources || !result.Diagnostics.IsEmpty)
        {
            throw new InvalidOperationException(
                $"Expected {expectedSources} generated sources and no diagnostics; got {result.GeneratedTrees.Length} and: "
                + string.Join("; ", result.Diagnostics));
        }

        ImmutableArray<Diagnostic> errors = input.AddSyntaxTrees(result.GeneratedTrees).GetDiagnostics()
            .Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error).ToImmutableArray();
        if (!errors.IsEmpty)
        {
            throw new InvalidOperationException("The generated code does not compile: " + string.Join("; ", errors.Take(5)));
        }

        return driver;
    }

    /// <summary>Ordinary code: 20 methods with attributes and 30-statement bodies.</summary>
    internal static string PlainSource(int file)
    {
        var source = new StringBuilder();
        source.AppendLine("namespace Bench.Plain;");
        source.AppendLine($"public class Plain{file}");
        source.AppendLine("{");
        for (int m = 0; m < 20; m++)
        {
            source.AppendLine($"    [System.Obsolete(\"Old.\")] public int Method{m}(int a)");
            source.AppendLine("    {");
            for (int s = 0; s < 30; s++)
            {
                source.AppendLine($"        if (a > {s}) {{ a = a * 3 + {s}; var list = new System.Collections.Generic.List<int> {{ a, {s} }}; a += list.Count; }}");
            }

            source.AppendLine("        return a;");
            source.AppendLine("    }");
        }

        source.AppendLine("}");
        return source.ToString();
    }

    private static string UnrelatedSource(int value) =>
        $"namespace Bench.Other;\npublic static class Unrelated\n{{\n    public static int Value => {value};\n}}\n";

    /// <summary>A class of <paramref name="metrics"/> metrics cycling through the shapes users declare.</summary>
    internal static string MetricClass(string className, string prefix, int metrics)
    {
        var source = new StringBuilder();
        source.AppendLine("using MetricsGen;");
        source.AppendLine("namespace Bench.Gen;");
        source.AppendLine($"[GatewayMetric(Prefix = \"{prefix}\")]");
        source.AppendLine($"public sealed partial class {className}");
        source.AppendLine("{");
        for (int i = 0; i < metrics; i++)
        {
            switch (i % 5)
            {
                case 0:
                    source.AppendLine($"    [Counter(\"requests_{i}_total\", Help = \"Requests {i}.\")]");
                    source.AppendLine($"    public partial Counter Requests{i}(string provider, string model, Operation operation);");
                    break;
                case 1:
                    source.AppendLine($"    [Gauge(\"level_{i}\", Help = \"Level {i}.\")]");
                    source.AppendLine($"    public partial Gauge Level{i} {{ get; }}");
                    break;
                case 2:
                    source.AppendLine($"    [Histogram(\"latency_{i}_seconds\", Help = \"Latency {i}.\", Buckets = new[] {{ 0.01, 0.1, 1.0, 10.0 }})]");
                    source.AppendLine($"    public partial Histogram Latency{i}(Operation operation);");
                    break;
                case 3:
                    source.AppendLine($"    [Counter(\"events_{i}_total\", Help = \"Events {i}.\")]");
                    source.AppendLine($"    public partial Counter Events{i}();");
                    break;
                default:
                    source.AppendLine($"    [Counter(\"tool_calls_{i}_total\", Help = \"Tool calls {i}.\")]");
                    source.AppendLine($"    public partial Counter ToolCalls{i}([Label(\"tool_name\")] string tool, bool cached);");
                    break;
            }
        }

        source.AppendLine("}");
        return source.ToString();
    }
}

/// <summary>
/// Case 8b: a project where metrics are a small part: 300 files of ordinary methods with attributes and bodies, and
/// 20 small metric classes. The generator's attribute searches must skip the plain files cheaply (a single
/// syntax-provider pass over every node was measured 30x slower here). Its own class, so that its large compilation
/// does not sit in the heap while case 8 is measured.
/// </summary>
[MemoryDiagnoser]
public class GeneratorProjectBenchmarks
{
    private CSharpCompilation _mostlyPlainCode = null!;

    [GlobalSetup]
    public void Setup()
    {
        var project = new List<SyntaxTree> { GeneratorBenchmarks.Parse("Shared.cs", "namespace Bench.Gen;\npublic enum Operation { Chat, Stream, Embed }\n") };
        for (int f = 0; f < 300; f++)
        {
            project.Add(GeneratorBenchmarks.Parse($"Plain{f}.cs", GeneratorBenchmarks.PlainSource(f)));
        }

        for (int c = 0; c < 20; c++)
        {
            project.Add(GeneratorBenchmarks.Parse($"Small{c}.cs", GeneratorBenchmarks.MetricClass($"Small{c}", $"small{c}", 2)));
        }

        _mostlyPlainCode = GeneratorBenchmarks.Compile(project);
        GeneratorBenchmarks.Check(GeneratorBenchmarks.NewDriver().RunGenerators(_mostlyPlainCode), _mostlyPlainCode, expectedSources: 20);
    }

    [Benchmark]
    public GeneratorDriver ThreeHundredPlainFilesAnd20SmallClasses() => GeneratorBenchmarks.NewDriver().RunGenerators(_mostlyPlainCode.Clone());
}

/// <summary>
/// Issue 22, part 4: what MetricsGen's analyzers add to a build. Each benchmark is the compiler's part of a build of
/// the project: the generator, then every diagnostic of the output compilation (which binds every method body), with
/// <see cref="Mode"/> saying which analyzers run through <see cref="CompilationWithAnalyzers"/>: none, one that does
/// nothing (the analyzer driver's own cost, which a build with the SDK's default analyzers pays anyway), or all of
/// MetricsGen's. The projects are those of <see cref="GeneratorBenchmarks"/> (200 classes of 10 metrics) and
/// <see cref="GeneratorProjectBenchmarks"/> (300 plain files and 20 small classes); with <see cref="CallSites"/> every
/// metric class also gets a file that calls its labelled metrics, a few with an unbounded value, so the analyzers
/// have call sites to trace and not only declarations.
/// </summary>
[MemoryDiagnoser]
public class AnalyzerCostBenchmarks
{
    /// <summary>
    /// Every <see cref="DiagnosticAnalyzer"/> of the generator assembly, found by type, so an analyzer added there is
    /// measured without a change here.
    /// </summary>
    internal static readonly ImmutableArray<DiagnosticAnalyzer> MetricsGenAnalyzers = typeof(MetricsGenerator).Assembly.GetTypes()
        .Where(type => !type.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(type)
            && type.GetCustomAttributes(typeof(DiagnosticAnalyzerAttribute), inherit: false).Length > 0)
        .OrderBy(type => type.FullName, StringComparer.Ordinal)
        .Select(type => (DiagnosticAnalyzer)Activator.CreateInstance(type)!)
        .ToImmutableArray();

    public enum AnalyzerMode
    {
        Off,
        NoOpAnalyzer,
        MetricsGen,
    }

    private CSharpCompilation _manyClasses = null!;
    private CSharpCompilation _mostlyPlainCode = null!;
    private ImmutableArray<DiagnosticAnalyzer> _analyzers;

    [Params(AnalyzerMode.Off, AnalyzerMode.NoOpAnalyzer, AnalyzerMode.MetricsGen)]
    public AnalyzerMode Mode { get; set; }

    /// <summary>Whether the projects have call sites of their metrics (one file per metric class).</summary>
    [Params(false, true)]
    public bool CallSites { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        if (MetricsGenAnalyzers.IsEmpty)
        {
            throw new InvalidOperationException("No DiagnosticAnalyzer in " + typeof(MetricsGenerator).Assembly.FullName);
        }

        _analyzers = Mode switch
        {
            AnalyzerMode.NoOpAnalyzer => ImmutableArray.Create<DiagnosticAnalyzer>(new NoOpAnalyzer()),
            AnalyzerMode.MetricsGen => MetricsGenAnalyzers,
            _ => ImmutableArray<DiagnosticAnalyzer>.Empty,
        };

        SyntaxTree shared = GeneratorBenchmarks.Parse("Shared.cs", "namespace Bench.Gen;\npublic enum Operation { Chat, Stream, Embed }\n");
        var many = new List<SyntaxTree> { shared };
        for (int c = 0; c < 200; c++)
        {
            many.Add(GeneratorBenchmarks.Parse($"Class{c}.cs", GeneratorBenchmarks.MetricClass($"Class{c}", $"class{c}", 10)));
            if (CallSites)
            {
                many.Add(GeneratorBenchmarks.Parse($"Usage{c}.cs", UsageSource($"Class{c}", 10)));
            }
        }

        var plain = new List<SyntaxTree> { shared };
        for (int f = 0; f < 300; f++)
        {
            plain.Add(GeneratorBenchmarks.Parse($"Plain{f}.cs", GeneratorBenchmarks.PlainSource(f)));
        }

        for (int c = 0; c < 20; c++)
        {
            plain.Add(GeneratorBenchmarks.Parse($"Small{c}.cs", GeneratorBenchmarks.MetricClass($"Small{c}", $"small{c}", 2)));
            if (CallSites)
            {
                plain.Add(GeneratorBenchmarks.Parse($"SmallUsage{c}.cs", UsageSource($"Small{c}", 2)));
            }
        }

        _manyClasses = GeneratorBenchmarks.Compile(many);
        _mostlyPlainCode = GeneratorBenchmarks.Compile(plain);
        if (Mode == AnalyzerMode.MetricsGen)
        {
            // The setup fails unless both builds compile cleanly and the analyzers report exactly the planted hazards.
            Check(_manyClasses, CallSites ? 200 * UnboundedCallsPer(10) : 0);
            Check(_mostlyPlainCode, CallSites ? 20 * UnboundedCallsPer(2) : 0);
        }
    }

    [Benchmark]
    public int TwoHundredClassesOf10() => Build(_manyClasses, _analyzers).Length;

    [Benchmark]
    public int ThreeHundredPlainFiles() => Build(_mostlyPlainCode, _analyzers).Length;

    private static ImmutableArray<Diagnostic> Build(CSharpCompilation project, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        GeneratorBenchmarks.NewDriver().RunGeneratorsAndUpdateCompilation(project.Clone(), out Compilation output, out _);
        return analyzers.IsEmpty
            ? output.GetDiagnostics()
            : output.WithAnalyzers(
                    analyzers,
                    new CompilationWithAnalyzersOptions(
                        new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                        onAnalyzerException: null,
                        concurrentAnalysis: true,
                        logAnalyzerExecutionTime: false))
                .GetAllDiagnosticsAsync().GetAwaiter().GetResult();
    }

    private static void Check(CSharpCompilation project, int expectedHazards)
    {
        ImmutableArray<Diagnostic> all = Build(project, MetricsGenAnalyzers);
        var errors = all.Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error || diagnostic.Id == "AD0001").ToList();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("The build has errors: " + string.Join("; ", errors.Take(5)));
        }

        int hazards = all.Count(diagnostic => diagnostic.Id == "MG0040");
        if (hazards != expectedHazards)
        {
            throw new InvalidOperationException($"Expected {expectedHazards} MG0040 warnings, got {hazards}.");
        }
    }

    /// <summary>The unbounded calls <see cref="UsageSource"/> writes for a class of <paramref name="metrics"/> metrics.</summary>
    private static int UnboundedCallsPer(int metrics) => Enumerable.Range(0, metrics).Count(i => i % 5 is 0 or 4);

    /// <summary>
    /// Calls of the labelled metrics of <see cref="GeneratorBenchmarks.MetricClass"/>: constants, parameters, enums,
    /// traced locals and interpolations that stay bounded, and one unbounded value per counter (a GUID, an exception
    /// message), as service code has them.
    /// </summary>
    private static string UsageSource(string className, int metrics)
    {
        var source = new StringBuilder();
        source.AppendLine("using System;");
        source.AppendLine("namespace Bench.Gen;");
        source.AppendLine($"public static class {className}Usage");
        source.AppendLine("{");
        source.AppendLine($"    public static void Record({className} m, string provider, Operation operation, Exception error, bool cached)");
        source.AppendLine("    {");
        source.AppendLine("        string model = \"gpt-\" + provider.Length;");
        for (int i = 0; i < metrics; i++)
        {
            switch (i % 5)
            {
                case 0:
                    source.AppendLine($"        m.Requests{i}(provider, \"base\", Operation.Chat).Inc();");
                    source.AppendLine($"        m.Requests{i}(provider, model, operation).Inc();");
                    source.AppendLine($"        string tag{i} = $\"{{provider}}-{i}\";");
                    source.AppendLine($"        m.Requests{i}(tag{i}, nameof(Record), operation).Inc();");
                    source.AppendLine($"        m.Requests{i}(provider, Guid.NewGuid().ToString(), operation).Inc();");
                    break;
                case 2:
                    source.AppendLine($"        m.Latency{i}(operation).Observe(0.5);");
                    break;
                case 4:
                    source.AppendLine($"        m.ToolCalls{i}(\"search\", cached).Inc();");
                    source.AppendLine($"        m.ToolCalls{i}(operation switch {{ Operation.Chat => \"chat\", _ => \"other\" }}, cached).Inc();");
                    source.AppendLine($"        m.ToolCalls{i}(error.Message, cached).Inc();");
                    break;
            }
        }

        source.AppendLine("    }");
        source.AppendLine("}");
        return source.ToString();
    }

// The baseline analyzer lives in this net10.0 tool only to be measured, never loaded by a compiler.
#pragma warning disable RS1036, RS1041, RS2008
    /// <summary>Registers an invocation syntax action that does nothing: what any analyzer costs the driver.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class NoOpAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Unused = new("BENCH0001", "Unused", "Unused", "Benchmark", DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Unused);

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterSyntaxNodeAction(_ => { }, SyntaxKind.InvocationExpression);
        }
    }
#pragma warning restore RS1036, RS1041, RS2008
}
