using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace MetricsGen.Generator.Tests;

/// <summary>
/// Snapshot checks in the Verify conventions: <c>Snapshots/&lt;TestClass&gt;.&lt;TestMethod&gt;.verified.cs</c> beside the
/// test source holds the accepted text. On a mismatch (or a missing file) the actual text is written to
/// <c>*.received.cs</c> and the test fails; with <c>METRICSGEN_ACCEPT_SNAPSHOTS=1</c> the actual text is written to
/// the verified file instead and the test passes.
/// </summary>
internal static class Snapshot
{
    public const string AcceptVariable = "METRICSGEN_ACCEPT_SNAPSHOTS";

    private static readonly Regex GeneratedCodeVersion = new(
        @"(GeneratedCode\(""MetricsGen"", "")[^""]*(""\))", RegexOptions.CultureInvariant);

    /// <summary>Replaces what changes from release to release, and normalises line endings.</summary>
    public static string Scrub(string text) =>
        GeneratedCodeVersion.Replace(text.Replace("\r\n", "\n"), "${1}{version}${2}");

    public static void Verify(string actual, string? suffix = null, [CallerFilePath] string testFile = "", [CallerMemberName] string testMethod = "")
    {
        string directory = Path.Combine(Path.GetDirectoryName(testFile)!, "Snapshots");
        string baseName = $"{Path.GetFileNameWithoutExtension(testFile)}.{testMethod}{(suffix is null ? string.Empty : "." + suffix)}";
        string verifiedPath = Path.Combine(directory, baseName + ".verified.cs");
        string receivedPath = Path.Combine(directory, baseName + ".received.cs");
        string scrubbed = Scrub(actual);

        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(verifiedPath, scrubbed, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            File.Delete(receivedPath);
            return;
        }

        string? verified = File.Exists(verifiedPath) ? File.ReadAllText(verifiedPath).Replace("\r\n", "\n") : null;
        if (verified == scrubbed)
        {
            File.Delete(receivedPath);
            return;
        }

        Directory.CreateDirectory(directory);
        File.WriteAllText(receivedPath, scrubbed, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        string message = verified is null
            ? $"No snapshot at {verifiedPath}. The actual text is in {receivedPath}; review it and rename it, or rerun with {AcceptVariable}=1."
            : $"Snapshot mismatch for {verifiedPath} (actual text in {receivedPath}; rerun with {AcceptVariable}=1 to accept):\n{Diff(verified, scrubbed)}";
        Assert.Fail(message);
    }

    /// <summary>The first differing line with a little context, marked - (verified) and + (received).</summary>
    internal static string Diff(string expected, string actual)
    {
        string[] expectedLines = expected.Split('\n');
        string[] actualLines = actual.Split('\n');
        int first = 0;
        while (first < expectedLines.Length && first < actualLines.Length && expectedLines[first] == actualLines[first])
        {
            first++;
        }

        var builder = new StringBuilder();
        builder.Append("First difference at line ").Append(first + 1).Append(" (verified has ").Append(expectedLines.Length)
            .Append(" lines, received ").Append(actualLines.Length).Append("):\n");
        for (int i = Math.Max(0, first - 3); i < first; i++)
        {
            builder.Append("  ").Append(expectedLines[i]).Append('\n');
        }

        for (int i = first; i < Math.Min(expectedLines.Length, first + 5); i++)
        {
            builder.Append("- ").Append(expectedLines[i]).Append('\n');
        }

        for (int i = first; i < Math.Min(actualLines.Length, first + 5); i++)
        {
            builder.Append("+ ").Append(actualLines[i]).Append('\n');
        }

        return builder.ToString();
    }
}
