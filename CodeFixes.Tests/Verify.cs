using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MetricsGen.Generator.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace MetricsGen.CodeFixes.Tests;

/// <summary>
/// Runs a fix through the Roslyn code-fix test framework: the <see cref="DeclarationAnalyzer"/> must report the
/// marked diagnostics, the fix (and Fix All) must turn the source into the expected one, and the analyzer must
/// report nothing on the result.
/// </summary>
internal static class Verify<TFix>
    where TFix : CodeFixProvider, new()
{
    public static Task FixAsync(string source, string fixedSource, string? equivalenceKey = null) =>
        new Test<DeclarationAnalyzer> { TestCode = source, FixedCode = fixedSource, CodeActionEquivalenceKey = equivalenceKey }.RunAsync(CancellationToken.None);

    /// <summary>The analyzer reports the marked diagnostics, and the fix offers nothing for them.</summary>
    public static Task NoFixAsync(string source) =>
        new Test<DeclarationAnalyzer> { TestCode = source, FixedCode = source }.RunAsync(CancellationToken.None);

    public static Task FixWithAnalyzerAsync<TAnalyzer>(string source, string fixedSource)
        where TAnalyzer : DiagnosticAnalyzer, new() =>
        new Test<TAnalyzer> { TestCode = source, FixedCode = fixedSource }.RunAsync(CancellationToken.None);

    internal sealed class Test<TAnalyzer> : CSharpCodeFixTest<TAnalyzer, TFix, DefaultVerifier>
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        public Test()
        {
            // Nothing is downloaded: a reference set without a package, filled with the .NET 10 reference
            // assemblies the tests already carry (Basic.Reference.Assemblies) and the MetricsGen runtime.
            ReferenceAssemblies = new ReferenceAssemblies("net10.0");
            TestState.AdditionalReferences.AddRange(Basic.Reference.Assemblies.Net100.References.All);
            TestState.AdditionalReferences.Add(typeof(MetricsGen.Counter).Assembly);
            // The generator does not run here, so the partial members it would implement are the compiler's errors.
            CompilerDiagnostics = CompilerDiagnostics.None;
        }

        protected override ParseOptions CreateParseOptions() =>
            ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion.Preview);
    }
}
