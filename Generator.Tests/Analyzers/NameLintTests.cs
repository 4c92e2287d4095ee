using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using MetricsGen.Generator.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace MetricsGen.Generator.Tests.Analyzers;

/// <summary>
/// The name lints MG0034-MG0039 over real compilations: the class, the generator's output, then every
/// <see cref="NameLintAnalyzer"/> through <see cref="CompilationWithAnalyzers"/>. Each case lists what must be reported
/// as "ID suggested-name" ("-" for no suggestion); the look-alikes promtool 2.42 accepts (docs/diagnostics.md, "Name
/// lints", measured) must report nothing. tests/e2e/lints.sh holds the same rules against promtool itself.
/// </summary>
public sealed class NameLintTests
{
    [Theory]
    // MG0034: a non-base unit; converted only where the fix can scale the values.
    [InlineData("""[Histogram("latency_milliseconds", Help = "h")] public partial Histogram M();""", "MG0034 latency_seconds")]
    [InlineData("""[Gauge("payload_kilobytes", Help = "h")] public partial Gauge M { get; }""", "MG0034 payload_bytes")]
    [InlineData("""[Gauge("uptime_hours", Help = "h")] public partial Gauge M { get; }""", "MG0034 uptime_seconds")]
    [InlineData("""[Gauge("age_weeks", Help = "h")] public partial Gauge M { get; }""", "MG0034 -")]
    [InlineData("""[Gauge("link_bits", Help = "h")] public partial Gauge M { get; }""", "MG0034 -")]
    [InlineData("""[Gauge("heat_fahrenheit", Help = "h")] public partial Gauge M { get; }""", "MG0034 -")]
    [InlineData("""[Counter("sent_kilobytes", Help = "h")] public partial Counter M();""", "MG0034 sent_bytes")]
    // MG0035: an abbreviated unit, middle or end, also before the counter's _total.
    [InlineData("""[Histogram("latency_ms", Help = "h")] public partial Histogram M();""", "MG0035 latency_seconds")]
    [InlineData("""[Histogram("latency_ms", Unit = "ms", Help = "h")] public partial Histogram M();""", "MG0035 latency_seconds")]
    [InlineData("""[Gauge("size_kb", Help = "h")] public partial Gauge M { get; }""", "MG0035 size_bytes")]
    [InlineData("""[Gauge("wait_s_max", Help = "h")] public partial Gauge M { get; }""", "MG0035 wait_seconds_max")]
    [InlineData("""[Gauge("wait_s", Unit = "s", Help = "h")] public partial Gauge M { get; }""", "MG0035 -")]
    [InlineData("""[Gauge("size_b", Help = "h")] public partial Gauge M { get; }""", "MG0035 -")]
    [InlineData("""[Gauge("size_tb", Help = "h")] public partial Gauge M { get; }""", "MG0035 -")]
    [InlineData("""[Gauge("dist_m", Help = "h")] public partial Gauge M { get; }""", "MG0035 -")]
    [InlineData("""[Gauge("wait_MS", Help = "h")] public partial Gauge M { get; }""", "MG0035 wait_seconds")]
    [InlineData("""[Counter("requests_ms", Help = "h")] public partial Counter M();""", "MG0035 requests_seconds")]
    // MG0036: _total on what is exposed as no counter.
    [InlineData("""[Gauge("queue_total", Help = "h")] public partial Gauge M { get; }""", "MG0036 queue")]
    [InlineData("""[Histogram("wait_total", Help = "h")] public partial Histogram M();""", "MG0036 wait")]
    [InlineData("""[Summary("size_total", Help = "h")] public partial Summary M();""", "MG0036 size")]
    [InlineData("""[StateSet("phase_total", Help = "h")] public partial StateSet<Phase> M { get; }""", "MG0036 phase")]
    [InlineData("""[Gauge(Help = "h")] public partial Gauge QueueTotal { get; }""", "MG0036 queue")]
    // MG0037: histogram and summary names elsewhere; no suggestion.
    [InlineData("""[Gauge("items_count", Help = "h")] public partial Gauge M { get; }""", "MG0037 -")]
    [InlineData("""[Gauge("items_sum", Help = "h")] public partial Gauge M { get; }""", "MG0037 -")]
    [InlineData("""[Summary("parts_bucket", Help = "h")] public partial Summary M();""", "MG0037 -")]
    [InlineData("""[StateSet("phase_count", Help = "h")] public partial StateSet<Phase> M { get; }""", "MG0037 -")]
    [InlineData("""[Gauge("level", Help = "h")] public partial Gauge M(string le);""", "MG0037 -")]
    [InlineData("""[Counter("hits", Help = "h")] public partial Counter M([Label("le")] string bound);""", "MG0037 -")]
    // MG0038: a type name after the first word, the exposed name's (the counter's _total makes _counter a middle word).
    [InlineData("""[Counter("requests_counter", Help = "h")] public partial Counter M();""", "MG0038 requests")]
    [InlineData("""[Gauge("open_gauge", Help = "h")] public partial Gauge M { get; }""", "MG0038 open")]
    [InlineData("""[Histogram("wait_summary", Help = "h")] public partial Histogram M();""", "MG0038 wait")]
    [InlineData("""[Info("build_gauge", Help = "h")] public partial void M(string version);""", "MG0038 build")]
    [InlineData("""[Gauge("jobs_Histogram", Help = "h")] public partial Gauge M { get; }""", "MG0038 jobs")]
    [InlineData("""[Gauge("open_gauge_counter", Help = "h")] public partial Gauge M { get; }""", "MG0038 open_counter", "MG0038 open_gauge")]
    // MG0039: camelCase metric and label names, ':' in the name.
    [InlineData("""[Gauge("jobsRunning", Help = "h")] public partial Gauge M { get; }""", "MG0039 jobs_running")]
    [InlineData("""[StateSet("phaseNow", Help = "h")] public partial StateSet<Phase> M { get; }""", "MG0039 phase_now")]
    [InlineData("""[Gauge("jobs:running", Help = "h")] public partial Gauge M { get; }""", "MG0039 jobs_running")]
    [InlineData("""[Gauge("jobs", Help = "h")] public partial Gauge M([Label("jobKind")] string kind);""", "MG0039 job_kind")]
    // Several lints on one name.
    [InlineData("""[Gauge("waitMs_total", Help = "h")] public partial Gauge M { get; }""", "MG0036 waitMs", "MG0039 wait_ms_total")]
    public Task Reports(string member, params string[] expected) => AssertLintsAsync(Class(member), expected);

