using System;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;
using MetricsGen.CompilerServices;

namespace MetricsGen.Meters;

/// <summary>How a tag value compares: by content for strings, by value for numbers and bools.</summary>
internal enum TagKind : byte
{
    Null,
    String,
    Integer,
    Unsigned,
    Double,
    Single,
    Boolean,
}

/// <summary>
/// A tag value in comparable form, read from the measurement's <c>object?</c> without allocating for strings, bools
/// and the BCL's numbers; any other type is compared by its invariant-culture text (which allocates).
/// </summary>
internal readonly struct TagValue
{
    public readonly string? Text;
    public readonly long Bits;
    public readonly TagKind Kind;

    private TagValue(string? text, long bits, TagKind kind)
    {
        Text = text;
        Bits = bits;
        Kind = kind;
    }

    public static TagValue Of(object? value) => value switch
    {
        string text => new TagValue(text, 0, TagKind.String),
        null => default,
        int number => Integer(number),
        long number => Integer(number),
        bool flag => new TagValue(null, flag ? 1 : 0, TagKind.Boolean),
        double number => new TagValue(null, BitConverter.DoubleToInt64Bits(number), TagKind.Double),
        short number => Integer(number),
        byte number => Integer(number),
        sbyte number => Integer(number),
        ushort number => Integer(number),
        uint number => Integer(number),
        ulong number => number <= long.MaxValue ? Integer((long)number) : new TagValue(null, (long)number, TagKind.Unsigned),
        float number => new TagValue(null, BitConverter.SingleToInt32Bits(number), TagKind.Single),
        _ => new TagValue(FormatOther(value), 0, TagKind.String),
    };

    public int Hash => Kind == TagKind.String ? LabelHash.Of(Text) : Mix((ulong)Bits * 0x9E3779B97F4A7C15UL + (ulong)Kind);

    public bool Equals(in TagValue other) =>
        Kind == other.Kind && Bits == other.Bits && (Kind != TagKind.String || string.Equals(Text, other.Text, StringComparison.Ordinal));

    /// <summary>The label value: invariant culture, <c>true</c>/<c>false</c>, empty for null.</summary>
    public string ToLabelValue() => Kind switch
    {
        TagKind.String => Text!,
        TagKind.Integer => Bits.ToString(CultureInfo.InvariantCulture),
        TagKind.Unsigned => ((ulong)Bits).ToString(CultureInfo.InvariantCulture),
        TagKind.Double => BitConverter.Int64BitsToDouble(Bits).ToString(CultureInfo.InvariantCulture),
        TagKind.Single => BitConverter.Int32BitsToSingle((int)Bits).ToString(CultureInfo.InvariantCulture),
        TagKind.Boolean => Bits != 0 ? "true" : "false",
        _ => string.Empty,
    };

    private static TagValue Integer(long value) => new(null, value, TagKind.Integer);

    private static string FormatOther(object value) =>
        (value is IFormattable formattable ? formattable.ToString(null, CultureInfo.InvariantCulture) : value.ToString()) ?? string.Empty;

    internal static int Mix(ulong value)
    {
        value ^= value >> 33;
        value *= 0xFF51AFD7ED558CCDUL;
        value ^= value >> 33;
        return (int)value ^ (int)(value >> 32);
    }
}

/// <summary>One tag of a stored key: the attribute name as the instrument gave it and its value.</summary>
internal readonly struct TagEntry
{
    public readonly string Name;
    public readonly TagValue Value;

    public TagEntry(string name, TagValue value)
    {
        Name = name;
        Value = value;
    }
}

/// <summary>
/// The key of a bridged series: its tags sorted by name with each name once. Incoming tags are hashed and compared
/// against a stored key in any order, without sorting or allocating: the hash is a sum over the tags, and the
/// comparison finds each incoming name in the key.
/// </summary>
internal static class TagKey
{
    /// <summary>The most tags compared in place; a measurement with more takes the (allocating) slow path.</summary>
    public const int MaxInPlace = 64;

    /// <summary>The order-independent hash of a tag set.</summary>
    public static int Hash(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        int hash = 0;
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            hash += Combine(tag.Key ?? string.Empty, TagValue.Of(tag.Value));
        }

        return hash;
    }

    /// <summary>The hash of a stored key; equal to <see cref="Hash(ReadOnlySpan{KeyValuePair{string, object}})"/> of the same tags.</summary>
    public static int Hash(TagEntry[] key)
    {
        int hash = 0;
        foreach (TagEntry entry in key)
        {
            hash += Combine(entry.Name, entry.Value);
        }

        return hash;
    }

    /// <summary>Whether <paramref name="tags"/>, in any order, are exactly the tags of <paramref name="key"/>.</summary>
    public static bool Matches(TagEntry[] key, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (key.Length != tags.Length || tags.Length > MaxInPlace)
        {
            return false;
        }

        ulong seen = 0;
        for (int i = 0; i < tags.Length; i++)
        {
            string name = tags[i].Key ?? string.Empty;

            // Callers usually pass their tags in one order every time: try the same position first.
            int at = i;
            if (!ReferenceEquals(key[at].Name, name) && !string.Equals(key[at].Name, name, StringComparison.Ordinal))
            {
                at = IndexOf(key, name);
                if (at < 0)
                {
                    return false;
                }
            }

            if (!key[at].Value.Equals(TagValue.Of(tags[i].Value)))
            {
                return false;
            }

            seen |= 1UL << at;
        }

        // Each stored name met once: a repeated incoming name would leave one unmet.
        return BitOperations.PopCount(seen) == key.Length;
    }

    /// <summary>Whether two stored keys are equal.</summary>
    public static bool Equal(TagEntry[] left, TagEntry[] right)
    {
        if (left.Length != right.Length)
        {
            return false;
        }

        for (int i = 0; i < left.Length; i++)
        {
            if (!string.Equals(left[i].Name, right[i].Name, StringComparison.Ordinal) || !left[i].Value.Equals(right[i].Value))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The stored key of <paramref name="tags"/>: sorted by name (ordinal); of a repeated name the last value.</summary>
    public static TagEntry[] Create(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var entries = new List<TagEntry>(tags.Length);
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            string name = tag.Key ?? string.Empty;
            int existing = entries.FindIndex(entry => string.Equals(entry.Name, name, StringComparison.Ordinal));
            var entry = new TagEntry(name, TagValue.Of(tag.Value));
            if (existing >= 0)
            {
                entries[existing] = entry;
            }
            else
            {
                entries.Add(entry);
            }
        }

        entries.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return entries.ToArray();
    }

    private static int IndexOf(TagEntry[] key, string name)
    {
        for (int i = 0; i < key.Length; i++)
        {
            if (string.Equals(key[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private static int Combine(string name, in TagValue value) =>
        TagValue.Mix(((ulong)(uint)LabelHash.Of(name) << 32) | (uint)value.Hash);
}
