using System.Text;
using Xunit;

namespace MetricsGen.Runtime.Tests.Push;

/// <summary>Finding grouping labels in the sample lines of a text exposition.</summary>
public sealed class ExpositionLabelScannerTests
{
    private static int Find(string text, params string[] names)
    {
        byte[][] bytes = new byte[names.Length][];
        for (int i = 0; i < names.Length; i++)
        {
            bytes[i] = Encoding.ASCII.GetBytes(names[i]);
        }

        return ExpositionLabelScanner.FindLabel(Encoding.UTF8.GetBytes(text), bytes);
    }

    [Fact]
    public void FindsALabelOfASampleLine()
    {
        const string text = "# HELP m Help.\n# TYPE m gauge\nm{room=\"a\",instance=\"db-1\"} 1\n";
        Assert.Equal(1, Find(text, "job", "instance"));
        Assert.Equal(-1, Find(text, "job", "path"));
    }

    [Fact]
    public void CommentsAndUnlabelledSamplesHaveNoLabels()
    {
        const string text = "# HELP m instance=\"x\" {instance=\"y\"}\n# TYPE m gauge\nm 1\nn_total 2\n";
        Assert.Equal(-1, Find(text, "instance"));
    }

    [Fact]
    public void LabelValuesAreSkippedEscapeAware()
    {
        // The value holds an escaped quote, a backslash, an escaped newline and text that looks like labels.
        const string text = "m{a=\"x\\\",instance=\\\"y\\\\\",b=\"1\\ninstance=\\\"z\\\"\",c=\"{job=\\\"q\\\"}\"} 1\n";
        Assert.Equal(-1, Find(text, "instance", "job"));
        Assert.Equal(0, Find(text, "c"));
        Assert.Equal(0, Find(text, "b"));
    }

    [Fact]
    public void AMatchMustBeTheWholeName()
    {
        const string text = "m{instances=\"1\",xjob=\"2\"} 1\n";
        Assert.Equal(-1, Find(text, "instance", "job"));
    }

    [Fact]
    public void HistogramBucketsAndLaterLinesAreSeen()
    {
        const string text = "h_bucket{le=\"1.0\"} 0\nh_bucket{le=\"+Inf\"} 0\nh_sum 0\nh_count 0\ng{shard=\"3\"} 1\n";
        Assert.Equal(0, Find(text, "shard"));
        Assert.Equal(0, Find(text, "le"));
    }

    [Fact]
    public void NonAsciiLabelValuesDoNotConfuseTheScan()
    {
        const string text = "m{v=\"日本 \\\" 🎉\",job=\"x\"} 1\n";
        Assert.Equal(0, Find(text, "job"));
    }

    [Fact]
    public void TextWithoutFinalNewlineAndEmptyTextAreFine()
    {
        Assert.Equal(0, Find("m{job=\"x\"} 1", "job"));
        Assert.Equal(-1, Find("", "job"));
    }
}