    [Theory]
    [InlineData("""[Histogram("latency_seconds", Unit = "seconds", Help = "h")] public partial Histogram M();""")]
    [InlineData("""[Gauge("payload_bytes", Help = "h")] public partial Gauge M { get; }""")]
    [InlineData("""[Gauge("temperature_celsius", Help = "h")] public partial Gauge M { get; }""")]
    [InlineData("""[Gauge("temperature_Minutes", Help = "h")] public partial Gauge M { get; }""")]
    [InlineData("""[Gauge("thermometers", Help = "h")] public partial Gauge M { get; }""")]
    [InlineData("""[Gauge("uptime_mebibytes", Help = "h")] public partial Gauge M { get; }""")]
    [InlineData("""[Gauge("uptime_seconds_minutes", Help = "h")] public partial Gauge M { get; }""")] // promtool: on some runs only
    [InlineData("""[Gauge("sms_sent", Help = "h")] public partial Gauge M { get; }""")]
    [InlineData("""[Gauge("s_left", Help = "h")] public partial Gauge M { get; }""")]
    [InlineData("""[Gauge("net_mbps", Help = "h")] public partial Gauge M { get; }""")]
    [InlineData("""[Counter("requests", Help = "h")] public partial Counter M();""")]
    [InlineData("""[Counter("requests_total", Help = "h")] public partial Counter M();""")]
    [InlineData("""[Counter("items_count", Help = "h")] public partial Counter M();""")]
    [InlineData("""[Info("build_total", Help = "h")] public partial void M(string version);""")]
    [InlineData("""[Histogram("wait_count", Help = "h")] public partial Histogram M();""")]
    [InlineData("""[Summary("rpc_count", Help = "h")] public partial Summary M();""")]
    [InlineData("""[Histogram("rpc_sum", Help = "h")] public partial Histogram M();""")]
    [InlineData("""[Gauge("counter_value", Help = "h")] public partial Gauge M { get; }""")]
    [InlineData("""[Gauge("open_gauges", Help = "h")] public partial Gauge M { get; }""")]
    [InlineData("""[Gauge("jobs_untyped", Help = "h")] public partial Gauge M { get; }""")]
    [InlineData("""[Gauge("HTTPRequests", Help = "h")] public partial Gauge M { get; }""")]
    [InlineData("""[Gauge(Help = "h")] public partial Gauge JobsRunning(string jobKind);""")]
    [InlineData("""[Histogram("wait_seconds", Help = "h")] public partial Histogram M(string path);""")]
    public Task Accepts(string member) => AssertLintsAsync(Class(member));

