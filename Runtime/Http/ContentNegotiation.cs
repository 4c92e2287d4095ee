using System;
using System.Text;

namespace MetricsGen;

/// <summary>
/// Chooses the exposition format from Accept and the content coding from Accept-Encoding (RFC 9110 §12.5),
/// over the raw field bytes, without allocating.
/// </summary>
internal static class ContentNegotiation
{
    private const int NoMatch = -1;

    /// <summary>
    /// Returns protobuf when the client names it with the best quality, OpenMetrics when the client prefers it
    /// (strictly higher quality than the text format), otherwise the Prometheus text format — also without Accept,
    /// or when none is acceptable, as scrapers expect text.
    /// </summary>
    public static ExpositionFormat ChooseFormat(ReadOnlySpan<byte> buffer, ReadOnlySpan<ByteRange> acceptFields)
    {
        // For each candidate, the quality of the most specific matching media range counts.
        var openMetrics = new Preference();
        var text = new Preference();
        var protobuf = new Preference();
        foreach (ByteRange field in acceptFields)
        {
            ReadOnlySpan<byte> value = field.Of(buffer);
            while (!value.IsEmpty)
            {
                ReadOnlySpan<byte> element = NextElement(ref value);
                if (element.IsEmpty)
                {
                    continue;
                }

                ReadMediaRange(element, out ReadOnlySpan<byte> mediaType, out ReadOnlySpan<byte> version, out int quality, out ReadOnlySpan<byte> proto, out ReadOnlySpan<byte> encoding);
                openMetrics.Offer(MatchOpenMetrics(mediaType, version), quality);
                text.Offer(MatchText(mediaType, version), quality);
                protobuf.Offer(MatchProtobuf(mediaType, proto, encoding), quality);
            }
        }

        if (acceptFields.IsEmpty)
        {
            return ExpositionFormat.PrometheusText;
        }

        // Binary only when asked for by name with the best quality (Prometheus lists it first when it scrapes
        // native histograms); a tie goes to it, since the client named it explicitly.
        if (protobuf.Quality > 0 && protobuf.Quality >= openMetrics.Quality && protobuf.Quality >= text.Quality)
        {
            return ExpositionFormat.Protobuf;
        }

        return openMetrics.Quality > 0 && openMetrics.Quality > text.Quality
            ? ExpositionFormat.OpenMetrics
            : ExpositionFormat.PrometheusText;
    }

    /// <summary>
    /// Whether gzip is acceptable: an explicit <c>gzip</c> (or <c>x-gzip</c>) with q &gt; 0, or else <c>*</c> with q &gt; 0.
    /// </summary>
    public static bool AcceptsGzip(ReadOnlySpan<byte> buffer, ReadOnlySpan<ByteRange> acceptEncodingFields)
    {
        int gzip = NoMatch;
        int any = NoMatch;
        foreach (ByteRange field in acceptEncodingFields)
        {
            ReadOnlySpan<byte> value = field.Of(buffer);
            while (!value.IsEmpty)
            {
                ReadOnlySpan<byte> element = NextElement(ref value);
                if (element.IsEmpty)
                {
                    continue;
                }

                int semicolon = element.IndexOf((byte)';');
                ReadOnlySpan<byte> coding = (semicolon < 0 ? element : element.Slice(0, semicolon)).Trim(" \t"u8);
                int quality = semicolon < 0 ? 1000 : ReadQuality(element.Slice(semicolon + 1));
                if (Ascii.EqualsIgnoreCase(coding, "gzip"u8) || Ascii.EqualsIgnoreCase(coding, "x-gzip"u8))
                {
                    gzip = Math.Max(gzip, quality);
                }
                else if (coding.SequenceEqual("*"u8))
                {
                    any = Math.Max(any, quality);
                }
            }
        }

        return gzip != NoMatch ? gzip > 0 : any > 0;
    }

    // Specificity of a media range for OpenMetrics 1.0.0: 3 exact with a version we serve, 2 without version,
    // 1 application/*, 0 */*; NoMatch otherwise. Version 0.0.1 is answered with 1.0.0, its successor.
    private static int MatchOpenMetrics(ReadOnlySpan<byte> mediaType, ReadOnlySpan<byte> version)
    {
        if (Ascii.EqualsIgnoreCase(mediaType, "application/openmetrics-text"u8))
        {
            if (version.IsEmpty)
            {
                return 2;
            }

            return version.SequenceEqual("1.0.0"u8) || version.SequenceEqual("0.0.1"u8) ? 3 : NoMatch;
        }

        return MatchWildcards(mediaType, "application/*"u8);
    }

    // The delimited protobuf format matches only when named exactly: a wildcard never selects a binary format.
    private static int MatchProtobuf(ReadOnlySpan<byte> mediaType, ReadOnlySpan<byte> proto, ReadOnlySpan<byte> encoding) =>
        Ascii.EqualsIgnoreCase(mediaType, "application/vnd.google.protobuf"u8)
        && proto.SequenceEqual("io.prometheus.client.MetricFamily"u8)
        && Ascii.EqualsIgnoreCase(encoding, "delimited"u8)
            ? 3
            : NoMatch;

    // The same for the text format 0.0.4; text/plain;version=1.0.0 (UTF-8 names) is a different format.
    private static int MatchText(ReadOnlySpan<byte> mediaType, ReadOnlySpan<byte> version)
    {
        if (Ascii.EqualsIgnoreCase(mediaType, "text/plain"u8))
        {
            if (version.IsEmpty)
            {
                return 2;
            }

            return version.SequenceEqual("0.0.4"u8) ? 3 : NoMatch;
        }

        return MatchWildcards(mediaType, "text/*"u8);
    }

