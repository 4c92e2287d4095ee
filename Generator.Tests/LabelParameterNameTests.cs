using Xunit;

namespace MetricsGen.Generator.Tests;

/// <summary>
/// Label parameters may have any name: the generated members must not declare locals, parameters or key fields
/// that clash with them (these all failed to compile once: a parameter named <c>key</c>, <c>slot</c>, <c>labels</c>,
/// <c>series</c>, <c>fooIndex</c> next to <c>foo</c>, or <c>equals</c>).
/// </summary>
public sealed class LabelParameterNameTests
{
    [Theory]
    // Closed label sets: the slot path.
    [InlineData("bool slot, bool other")]
    [InlineData("bool labels")]
    [InlineData("bool flag, bool flagIndex")]
    [InlineData("bool slot, [Label(\"slot2\")] bool __slot")]
    [InlineData("[Label(\"a\")] bool __slot, [Label(\"b\")] bool __key, [Label(\"c\")] bool ___labels")]
    // Open label sets: the map path and its key struct.
    [InlineData("string key")]
    [InlineData("string series")]
    [InlineData("string labels")]
    [InlineData("string key, string series, string labels, bool slot")]
    [InlineData("string tag, [Label(\"tag2\")] string Tag")]
    [InlineData("string equals, string getHashCode, string toString, string hitsLabels, string value0, string other, string obj")]
    [InlineData("string @event, int @class, bool @bool")]
    [InlineData("string? maybe, string value")]
    [InlineData("string hash, string a1, string a2, string a3, string a4, string a5, string a6, string a7, string a8")]
    public void GeneratedCodeCompilesWhateverTheParameterNames(string parameters)
    {
        GeneratorRun run = GeneratorHarness.Run($$"""
            using MetricsGen;
            [GatewayMetric]
            public partial class M
            {
                [Counter(Help = "h")] public partial Counter Hits({{parameters}});
            }
            """);
        Assert.Empty(run.Diagnostics);
        GeneratorHarness.AssertCompilesCleanly(run);
    }
}
