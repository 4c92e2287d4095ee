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
    public void EqualAgreesWithOrdinalEqualityAtEveryLengthAndPosition()
    {
        Assert.True(LabelHash.Equal(null, null));
        Assert.False(LabelHash.Equal(null, ""));
        Assert.False(LabelHash.Equal("", null));
        Assert.True(LabelHash.Equal("", new string('x', 0)));

        // Every length around the 4-, 8- and 16-character boundaries of the overlapping loads and past them, each
        // against an equal copy, a copy with one character changed at every position, and a longer string.
        var random = new System.Random(16);
        for (int length = 0; length <= 40; length++)
        {
            char[] chars = new char[length];
            for (int i = 0; i < length; i++)
            {
                chars[i] = (char)random.Next(0x20, 0x2FF);
            }

            string text = new string(chars);
            Assert.True(LabelHash.Equal(text, new string(chars)), $"equal copies of length {length}");
            for (int position = 0; position < length; position++)
            {
                foreach (int bit in new[] { 0, 7, 8, 15 })
                {
                    char[] changed = (char[])chars.Clone();
                    changed[position] ^= (char)(1 << bit);
                    Assert.False(LabelHash.Equal(text, new string(changed)), $"length {length}, bit {bit} of character {position} changed");
                }
            }

            Assert.False(LabelHash.Equal(text, text + "x"));
            Assert.False(LabelHash.Equal(text + "x", text));
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
