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

        // Spread over the buckets the way the keyed family picks them (Fibonacci hashing of the whole hash). The raw
        // low bits alone are not enough for some seeds: with one 8-byte word of these strings constant, a single
        // folded multiply left a bucket of 1024 with 33-35 of them (about once in 300 seeds, simulated), which the
        // map's own bucket choice spreads again (worst 25 in 1,500 simulated seeds; the bound here is 32).
        const int buckets = 1024;
        int[] load = new int[buckets];
        foreach (int hash in hashes)
        {
            load[KeyedFamily<int, Counter>.BucketOf(hash, buckets)]++;
        }

        double expected = values.Count / (double)buckets;
        Assert.True(load.Max() < expected * 4, $"a bucket holds {load.Max()} values, expected about {expected}");
    }
}
