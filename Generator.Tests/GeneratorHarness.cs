using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace MetricsGen.Generator.Tests;

/// <summary>The result of one generator run.</summary>
/// <param name="Driver">The driver after the run; run it again to test caching.</param>
/// <param name="Input">The compilation given to the generator.</param>
/// <param name="Output">The compilation with the generated sources added.</param>
/// <param name="Result">The generator's run result (sources, diagnostics, tracked steps).</param>
internal sealed record GeneratorRun(GeneratorDriver Driver, Compilation Input, Compilation Output, GeneratorRunResult Result)
{
    /// <summary>The diagnostics the generator reported.</summary>
    public ImmutableArray<Diagnostic> Diagnostics => Result.Diagnostics;

    /// <summary>The one generated source; fails when there is not exactly one.</summary>
    public string SingleSource => Assert.Single(Result.GeneratedSources).SourceText.ToString();

    /// <summary>Errors and warnings of the compilation including the generated sources.</summary>
    public IEnumerable<Diagnostic> OutputProblems => Output.GetDiagnostics()
        .Where(diagnostic => diagnostic.Severity is DiagnosticSeverity.Error or DiagnosticSeverity.Warning);
}

/// <summary>Compiles test sources against the runtime and runs <see cref="MetricsGenerator"/> over them.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview, DocumentationMode.Parse);

    private static readonly CSharpCompilationOptions CompilationOptions = new(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable,
        deterministic: true);

    private static readonly ImmutableArray<MetadataReference> References = Basic.Reference.Assemblies.Net100.References.All
        .Cast<MetadataReference>()
        .Append(MetadataReference.CreateFromFile(typeof(MetricsGen.Counter).Assembly.Location))
        .ToImmutableArray();

    public static SyntaxTree Parse(string source, string path = "Test.cs", CSharpParseOptions? options = null) =>
        CSharpSyntaxTree.ParseText(SourceText.From(source, System.Text.Encoding.UTF8), options ?? ParseOptions, path);

    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CreateCompilation(sources.Select((source, index) => Parse(source, $"Test{index}.cs")).ToArray());

    /// <summary>Compiles and runs the generator as a project with that language version would (for example C# 12 on net8.0).</summary>
    public static GeneratorRun RunWithLanguageVersion(LanguageVersion version, params string[] sources)
    {
        var options = new CSharpParseOptions(version, DocumentationMode.Parse);
        CSharpCompilation compilation = CreateCompilation(sources.Select((source, index) => Parse(source, $"Test{index}.cs", options)).ToArray());
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new MetricsGenerator().AsSourceGenerator() },
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true),
            parseOptions: options);
        return Run(driver, compilation);
    }

    public static CSharpCompilation CreateCompilation(params SyntaxTree[] trees) =>
        CSharpCompilation.Create("TestAssembly", trees, References, CompilationOptions);

    public static GeneratorDriver CreateDriver() => CSharpGeneratorDriver.Create(
        new[] { new MetricsGenerator().AsSourceGenerator() },
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true),
        parseOptions: ParseOptions);

    public static GeneratorRun Run(params string[] sources) => Run(CreateCompilation(sources));

    public static GeneratorRun Run(Compilation compilation) => Run(CreateDriver(), compilation);

    public static GeneratorRun Run(GeneratorDriver driver, Compilation compilation)
    {
        // The input must compile on its own apart from the members the generator implements.
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        GeneratorRunResult result = Assert.Single(driver.GetRunResult().Results);
        Assert.Null(result.Exception);
        return new GeneratorRun(driver, compilation, output, result);
    }

    /// <summary>Fails with a readable list when the compilation with generated code has errors or warnings.</summary>
    public static void AssertCompilesCleanly(GeneratorRun run)
    {
        List<Diagnostic> problems = run.OutputProblems.ToList();
        Assert.True(problems.Count == 0, "The compilation with generated code has problems:\n" + string.Join("\n", problems));
    }
}

/// <summary>
/// Source with one span marked as <c>[|text|]</c>: the markers are removed and the span remembered, so a test can
/// say exactly which syntax a diagnostic must point at.
/// </summary>
internal sealed record MarkedSource(string Source, TextSpan Span)
{
    private const string Open = "[|";
    private const string Close = "|]";

    public static MarkedSource Parse(string marked)
    {
        int start = marked.IndexOf(Open, StringComparison.Ordinal);
        Assert.True(start >= 0, "The source has no [| marker.");
        int end = marked.IndexOf(Close, start, StringComparison.Ordinal);
        Assert.True(end > start, "The source has no |] marker after [|.");
        Assert.True(marked.IndexOf(Open, end, StringComparison.Ordinal) < 0, "The source has more than one marked span.");
        string source = marked.Remove(end, Close.Length).Remove(start, Open.Length);
        return new MarkedSource(source, TextSpan.FromBounds(start, end - Open.Length));
    }

    public string MarkedText => Source.Substring(Span.Start, Span.Length);
}
