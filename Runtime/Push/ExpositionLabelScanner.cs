using System;

namespace MetricsGen;

/// <summary>
/// Finds label names in the sample lines of a text-format (0.0.4) exposition, so a push whose series carry a
/// grouping label is refused before it is sent (the Pushgateway would answer 400, or silently overwrite).
/// Label values are skipped quote- and escape-aware, so a value holding <c>job="x"</c> is not mistaken for a label.
/// </summary>
internal static class ExpositionLabelScanner
{
    /// <summary>
    /// The index in <paramref name="names"/> (ASCII label names) of the first one used as a label in a sample line
    /// of <paramref name="text"/>, or -1.
    /// </summary>
    public static int FindLabel(ReadOnlySpan<byte> text, byte[][] names)
    {
        int i = 0;
        while (i < text.Length)
        {
            if (text[i] == (byte)'#' || text[i] == (byte)'\n')
            {
                i = SkipLine(text, i);
                continue;
            }

            // The metric name runs up to '{' (labels follow) or to the space before the value.
            while (i < text.Length && text[i] != (byte)'{' && text[i] != (byte)' ' && text[i] != (byte)'\n')
            {
                i++;
            }

            if (i < text.Length && text[i] == (byte)'{')
            {
                i++;
                while (true)
                {
                    i = SkipSpaces(text, i);
                    if (i >= text.Length || text[i] == (byte)'}' || text[i] == (byte)'\n')
                    {
                        break;
                    }

                    int start = i;
                    while (i < text.Length && text[i] != (byte)'=' && text[i] != (byte)'}' && text[i] != (byte)'\n' && text[i] != (byte)' ')
                    {
                        i++;
                    }

                    ReadOnlySpan<byte> name = text[start..i];
                    for (int n = 0; n < names.Length; n++)
                    {
                        if (name.SequenceEqual(names[n]))
                        {
                            return n;
                        }
                    }

                    i = SkipSpaces(text, i);
                    if (i >= text.Length || text[i] != (byte)'=')
                    {
                        break;
                    }

                    i = SkipSpaces(text, i + 1);
                    if (i >= text.Length || text[i] != (byte)'"')
                    {
                        break;
                    }

                    i = SkipQuoted(text, i + 1);
                    i = SkipSpaces(text, i);
                    if (i < text.Length && text[i] == (byte)',')
                    {
                        i++;
                    }
                }
            }

            i = SkipLine(text, i);
        }

        return -1;
    }

    /// <summary>Returns the index after the closing quote of a label value that starts at <paramref name="i"/>.</summary>
    private static int SkipQuoted(ReadOnlySpan<byte> text, int i)
    {
        while (i < text.Length)
        {
            byte b = text[i];
            if (b == (byte)'\\')
            {
                i += 2;
            }
            else if (b == (byte)'"')
            {
                return i + 1;
            }
            else if (b == (byte)'\n')
            {
                return i;
            }
            else
            {
                i++;
            }
        }

        return text.Length;
    }

    private static int SkipSpaces(ReadOnlySpan<byte> text, int i)
    {
        while (i < text.Length && (text[i] == (byte)' ' || text[i] == (byte)'\t'))
        {
            i++;
        }

        return i;
    }

    private static int SkipLine(ReadOnlySpan<byte> text, int i)
    {
        int end = text[i..].IndexOf((byte)'\n');
        return end < 0 ? text.Length : i + end + 1;
    }
}