    private static int MatchWildcards(ReadOnlySpan<byte> mediaType, ReadOnlySpan<byte> typeWildcard)
    {
        if (Ascii.EqualsIgnoreCase(mediaType, typeWildcard))
        {
            return 1;
        }

        return mediaType.SequenceEqual("*/*"u8) ? 0 : NoMatch;
    }

    // Splits off the next comma-separated element, leaving commas inside quoted strings alone.
    private static ReadOnlySpan<byte> NextElement(ref ReadOnlySpan<byte> value)
    {
        bool quoted = false;
        for (int i = 0; i < value.Length; i++)
        {
            byte b = value[i];
            if (b == (byte)'"')
            {
                quoted = !quoted;
            }
            else if (b == (byte)'\\' && quoted)
            {
                i++;
            }
            else if (b == (byte)',' && !quoted)
            {
                ReadOnlySpan<byte> element = value.Slice(0, i).Trim(" \t"u8);
                value = value.Slice(i + 1);
                return element;
            }
        }

        ReadOnlySpan<byte> last = value.Trim(" \t"u8);
        value = default;
        return last;
    }

    // media-range *( OWS ";" OWS parameter ); q is read in thousandths, version as written (quotes removed).
    private static void ReadMediaRange(
        ReadOnlySpan<byte> element,
        out ReadOnlySpan<byte> mediaType,
        out ReadOnlySpan<byte> version,
        out int quality,
        out ReadOnlySpan<byte> proto,
        out ReadOnlySpan<byte> encoding)
    {
        version = default;
        proto = default;
        encoding = default;
        quality = 1000;
        int semicolon = element.IndexOf((byte)';');
        mediaType = (semicolon < 0 ? element : element.Slice(0, semicolon)).Trim(" \t"u8);
        ReadOnlySpan<byte> parameters = semicolon < 0 ? default : element.Slice(semicolon + 1);
        while (!parameters.IsEmpty)
        {
            int next = parameters.IndexOf((byte)';');
            ReadOnlySpan<byte> parameter = (next < 0 ? parameters : parameters.Slice(0, next)).Trim(" \t"u8);
            parameters = next < 0 ? default : parameters.Slice(next + 1);
            int equals = parameter.IndexOf((byte)'=');
            if (equals <= 0)
            {
                continue;
            }

            ReadOnlySpan<byte> name = parameter.Slice(0, equals).Trim(" \t"u8);
            ReadOnlySpan<byte> argument = parameter.Slice(equals + 1).Trim(" \t"u8);
            if (argument.Length >= 2 && argument[0] == (byte)'"' && argument[^1] == (byte)'"')
            {
                argument = argument.Slice(1, argument.Length - 2);
            }

            if (Ascii.EqualsIgnoreCase(name, "q"u8))
            {
                quality = ParseQuality(argument);
            }
            else if (Ascii.EqualsIgnoreCase(name, "version"u8))
            {
                version = argument;
            }
            else if (Ascii.EqualsIgnoreCase(name, "proto"u8))
            {
                proto = argument;
            }
            else if (Ascii.EqualsIgnoreCase(name, "encoding"u8))
            {
                encoding = argument;
            }
        }
    }

    private static int ReadQuality(ReadOnlySpan<byte> parameters)
    {
        int quality = 1000;
        while (!parameters.IsEmpty)
        {
            int next = parameters.IndexOf((byte)';');
            ReadOnlySpan<byte> parameter = (next < 0 ? parameters : parameters.Slice(0, next)).Trim(" \t"u8);
            parameters = next < 0 ? default : parameters.Slice(next + 1);
            int equals = parameter.IndexOf((byte)'=');
            if (equals > 0 && Ascii.EqualsIgnoreCase(parameter.Slice(0, equals).Trim(" \t"u8), "q"u8))
            {
                quality = ParseQuality(parameter.Slice(equals + 1).Trim(" \t"u8));
            }
        }

        return quality;
    }

    // qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), in thousandths; anything else counts as 0.
    internal static int ParseQuality(ReadOnlySpan<byte> text)
    {
        if (text.IsEmpty || text.Length > 5 || (text[0] != (byte)'0' && text[0] != (byte)'1'))
        {
            return 0;
        }

        int whole = text[0] - '0';
        int thousandths = 0;
        if (text.Length > 1)
        {
            if (text[1] != (byte)'.')
            {
                return 0;
            }

            int scale = 100;
            for (int i = 2; i < text.Length; i++)
            {
                if (!char.IsAsciiDigit((char)text[i]))
                {
                    return 0;
                }

                thousandths += (text[i] - '0') * scale;
                scale /= 10;
            }
        }

        int quality = whole * 1000 + thousandths;
        return quality > 1000 ? 0 : quality;
    }

    // The quality of the most specific range that matched one candidate so far.
    private struct Preference
    {
        private int _specificity;
        private bool _matched;

        public int Quality { get; private set; }

        public void Offer(int specificity, int quality)
        {
            if (specificity == NoMatch)
            {
                return;
            }

            if (!_matched || specificity > _specificity)
            {
                _matched = true;
                _specificity = specificity;
                Quality = quality;
            }
            else if (specificity == _specificity)
            {
                Quality = Math.Max(Quality, quality);
            }
        }
    }
}
