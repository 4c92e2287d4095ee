using System;
using System.Buffers;
using System.Collections.Generic;

namespace MetricsGen;

/// <summary>
/// The scrape rules of <see cref="PrometheusExporter"/> for other HTTP hosts (an <c>HttpListener</c>, a custom
/// server): they take the header and query strings such hosts hand out and apply the exporter's own negotiation
/// code, so every host answers a scrape the same way. <c>MapMetrics</c> reads its requests through them too.
/// </summary>
// In Http/ beside the negotiation code it wraps, so Exposition/ (the writers) depends on nothing of the HTTP side.
public static partial class ExpositionFormats
{
    /// <summary>The <c>Vary</c> value of a metrics response: the representation depends on both negotiated fields.</summary>
    public const string VaryHeaderValue = "Accept, Accept-Encoding";

    // Header values longer than this are transcoded into a rented buffer instead of the stack.
    private const int StackLimit = 1024;

    /// <summary>
    /// Chooses the exposition format for an <c>Accept</c> header value (several fields joined with commas, as
    /// RFC 9110 allows), with q-values and media-range specificity counting: <see cref="ExpositionFormat.Protobuf"/>
    /// when the client names the delimited protobuf type exactly with a quality at least as high as the text formats'
    /// (a wildcard never selects it); else <see cref="ExpositionFormat.OpenMetrics"/> when the client rates
    /// OpenMetrics 1.0.0 strictly higher than the text format 0.0.4; otherwise
    /// <see cref="ExpositionFormat.PrometheusText"/> — also without the header. Allocates nothing.
    /// </summary>
    /// <param name="accept">The <c>Accept</c> header value, or null when the request has none.</param>
    public static ExpositionFormat Negotiate(string? accept)
    {
        if (accept is null)
        {
            return ContentNegotiation.ChooseFormat(default, default);
        }

        return WithLatin1(accept, static (bytes, fields) => ContentNegotiation.ChooseFormat(bytes, fields));
    }

    /// <summary>
    /// Whether an <c>Accept-Encoding</c> header value accepts gzip: an explicit <c>gzip</c> (or <c>x-gzip</c>) with
    /// q &gt; 0, or else <c>*</c> with q &gt; 0. Allocates nothing.
    /// </summary>
    /// <param name="acceptEncoding">The <c>Accept-Encoding</c> header value, or null when the request has none.</param>
    public static bool AcceptsGzip(string? acceptEncoding)
    {
        if (acceptEncoding is null)
        {
            return false;
        }

        return WithLatin1(acceptEncoding, static (bytes, fields) => ContentNegotiation.AcceptsGzip(bytes, fields));
    }

    /// <summary>
    /// Adds the values of every <c>name[]</c> parameter of a URL query (percent-encoded as sent, with or without its
    /// leading <c>?</c>) to <paramref name="names"/>, the filter <see cref="MetricRegistry.WriteTo(IBufferWriter{byte}, ExpositionFormat, IReadOnlySet{string})"/>
    /// takes. Returns whether there was a non-empty one; when not, the whole registry is to be served.
    /// </summary>
    /// <param name="query">The raw query string, or null.</param>
    /// <param name="names">Receives the decoded names; not cleared first.</param>
    public static bool ReadNameFilter(string? query, HashSet<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (string.IsNullOrEmpty(query))
        {
            return false;
        }

        ReadOnlySpan<char> text = query[0] == '?' ? query.AsSpan(1) : query.AsSpan();
        byte[]? rented = null;
        Span<byte> bytes = text.Length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(text.Length));
        try
        {
            int length = ToLatin1(text, bytes);
            return QueryString.ReadNames(bytes.Slice(0, length), names);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private delegate T FieldReader<T>(ReadOnlySpan<byte> bytes, ReadOnlySpan<ByteRange> fields);

    // The exporter's negotiation reads raw header bytes; header strings of other hosts are Latin-1 by HTTP's rules.
    private static T WithLatin1<T>(string value, FieldReader<T> read)
    {
        byte[]? rented = null;
        Span<byte> bytes = value.Length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(value.Length));
        try
        {
            int length = ToLatin1(value, bytes);
            var field = new ByteRange(0, length);
            return read(bytes.Slice(0, length), new ReadOnlySpan<ByteRange>(in field));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static int ToLatin1(ReadOnlySpan<char> text, Span<byte> destination)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];

            // A character outside Latin-1 cannot be part of a token we match; '?' keeps it from matching anything.
            destination[i] = c <= '\u00ff' ? (byte)c : (byte)'?';
        }

        return text.Length;
    }
}
