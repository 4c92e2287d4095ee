using System.IO;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Xunit;

namespace MetricsGen.Generator.Tests;

/// <summary>Generated code names the package version that produced it, taken from the one place it is set.</summary>
public sealed class VersionTests
{
    [Fact]
    public void GeneratedCodeAttributeCarriesThePackageVersion()
    {
        string version = PackageVersion();
        GeneratorRun run = GeneratorHarness.Run("""
            using MetricsGen;
            [GatewayMetric]
            public partial class Metrics
            {
                [Counter(Help = "Calls.")] public partial Counter Calls(string route);
            }
            """);

        Assert.Equal(version, MetricsGenerator.Version);
        Assert.Contains($"[global::System.CodeDom.Compiler.GeneratedCode(\"MetricsGen\", \"{version}\")]", run.SingleSource);
    }

    private static string PackageVersion([CallerFilePath] string testFile = "")
    {
        string props = File.ReadAllText(Path.Combine(Path.GetDirectoryName(testFile)!, "..", "Directory.Build.props"));
        Match match = Regex.Match(props, "<MetricsGenVersion>([^<]+)</MetricsGenVersion>");
        Assert.True(match.Success, "Directory.Build.props sets no MetricsGenVersion.");
        return match.Groups[1].Value;
    }
}
