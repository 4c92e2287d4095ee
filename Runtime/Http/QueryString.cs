using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text;

namespace MetricsGen;

/// <summary>Reads the <c>name[]</c> parameters of a scrape URL's query (form-urlencoded, RFC 3986 percent-encoding).</summary>
internal static class QueryString
{
    /// <summary>
    /// Adds every <c>name[]</c> value of <paramref name="query"/> (also spelled <c>name%5B%5D</c>) to
    /// <paramref name="names"/>; returns whether there was a non-empty one. Allocates only the name strings.
    /// </summary>
    public static bool ReadNames(ReadOnlySpan<byte> query, HashSet<string> names)
    {
        bool found = false;
        byte[]? rented = null;
        Span<byte> scratch = query.Length <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(query.Length));
        try
        {
            while (!query.IsEmpty)
            {
                int ampersand = query.IndexOf((byte)'&');
                ReadOnlySpan<byte> pair = ampersand < 0 ? query : query.Slice(0, ampersand);
                query = ampersand < 0 ? default : query.Slice(ampersand + 1);
                int equals = pair.IndexOf((byte)'=');
                ReadOnlySpan<byte> key = equals < 0 ? pair : pair.Slice(0, equals);
                int keyLength = Decode(key, scratch);
                if (!scratch.Slice(0, keyLength).SequenceEqual("name[]"u8))
                {
                    continue;
                }

                int valueLength = equals < 0 ? 0 : Decode(pair.Slice(equals + 1), scratch);
                if (valueLength > 0)
                {
                    names.Add(Encoding.UTF8.GetString(scratch.Slice(0, valueLength)));
                    found = true;
                }
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        return found;
    }

    // Percent-decodes into destination ('+' is a space, as in HTML forms); a malformed escape stays literal.
    private static int Decode(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        int length = 0;
        for (int i = 0; i < source.Length; i++)
        {
            byte b = source[i];
            if (b == (byte)'+')
            {
                b = (byte)' ';
            }
            else if (b == (byte)'%' && i + 2 < source.Length && IsHex(source[i + 1]) && IsHex(source[i + 2]))
            {
                b = (byte)((HexValue(source[i + 1]) << 4) | HexValue(source[i + 2]));
                i += 2;
            }

            destination[length++] = b;
        }

        return length;
    }

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
