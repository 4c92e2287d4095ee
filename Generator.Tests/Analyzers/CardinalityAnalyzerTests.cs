using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using MetricsGen.Generator.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Diagnostics.Telemetry;
using Xunit;

namespace MetricsGen.Generator.Tests.Analyzers;

/// <summary>
/// MG0040 over real compilations: the metric class below, a usage file, the generator's output, the BCL and the real
/// ASP.NET Core reference assemblies of the installed SDK; then <see cref="CardinalityAnalyzer"/> through
/// <see cref="CompilationWithAnalyzers"/>. The argument that must be reported is marked <c>[|...|]</c>.
/// </summary>
public sealed class CardinalityAnalyzerTests
{
    internal const string MetricsSource = """
        using MetricsGen;
        namespace App;

        public enum Outcome { Ok, Failed }

        [GatewayMetric(Prefix = "http")]
        public sealed partial class HttpMetrics
        {
            [Counter("requests_total", Help = "Requests.")]
            public partial Counter Requests(string path);

            [Counter(Help = "Calls.")]
            public partial Counter Calls([Label("route")] string template, Outcome outcome, int code);

            [Histogram("latency_seconds", Help = "Latency.", Buckets = new[] { 0.1, 1.0 })]
            public partial Histogram Latency(Outcome outcome, bool cached);

            [Gauge(Help = "Jobs.")]
            public partial Gauge Jobs(long id);
        }
        """;

    private const string UsageTemplate = """
        using System;
        using System.Diagnostics;
        using System.IO;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Http.Extensions;
        using Microsoft.AspNetCore.Routing;
        using MetricsGen;
        namespace App;

        public static class Usage
        {
            private static string s_configured = "fixed";

            public static async Task Handle(HttpContext ctx, HttpMetrics metrics, string path, Outcome outcome, bool flag)
            {
                await Task.Yield();
                BODY
            }

            private static string Shorten(string? value) => value is null ? "none" : value.Length > 10 ? "long" : "short";

            private static void Fill(ref string value) => value = "filled";
        }
        """;

    /// <summary>The issue's eight call sites, each warned and naming its source.</summary>
    [Theory]
    [InlineData("metrics.Requests([|ctx.Request.Path.Value!|]).Inc();", "HttpRequest.Path")]
    [InlineData("metrics.Requests([|ctx.Request.QueryString.Value!|]).Inc();", "HttpRequest.QueryString")]
    [InlineData("metrics.Requests([|ctx.Request.Headers[\"User-Agent\"]!|]).Inc();", "HttpRequest.Headers")]
    [InlineData("metrics.Requests([|ctx.Request.GetDisplayUrl()|]).Inc();", "UriHelper.GetDisplayUrl()")]
    [InlineData("metrics.Requests([|Guid.NewGuid().ToString()|]).Inc();", "Guid.NewGuid()")]
    [InlineData("metrics.Requests([|DateTime.UtcNow.ToString(\"O\")|]).Inc();", "DateTime.UtcNow")]
    [InlineData("try { ctx.Abort(); } catch (InvalidOperationException ex) { metrics.Requests([|ex.Message|]).Inc(); }", "Exception.Message")]
    [InlineData("metrics.Requests([|Console.ReadLine()!|]).Inc();", "Console.ReadLine()")]
    public Task IssueCases_AreWarned(string body, string source) => AssertWarnsAsync(body, "path", "http_requests_total", source);

