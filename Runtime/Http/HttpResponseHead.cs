using System;
using System.Buffers.Text;

namespace MetricsGen;

/// <summary>What the response says about the connection.</summary>
internal enum ConnectionDirective
{
    /// <summary>Nothing: HTTP/1.1 keeps the connection open by default.</summary>
    None,

    /// <summary><c>Connection: close</c>: the server closes after this response.</summary>
    Close,

    /// <summary><c>Connection: keep-alive</c>: an HTTP/1.0 client asked to keep the connection.</summary>
    KeepAlive,
}

/// <summary>
/// Formats a response head — status line, then header fields, then the empty line — into a caller's span.
/// Every response carries Date, Content-Type and Content-Length.
/// </summary>
internal ref struct HttpResponseHead
{
    /// <summary>Room enough for the longest head this server writes.</summary>
    public const int MaxLength = 512;

    private readonly Span<byte> _span;
    private int _length;

    public HttpResponseHead(Span<byte> span)
    {
        _span = span;
        _length = 0;
    }

    public readonly ReadOnlySpan<byte> Written => _span.Slice(0, _length);

    public void StatusLine(int status)
    {
        Append("HTTP/1.1 "u8);
        AppendNumber(status);
        Append(" "u8);
        Append(ReasonPhrase(status));
        Append("\r\n"u8);
        Append("Date: "u8);

        // The IMF-fixdate of RFC 9110 §5.6.7, which is the "R" format.
        Utf8Formatter.TryFormat(DateTime.UtcNow, _span.Slice(_length), out int written, new System.Buffers.StandardFormat('R'));
        _length += written;
        Append("\r\n"u8);
    }

    public void Field(ReadOnlySpan<byte> nameColonSpace, ReadOnlySpan<byte> value)
    {
        Append(nameColonSpace);
        Append(value);
        Append("\r\n"u8);
    }

    public void ContentType(ExpositionFormat format) =>
        Field("Content-Type: "u8, format switch
        {
            ExpositionFormat.OpenMetrics => "application/openmetrics-text; version=1.0.0; charset=utf-8"u8,
            ExpositionFormat.Protobuf => "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited"u8,
            _ => "text/plain; version=0.0.4; charset=utf-8"u8,
        });

    public void ContentLength(int length)
    {
        Append("Content-Length: "u8);
        AppendNumber(length);
        Append("\r\n"u8);
    }

    /// <summary>Writes the Connection field (if any) and the empty line that ends the head.</summary>
    public void End(ConnectionDirective connection)
    {
        if (connection == ConnectionDirective.Close)
        {
            Append("Connection: close\r\n"u8);
        }
        else if (connection == ConnectionDirective.KeepAlive)
        {
            Append("Connection: keep-alive\r\n"u8);
        }

        Append("\r\n"u8);
    }

    internal static ReadOnlySpan<byte> ReasonPhrase(int status) => status switch
    {
        200 => "OK"u8,
        400 => "Bad Request"u8,
        401 => "Unauthorized"u8,
        404 => "Not Found"u8,
        405 => "Method Not Allowed"u8,
        414 => "URI Too Long"u8,
        431 => "Request Header Fields Too Large"u8,
        500 => "Internal Server Error"u8,
        503 => "Service Unavailable"u8,
        505 => "HTTP Version Not Supported"u8,
        _ => "Unknown"u8,
    };

    private void Append(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_span.Slice(_length));
        _length += bytes.Length;
    }

    private void AppendNumber(int value)
    {
        Utf8Formatter.TryFormat(value, _span.Slice(_length), out int written);
        _length += written;
    }
}
