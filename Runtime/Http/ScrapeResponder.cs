using System;
using System.Runtime.InteropServices;

namespace MetricsGen;

/// <summary>
/// The exporter's response writer: puts the HTTP/1.1 head in front of a body in the gap its buffer reserved
/// (<see cref="ScrapeBuffers.Headroom"/>), so head and body go out in one send without a copy of the exposition.
/// Scrape answers come from <see cref="ScrapeHandler"/>; the protocol's own answers (401, 404, 405, OPTIONS) are built
/// here. One instance per connection; not thread-safe.
/// </summary>
internal sealed class ScrapeResponder : IDisposable
{
    // The connection's own buffers for the protocol's answers, apart from the scrape job's.
    private readonly ScrapeBuffers _plain = new(HttpResponseHead.MaxLength);

    /// <summary>The bytes to send for the last response built.</summary>
    public ReadOnlyMemory<byte> Response { get; private set; }

    /// <summary>Frames a scrape answer: its status, type, length, coding and <c>Vary</c> for a 200.</summary>
    public void Frame(in ScrapeAnswer answer, bool headOnly, ConnectionDirective connection)
    {
        Span<byte> scratch = stackalloc byte[HttpResponseHead.MaxLength];
        var head = new HttpResponseHead(scratch);
        head.StatusLine(answer.Status);
        if (answer.Format is ExpositionFormat format)
        {
            head.ContentType(format);
        }
        else
        {
            head.Field("Content-Type: "u8, "text/plain; charset=utf-8"u8);
        }

        head.ContentLength(answer.Body.Length);
        if (answer.Gzip)
        {
            head.Field("Content-Encoding: "u8, "gzip"u8);
        }

        if (answer.Status == 200)
        {
            head.Field("Vary: "u8, "Accept, Accept-Encoding"u8);
        }

        head.End(connection);
        Finish(answer.Buffer, head.Written, headOnly);
    }

    /// <summary>Builds a response with a short plain-text body (or none, for 200 to OPTIONS).</summary>
    public void BuildStatus(int status, string? message, ConnectionDirective connection, bool headOnly = false, bool allow = false)
    {
        ReservedBuffer body = _plain.Body;
        body.Begin();
        if (message is not null)
        {
            body.AppendUtf8(message);
            body.AppendUtf8("\n");
        }

        BuildPlain(status, headOnly, connection, allow);
    }

    /// <summary>Builds the 401 that asks for basic-auth credentials (RFC 7617, with the UTF-8 charset parameter).</summary>
    public void BuildUnauthorized(ConnectionDirective connection, bool headOnly)
    {
        _plain.Body.Begin();
        _plain.Body.AppendUtf8("Unauthorized.\n");
        BuildPlain(401, headOnly, connection, allow: false, challenge: true);
    }

    public void Dispose() => _plain.Dispose();

    private void BuildPlain(int status, bool headOnly, ConnectionDirective connection, bool allow, bool challenge = false)
    {
        Span<byte> scratch = stackalloc byte[HttpResponseHead.MaxLength];
        var head = new HttpResponseHead(scratch);
        head.StatusLine(status);
        head.Field("Content-Type: "u8, "text/plain; charset=utf-8"u8);
        head.ContentLength(_plain.Body.Writer.WrittenCount - HttpResponseHead.MaxLength);
        if (allow)
        {
            head.Field("Allow: "u8, "GET, HEAD, OPTIONS"u8);
        }

        if (challenge)
        {
            head.Field("WWW-Authenticate: "u8, "Basic realm=\"metrics\", charset=\"UTF-8\""u8);
        }

        head.End(connection);
        Finish(_plain.Body, head.Written, headOnly);
    }

    private void Finish(ReservedBuffer buffer, ReadOnlySpan<byte> head, bool headOnly)
    {
        Memory<byte> all = MemoryMarshal.AsMemory(buffer.Writer.WrittenMemory);
        int start = HttpResponseHead.MaxLength - head.Length;
        head.CopyTo(all.Span.Slice(start));
        Response = headOnly ? all.Slice(start, head.Length) : all.Slice(start);
    }
}
