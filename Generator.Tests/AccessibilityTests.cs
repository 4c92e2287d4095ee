using Xunit;

namespace MetricsGen.Generator.Tests;

/// <summary>The generated Remove/Clear members take the metric member's accessibility keywords, as written.</summary>
public sealed class AccessibilityTests
{
    [Theory]
    [InlineData("public", "public")]
    [InlineData("internal", "internal")]
    [InlineData("protected internal", "protected internal")]
    [InlineData("internal protected", "internal protected")]
    [InlineData("private protected", "private protected")]
    [InlineData("private", "private")]
    public void RemoveAndClearTakeTheMembersAccessibility(string written, string expected)
    {
        GeneratorRun run = GeneratorHarness.Run($$"""
            using MetricsGen;
            [GatewayMetric]
            public partial class Metrics
            {
                [Counter(Help = "h")] {{written}} partial Counter Calls(string route);
            }
            """);
        Assert.Empty(run.Diagnostics);
        GeneratorHarness.AssertCompilesCleanly(run);
        Assert.Contains($"    {expected} bool RemoveCalls(string route)", run.SingleSource);
        Assert.Contains($"    {expected} void ClearCalls()", run.SingleSource);
    }
}
