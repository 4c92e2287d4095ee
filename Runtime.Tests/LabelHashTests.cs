using System.Collections.Generic;
using System.Linq;
using Xunit;
using MetricsGen.CompilerServices;

namespace MetricsGen.Runtime.Tests;

public class LabelHashTests
{
    [Fact]
    public void EqualStringsHashEquallyWhateverTheInstance()
    {
        foreach (string text in new[] { "", "a", "ab", "abc", "openai", "gpt-4o-mini", "кириллица", "emoji 🚀", new string('x', 1000) })
        {
            string copy = new string(text.ToCharArray());
            Assert.Equal(LabelHash.Of(text), LabelHash.Of(copy));
        }
    }

    [Fact]
    public void SimilarStringsSpreadOverBuckets()
    {
        // Strings that differ in one character, in every position of the 8-byte rounds and the tail.
        var values = new List<string>();
        for (int i = 0; i < 4096; i++)
        {
            values.Add($"tenant-{i:D5}");
            values.Add($"{i:D5}-suffix-of-some-length");
        }

        int[] hashes = values.Select(LabelHash.Of).ToArray();
        Assert.True(hashes.Distinct().Count() > values.Count - 4, "full 32-bit hashes must almost never collide");

        // The low bits pick the bucket (after the map's mixing, but they should already be spread).
        const int buckets = 1024;
        int[] load = new int[buckets];
        foreach (int hash in hashes)
        {
            load[hash & (buckets - 1)]++;
        }

        double expected = values.Count / (double)buckets;
        Assert.True(load.Max() < expected * 4, $"a bucket holds {load.Max()} values, expected about {expected}");
    }
}