    /// <summary>More of the listed sources, and other label positions and types.</summary>
    [Theory]
    [InlineData("metrics.Requests([|ctx.Request.Query[\"q\"].ToString()|]).Inc();", "path", "http_requests_total", "HttpRequest.Query")]
    [InlineData("metrics.Requests([|ctx.Request.Headers.UserAgent.ToString()|]).Inc();", "path", "http_requests_total", "HttpRequest.Headers")]
    [InlineData("metrics.Requests([|ctx.Request.Cookies[\"session\"]!|]).Inc();", "path", "http_requests_total", "HttpRequest.Cookies")]
    [InlineData("metrics.Requests([|ctx.Request.RouteValues[\"id\"]?.ToString() ?? \"\"|]).Inc();", "path", "http_requests_total", "HttpRequest.RouteValues")]
    [InlineData("metrics.Requests([|ctx.Request.Host.Value!|]).Inc();", "path", "http_requests_total", "HttpRequest.Host")]
    [InlineData("metrics.Requests([|ctx.Request.GetEncodedPathAndQuery()|]).Inc();", "path", "http_requests_total", "UriHelper.GetEncodedPathAndQuery()")]
    [InlineData("metrics.Requests([|ctx.TraceIdentifier|]).Inc();", "path", "http_requests_total", "HttpContext.TraceIdentifier")]
    [InlineData("metrics.Requests([|ctx.User.Identity!.Name!|]).Inc();", "path", "http_requests_total", "IIdentity.Name")]
    [InlineData("metrics.Requests([|ctx.Connection.RemoteIpAddress!.ToString()|]).Inc();", "path", "http_requests_total", "ConnectionInfo.RemoteIpAddress")]
    [InlineData("metrics.Requests([|new StreamReader(ctx.Request.Body).ReadToEnd()|]).Inc();", "path", "http_requests_total", "TextReader.ReadToEnd()")]
    [InlineData("metrics.Requests([|(await Console.In.ReadLineAsync())!|]).Inc();", "path", "http_requests_total", "TextReader.ReadLineAsync()")]
    [InlineData("metrics.Requests([|Activity.Current!.TraceId.ToHexString()|]).Inc();", "path", "http_requests_total", "Activity.TraceId")]
    [InlineData("metrics.Calls([|ctx.Request.Path.Value!.ToLowerInvariant()|], outcome, 200).Inc();", "route", "http_calls_total", "HttpRequest.Path")]
    [InlineData("metrics.Calls(\"/\", outcome, [|Environment.TickCount|]).Inc();", "code", "http_calls_total", "Environment.TickCount")]
    [InlineData("metrics.Jobs([|Stopwatch.GetTimestamp()|]).Inc();", "id", "http_jobs", "Stopwatch.GetTimestamp()")]
    [InlineData("metrics.Jobs([|DateTime.UtcNow.Ticks|]).Inc();", "id", "http_jobs", "DateTime.UtcNow")]
    [InlineData("metrics.Jobs([|id: DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()|]).Inc();", "id", "http_jobs", "DateTimeOffset.UtcNow")]
    public Task OtherSources_AreWarned(string body, string label, string metric, string source) => AssertWarnsAsync(body, label, metric, source);

