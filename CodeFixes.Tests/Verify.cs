using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MetricsGen.Generator;
using MetricsGen.Generator.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace MetricsGen.CodeFixes.Tests;

/// <summary>
/// Runs a fix through the Roslyn code-fix test framework: the <see cref="DeclarationAnalyzer"/>s must report the
/// marked diagnostics, the fix (and Fix All) must turn the source into the expected one, and the analyzer must
/// report nothing on the result.
/// </summary>
internal static class Verify<TFix>
    where TFix : CodeFixProvider, new()
{
    public static Task FixAsync(string source, string fixedSource, string? equivalenceKey = null) =>
        new Test<ClassNotPartialAnalyzer> { TestCode = source, FixedCode = fixedSource, CodeActionEquivalenceKey = equivalenceKey }.RunAsync(CancellationToken.None);

    /// <summary>The analyzer reports the marked diagnostics, and the fix offers nothing for them.</summary>
    public static Task NoFixAsync(string source) =>
        new Test<ClassNotPartialAnalyzer> { TestCode = source, FixedCode = source }.RunAsync(CancellationToken.None);

    /// <summary>Generator and analyzer over valid code, as in a build: no diagnostic from either.</summary>
    public static Task CleanBuildAsync(string source) =>
        new Test<ClassNotPartialAnalyzer> { TestCode = source, FixedCode = source, WithGenerator = true }.RunAsync(CancellationToken.None);

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
            // A skipped member's "must have an implementation part" and the like: the compiler's, not the analyzer's.
            CompilerDiagnostics = CompilerDiagnostics.None;
            // What the generator writes is its own tests' business (snapshots); here it only has to be there.
            TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
        }

        /// <summary>
        /// Runs the generator too, as a real build does, so that the analyzer sees the members it implemented. Off
        /// for the fix tests: the testing library expects the generator's own copy of each diagnostic as well.
        /// </summary>
        public bool WithGenerator { get; init; }

        /// <summary>Every declaration analyzer at once (each reports one ID), as the package loads them.</summary>
        protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() =>
            typeof(DeclarationAnalyzer).IsAssignableFrom(typeof(TAnalyzer)) ? DeclarationAnalyzer.CreateAll() : base.GetDiagnosticAnalyzers();

        protected override IEnumerable<Type> GetSourceGenerators() => WithGenerator ? new[] { typeof(MetricsGenerator) } : Array.Empty<Type>();

        protected override ParseOptions CreateParseOptions() =>
            ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion.Preview);
    }
}
