using System;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
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
/// The key of a bridged series: its tags, each name once, in the order first seen. Incoming tags are hashed and
/// compared against a stored key in any order, without sorting or allocating: the hash is a sum over the tag values
/// (names are left out: tag sets differ by their values far more often, and the comparison settles the rest), and the
/// comparison finds each incoming name in the key, trying the same position first.
/// </summary>
internal static class TagKey
{
    /// <summary>The most tags compared in place; a measurement with more takes the (allocating) slow path.</summary>
    public const int MaxInPlace = 64;

    /// <summary>The order-independent hash of a tag set.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Hash(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        int hash = 0;
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            // Strings first and inline: nearly every tag value is one.
            hash += tag.Value is string text ? LabelHash.Of(text) : TagValue.Of(tag.Value).Hash;
        }

        return hash;
    }

    /// <summary>The hash of a stored key; equal to <see cref="Hash(ReadOnlySpan{KeyValuePair{string, object}})"/> of the same tags.</summary>
    public static int Hash(TagEntry[] key)
    {
        int hash = 0;
        foreach (TagEntry entry in key)
        {
            hash += entry.Value.Hash;
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
        bool inOrder = true;
        for (int i = 0; i < tags.Length; i++)
        {
            string name = tags[i].Key ?? string.Empty;

            // Callers usually pass their tags in one order every time, with the same name strings (literals).
            int at = i;
            if (!ReferenceEquals(key[at].Name, name) && !string.Equals(key[at].Name, name, StringComparison.Ordinal))
            {
                at = IndexOf(key, name);
                if (at < 0)
                {
                    return false;
                }

                inOrder = false;
            }

            object? value = tags[i].Value;
            ref readonly TagValue stored = ref key[at].Value;
            if (value is string text)
            {
                if (stored.Kind != TagKind.String || !(ReferenceEquals(stored.Text, text) || string.Equals(stored.Text, text, StringComparison.Ordinal)))
                {
                    return false;
                }
            }
            else if (!stored.Equals(TagValue.Of(value)))
            {
                return false;
            }

            seen |= 1UL << at;
        }

        // Every name at its own position means every stored name met once; otherwise count them: a repeated incoming
        // name would leave one unmet.
        return inOrder || BitOperations.PopCount(seen) == key.Length;
    }

    /// <summary>Whether two stored keys hold the same tags (each has every name once; order does not matter).</summary>
    public static bool Equal(TagEntry[] left, TagEntry[] right)
    {
        if (left.Length != right.Length)
        {
            return false;
        }

        foreach (TagEntry entry in left)
        {
            int at = IndexOf(right, entry.Name);
            if (at < 0 || !right[at].Value.Equals(entry.Value))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The stored key of <paramref name="tags"/>: each name once (of a repeated name the last value), in the order first seen.</summary>
    public static TagEntry[] Create(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var entries = new List<TagEntry>(tags.Length);
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            string name = tag.Key ?? string.Empty;
            var entry = new TagEntry(name, TagValue.Of(tag.Value));
            int existing = IndexOf(entries, name);
            if (existing >= 0)
            {
                entries[existing] = entry;
            }
            else
            {
                entries.Add(entry);
            }
        }

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

    private static int IndexOf(List<TagEntry> entries, string name)
    {
        for (int i = 0; i < entries.Count; i++)
        {
            if (string.Equals(entries[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