    /// <summary>
    /// A <c>Uri</c> or <c>PathString</c> value is unbounded by its type: warned even when it arrives as a parameter, so
    /// nothing in the method says where it came from.
    /// </summary>
    [Fact]
    public async Task TypedValues_FromParametersAreWarned()
    {
        string usage = Usage("metrics.Requests(\"/\").Inc();").Replace(
            "    private static void Fill(",
            """
                private static void Check(HttpMetrics metrics, Uri uri) => metrics.Requests(uri.AbsoluteUri).Inc();

                private static void CheckPath(HttpMetrics metrics, PathString path) => metrics.Requests(path.Value!).Inc();

                private static void Fill(
            """,
            StringComparison.Ordinal);
        ImmutableArray<Diagnostic> diagnostics = await AnalyzeAsync(usage);
        Assert.Equal(
            new[] { "gets PathString.Value,", "gets Uri.AbsoluteUri," },
            diagnostics.Select(diagnostic => diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture))
                .Select(message => message.Substring(message.IndexOf("gets ", StringComparison.Ordinal)).Split(' ')[0..2])
                .Select(words => string.Join(" ", words))
                .OrderBy(text => text, StringComparer.Ordinal));
    }

    /// <summary>Bounded values and values that are not traced: no warning.</summary>
    [Theory]
    [InlineData("metrics.Requests(\"/health\").Inc();")]
    [InlineData("const string Route = \"/orders/{id}\"; metrics.Requests(Route).Inc();")]
    [InlineData("metrics.Requests(nameof(Usage.Handle)).Inc();")]
    [InlineData("metrics.Requests(Outcome.Failed.ToString()).Inc();")]
    [InlineData("metrics.Requests(outcome.ToString()).Inc();")]
    [InlineData("metrics.Latency(outcome, flag).Observe(1);")]
    [InlineData("metrics.Requests((ctx.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? \"unmatched\").Inc();")]
    [InlineData("metrics.Requests(ctx.GetEndpoint()?.DisplayName ?? \"unmatched\").Inc();")]
    [InlineData("metrics.Requests(ctx.GetEndpoint()?.Metadata.GetMetadata<EndpointNameMetadata>()?.EndpointName ?? \"unmatched\").Inc();")]
    [InlineData("metrics.Requests(ctx.Request.Method).Inc();")]
    [InlineData("metrics.Requests(ctx.Request.Scheme + \"://\" + ctx.Request.Protocol).Inc();")]
    [InlineData("metrics.Calls(\"/\", outcome, ctx.Response.StatusCode).Inc();")]
    [InlineData("metrics.Calls(\"/\", outcome, ctx.Request.Path.Value!.Length).Inc();")]
    [InlineData("metrics.Requests(ctx.Request.Path.Value switch { \"/a\" => \"a\", \"/b\" => \"b\", _ => \"other\" }).Inc();")]
    [InlineData("metrics.Requests(ctx.Request.Path.HasValue ? \"set\" : \"empty\").Inc();")]
    [InlineData("metrics.Requests(path).Inc();")]
    [InlineData("metrics.Requests(s_configured).Inc();")]
    [InlineData("metrics.Requests(Shorten(ctx.Request.Path.Value)).Inc();")]
    [InlineData("string label = ctx.Request.Path.Value!; Fill(ref label); metrics.Requests(label).Inc();")]
    [InlineData("try { ctx.Abort(); } catch (Exception ex) { metrics.Requests(ex.GetType().Name).Inc(); }")]
    [InlineData("metrics.Calls(\"/\", outcome, DateTime.UtcNow.Hour).Inc();")]
    [InlineData("foreach (string key in ctx.Request.Headers.Keys) { metrics.Requests(key).Inc(); }")]
    [InlineData("if (ctx.Items[\"tenant\"] is string tenant) { metrics.Requests(tenant).Inc(); }")]
    [InlineData("Uri fixedUri = new Uri(\"http://localhost/\"); metrics.Requests(fixedUri.AbsoluteUri).Inc();")]
    [InlineData("metrics.Requests(new Uri(path).AbsoluteUri).Inc();")]
    public Task BoundedOrUntraced_IsSilent(string body) => AssertSilentAsync(body);

    /// <summary>The value followed through locals, concatenation and interpolation.</summary>
    [Theory]
    [InlineData("string p = ctx.Request.Path; metrics.Requests([|p|]).Inc();", "HttpRequest.Path")]
    [InlineData("var p = ctx.Request.Path.Value; var q = p; metrics.Requests([|q!|]).Inc();", "HttpRequest.Path")]
    [InlineData("metrics.Requests([|\"id-\" + Guid.NewGuid()|]).Inc();", "Guid.NewGuid()")]
    [InlineData("metrics.Requests([|string.Concat(\"a\", ctx.Request.QueryString.ToString())|]).Inc();", "HttpRequest.QueryString")]
    [InlineData("metrics.Requests([|$\"at {DateTime.UtcNow:O}\"|]).Inc();", "DateTime.UtcNow")]
    [InlineData("string agent = $\"ua:{ctx.Request.Headers.UserAgent}\"; metrics.Requests([|agent|]).Inc();", "HttpRequest.Headers")]
    [InlineData("string label = \"none\"; if (flag) { label = ctx.Request.Path.Value!; } metrics.Requests([|label|]).Inc();", "HttpRequest.Path")]
    [InlineData("string label = \"p:\"; label += ctx.Request.Path; metrics.Requests([|label|]).Inc();", "HttpRequest.Path")]
    [InlineData("string? label = null; label ??= Console.ReadLine(); metrics.Requests([|label!|]).Inc();", "Console.ReadLine()")]
    [InlineData("ctx.Request.Headers.TryGetValue(\"X-Tenant\", out var tenant); metrics.Requests([|tenant.ToString()|]).Inc();", "HttpRequest.Headers")]
    [InlineData("string id = flag ? \"none\" : Guid.NewGuid().ToString(\"N\"); metrics.Requests([|id|]).Inc();", "Guid.NewGuid()")]
    [InlineData("string kind = flag switch { true => \"t\", false => ctx.Request.Path.Value! }; metrics.Requests([|kind|]).Inc();", "HttpRequest.Path")]
    public Task Flow_IsFollowed(string body, string source) => AssertWarnsAsync(body, "path", "http_requests_total", source);

    [Fact]
    public async Task Message_NamesLabelMetricAndSource()
    {
        Diagnostic diagnostic = Assert.Single(await AnalyzeAsync(Usage("metrics.Requests(ctx.Request.Path.Value!).Inc();")));
        Assert.Equal(
            "Label 'path' of metric 'http_requests_total' gets HttpRequest.Path, which has no bound: every distinct value is a new series; pass a bounded value (a route template, an enum, a fixed set of strings)",
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.EndsWith("docs/diagnostics.md#mg0040", diagnostic.Descriptor.HelpLinkUri);
    }

    [Fact]
    public async Task Suppressed_ByPragma()
    {
        string source = Usage("""
            #pragma warning disable MG0040 // the path set is closed by the router in front of this service
                    metrics.Requests(ctx.Request.Path.Value!).Inc();
            #pragma warning restore MG0040
            """);
        await AssertSuppressedAsync(source);
    }

    [Fact]
    public async Task Suppressed_BySuppressMessage()
    {
        string source = Usage("metrics.Requests(ctx.Request.Path.Value!).Inc();").Replace(
            "    public static async Task Handle(",
            "    [System.Diagnostics.CodeAnalysis.SuppressMessage(\"MetricsGen\", \"MG0040\", Justification = \"Closed set.\")]\n    public static async Task Handle(",
            StringComparison.Ordinal);
        Assert.Contains("SuppressMessage", source, StringComparison.Ordinal);
        await AssertSuppressedAsync(source);
    }

    [Fact]
    public async Task Suppressed_BySeverityNone()
    {
        string source = Usage("metrics.Requests(ctx.Request.Path.Value!).Inc();");
        Assert.Single(await AnalyzeAsync(source));
        Assert.Empty(await AnalyzeAsync(source, options => options.WithSpecificDiagnosticOptions(
            new Dictionary<string, ReportDiagnostic> { ["MG0040"] = ReportDiagnostic.Suppress })));
    }

    [Fact]
    public async Task WithoutMetricsGen_RegistersNoAction()
    {
        CSharpCompilation plain = CSharpCompilation.Create(
            "Plain",
            new[] { GeneratorHarness.Parse("public static class P { public static string M() => System.Guid.NewGuid().ToString(); }") },
            Basic.Reference.Assemblies.Net100.References.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var analyzer = new CardinalityAnalyzer();
        CompilationWithAnalyzers withAnalyzers = plain.WithAnalyzers(
            ImmutableArray.Create<DiagnosticAnalyzer>(analyzer),
            new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null, concurrentAnalysis: false, logAnalyzerExecutionTime: true));
        Assert.Empty(await withAnalyzers.GetAnalyzerDiagnosticsAsync());
        AnalyzerTelemetryInfo telemetry = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, default);
        Assert.Equal(1, telemetry.CompilationStartActionsCount);
        Assert.Equal(0, telemetry.SyntaxNodeActionsCount + telemetry.OperationActionsCount);

        // With the runtime referenced, the same analyzer registers its one invocation action.
        CompilationWithAnalyzers metricsProject = Compile(Usage("metrics.Requests(\"/\").Inc();")).WithAnalyzers(
            ImmutableArray.Create<DiagnosticAnalyzer>(analyzer),
            new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null, concurrentAnalysis: false, logAnalyzerExecutionTime: true));
        Assert.Empty(await metricsProject.GetAnalyzerDiagnosticsAsync());
        Assert.Equal(1, (await metricsProject.GetAnalyzerTelemetryInfoAsync(analyzer, default)).SyntaxNodeActionsCount);
    }

    /// <summary>The metric class compiled into a referenced library (a shared telemetry project), called from this one.</summary>
    [Fact]
    public async Task MetricClassFromReferencedAssembly_IsChecked()
    {
        CSharpCompilation library = CSharpCompilation.Create(
            "TelemetryLibrary",
            new[] { GeneratorHarness.Parse(MetricsSource, "Metrics.cs") },
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        GeneratorRun generated = GeneratorHarness.Run(library);
        using var image = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult emitted = generated.Output.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));

        var marked = MarkedSource.Parse(Usage("metrics.Requests([|ctx.Request.Path.Value!|]).Inc();"));
        Compilation service = CSharpCompilation.Create(
            "Service",
            new[] { GeneratorHarness.Parse(marked.Source, "Usage.cs") },
            References.Value.Add(MetadataReference.CreateFromImage(image.ToArray())),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        Assert.Empty(service.GetDiagnostics().Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error));
        ImmutableArray<Diagnostic> diagnostics = await service.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new CardinalityAnalyzer()))
            .GetAnalyzerDiagnosticsAsync();
        Diagnostic diagnostic = Assert.Single(diagnostics);
        Assert.Equal(marked.Span, diagnostic.Location.SourceSpan);
        Assert.Contains("gets HttpRequest.Path,", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    /// <summary>A call through <c>?.</c>, and one beside a method group of the same member.</summary>
    [Theory]
    [InlineData("metrics?.Requests([|ctx.Request.Path.Value!|]).Inc();")]
    [InlineData("Func<string, Counter> requests = metrics.Requests; metrics.Requests([|ctx.TraceIdentifier|]).Inc();")]
    public Task OtherCallShapes_AreWarned(string body) =>
        AssertWarnsAnySourceAsync(body);

    private static async Task AssertWarnsAnySourceAsync(string markedBody)
    {
        var marked = MarkedSource.Parse(Usage(markedBody));
        Diagnostic diagnostic = Assert.Single(await AnalyzeAsync(marked.Source));
        Assert.Equal(marked.Span, diagnostic.Location.SourceSpan);
    }

    /// <summary>Asserts exactly one MG0040 on the marked argument, for the given label, metric and source.</summary>
    internal static async Task AssertWarnsAsync(string markedBody, string label, string metric, string source)
    {
        var marked = MarkedSource.Parse(Usage(markedBody));
        ImmutableArray<Diagnostic> diagnostics = await AnalyzeAsync(marked.Source);
        Assert.True(diagnostics.Length == 1, $"Expected one MG0040 at '{marked.MarkedText}', got:\n" + string.Join("\n", diagnostics));
        Diagnostic diagnostic = diagnostics[0];
        Assert.Equal("MG0040", diagnostic.Id);
        Assert.Equal(marked.Span, diagnostic.Location.SourceSpan);
        Assert.Equal("Usage.cs", diagnostic.Location.SourceTree!.FilePath);
        string message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.StartsWith($"Label '{label}' of metric '{metric}' gets {source}, which has no bound", message, StringComparison.Ordinal);
    }

    private static async Task AssertSilentAsync(string body)
    {
        ImmutableArray<Diagnostic> diagnostics = await AnalyzeAsync(Usage(body));
        Assert.True(diagnostics.IsEmpty, "Expected no MG0040, got:\n" + string.Join("\n", diagnostics));
    }

    /// <summary>Reported by the analyzer but suppressed: visible only when suppressed diagnostics are asked for.</summary>
    private static async Task AssertSuppressedAsync(string source)
    {
        Assert.Empty(await AnalyzeAsync(source));
        ImmutableArray<Diagnostic> all = await AnalyzeAsync(source, reportSuppressed: true);
        Diagnostic diagnostic = Assert.Single(all);
        Assert.Equal("MG0040", diagnostic.Id);
        Assert.True(diagnostic.IsSuppressed);
    }

    internal static string Usage(string body) => UsageTemplate.Replace("BODY", body, StringComparison.Ordinal);

    /// <summary>The metric class, the usage file and the generator's output, which must compile without errors.</summary>
    private static Compilation Compile(string usage, Func<CSharpCompilationOptions, CSharpCompilationOptions>? configure = null)
    {
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable);
        CSharpCompilation compilation = CSharpCompilation.Create(
            "CardinalityTest",
            new[] { GeneratorHarness.Parse(MetricsSource, "Metrics.cs"), GeneratorHarness.Parse(usage, "Usage.cs") },
            References.Value,
            configure?.Invoke(options) ?? options);
        GeneratorRun run = GeneratorHarness.Run(compilation);
        Assert.Empty(run.Diagnostics);
        List<Diagnostic> errors = run.Output.GetDiagnostics().Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "The test source does not compile:\n" + string.Join("\n", errors));
        return run.Output;
    }

    internal static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(
        string usage,
        Func<CSharpCompilationOptions, CSharpCompilationOptions>? configure = null,
        bool reportSuppressed = false)
    {
        CompilationWithAnalyzers withAnalyzers = Compile(usage, configure).WithAnalyzers(
            ImmutableArray.Create<DiagnosticAnalyzer>(new CardinalityAnalyzer()),
            new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                onAnalyzerException: null,
                concurrentAnalysis: true,
                logAnalyzerExecutionTime: false,
                reportSuppressedDiagnostics: reportSuppressed));
        ImmutableArray<Diagnostic> diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        // An analyzer that throws is reported as AD0001; that must fail the test, not pass as "silent".
        Assert.DoesNotContain(diagnostics, diagnostic => diagnostic.Id == "AD0001");
        return diagnostics;
    }

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() => Basic.Reference.Assemblies.Net100.References.All
        .Cast<MetadataReference>()
        .Append(MetadataReference.CreateFromFile(typeof(MetricsGen.Counter).Assembly.Location))
        .Concat(AspNetCoreReferenceAssemblies().Select(path => MetadataReference.CreateFromFile(path)))
        .ToImmutableArray());

    /// <summary>
    /// The ASP.NET Core reference assemblies of the SDK that runs the tests: from the running runtime
    /// (dotnet/shared/Microsoft.NETCore.App/VERSION) up to the dotnet root, then packs/Microsoft.AspNetCore.App.Ref.
    /// </summary>
    private static IEnumerable<string> AspNetCoreReferenceAssemblies()
    {
        string runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var roots = new List<string> { Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", "..")) };
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } dotnetRoot)
        {
            roots.Add(dotnetRoot);
        }

        int major = Environment.Version.Major;
        foreach (string root in roots)
        {
            string pack = Path.Combine(root, "packs", "Microsoft.AspNetCore.App.Ref");
            if (!Directory.Exists(pack))
            {
                continue;
            }

            string? refDirectory = Directory.GetDirectories(pack)
                .Where(version => Path.GetFileName(version).StartsWith(major + ".", StringComparison.Ordinal))
                .OrderByDescending(version => Version.TryParse(Path.GetFileName(version).Split('-')[0], out Version? parsed) ? parsed : new Version())
                .Select(version => Path.Combine(version, "ref", $"net{major}.0"))
                .FirstOrDefault(Directory.Exists);
            if (refDirectory is not null)
            {
                string[] assemblies = Directory.GetFiles(refDirectory, "*.dll");
                Assert.True(assemblies.Length > 0, $"No reference assemblies in {refDirectory}.");
                return assemblies;
            }
        }

        Assert.Fail($"The ASP.NET Core reference pack (packs/Microsoft.AspNetCore.App.Ref/{major}.*/ref/net{major}.0) was not found under {string.Join(" or ", roots)}; the MG0040 tests need it.");
        return Array.Empty<string>();
    }
}