    [Fact]
    public Task ThePrefixCounts() => AssertLintsAsync(Class("""[Gauge("counter_value", Help = "h")] public partial Gauge M { get; }""", "app"), "MG0038 value");

    [Fact]
    public Task APrefixInCamelCase_NoSuggestion() => AssertLintsAsync(Class("""[Gauge("jobs", Help = "h")] public partial Gauge M { get; }""", "myApp"), "MG0039 -");

    [Fact]
    public async Task TheDiagnosticSitsOnTheNameLiteral()
    {
        Diagnostic diagnostic = Assert.Single(await LintAsync(Class("""[Histogram("latency_ms", Help = "h")] public partial Histogram M();""")));
        Assert.Equal("\"latency_ms\"", diagnostic.Location.SourceTree!.ToString().Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Equal(
            "Metric 'latency_ms' has the abbreviated unit 'ms' in its name; promtool wants the base unit spelled out (seconds, bytes), and renaming it means recording values in that unit",
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ANameFromTheMember_TheDiagnosticSitsOnTheAttribute()
    {
        Diagnostic diagnostic = Assert.Single(await LintAsync(Class("""[Gauge(Help = "h")] public partial Gauge QueueTotal { get; }""")));
        Assert.Equal("Gauge(Help = \"h\")", diagnostic.Location.SourceTree!.ToString().Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
    }

    [Fact]
    public void OneAnalyzerPerId()
    {
        ImmutableArray<DiagnosticAnalyzer> all = NameLintAnalyzer.CreateAll();
        Assert.All(all, analyzer => Assert.Single(analyzer.SupportedDiagnostics));
        Assert.Equal(new[] { "MG0034", "MG0035", "MG0036", "MG0037", "MG0038", "MG0039" }, all.Select(analyzer => analyzer.SupportedDiagnostics[0].Id));
        Assert.All(all, analyzer => Assert.Equal(DiagnosticSeverity.Warning, analyzer.SupportedDiagnostics[0].DefaultSeverity));
    }

    internal static string Class(string members, string? prefix = null) => $$"""
        using MetricsGen;
        public enum Phase { Idle, Busy }

        [GatewayMetric{{(prefix is null ? string.Empty : $"(Prefix = \"{prefix}\")")}}]
        public partial class Metrics
        {
            {{members}}
        }
        """;

    /// <summary>Asserts the lints reported, as "ID suggested-name", in any order.</summary>
    internal static async Task AssertLintsAsync(string source, params string[] expected)
    {
        var reported = (await LintAsync(source))
            .Select(diagnostic => diagnostic.Id + " " + (diagnostic.Properties.TryGetValue("MetricsGen.SuggestedName", out string? name) ? name : "-"))
            .OrderBy(text => text, System.StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(expected.OrderBy(text => text, System.StringComparer.Ordinal).ToArray(), reported);
    }

    /// <summary>The name lints' diagnostics on a source that must otherwise compile (generator output included).</summary>
    internal static async Task<ImmutableArray<Diagnostic>> LintAsync(string source)
    {
        GeneratorRun run = GeneratorHarness.Run(source);
        Assert.Empty(run.Diagnostics);
        var errors = run.OutputProblems.Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "The test source does not compile:\n" + string.Join("\n", errors));
        CompilationWithAnalyzers withAnalyzers = run.Output.WithAnalyzers(
            NameLintAnalyzer.CreateAll(),
            new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null, concurrentAnalysis: true, logAnalyzerExecutionTime: false));
        ImmutableArray<Diagnostic> diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        Assert.DoesNotContain(diagnostics, diagnostic => diagnostic.Id == "AD0001");
        return diagnostics;
    }
}
