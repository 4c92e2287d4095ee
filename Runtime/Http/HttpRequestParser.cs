using System;
using System.Text;

namespace MetricsGen;

/// <summary>The request methods the exporter tells apart.</summary>
internal enum RequestMethod
{
    Other,
    Get,
    Head,
    Options,
}

/// <summary>Where <see cref="HttpRequestParser.Parse"/> got to.</summary>
internal enum ParseResult
{
    /// <summary>The head is not complete yet; receive more bytes and call again with all of them.</summary>
    Incomplete,

    /// <summary>The head is complete and valid.</summary>
    Complete,

    /// <summary>The request is refused with <see cref="HttpRequestHead.ErrorStatus"/>; close after answering.</summary>
    Invalid,
}

/// <summary>A slice of the receive buffer, so parsing allocates no strings.</summary>
internal readonly record struct ByteRange(int Start, int Length)
{
    public ReadOnlySpan<byte> Of(ReadOnlySpan<byte> buffer) => buffer.Slice(Start, Length);
}

/// <summary>What the exporter needs to know of one request head; slices point into the receive buffer.</summary>
internal struct HttpRequestHead
{
    /// <summary>The bytes of the head including its final empty line.</summary>
    public int Length;
    public RequestMethod Method;
    public bool IsHttp11;

    /// <summary>The target was <c>*</c> (only meaningful for OPTIONS).</summary>
    public bool IsAsterisk;
    public ByteRange Path;

    /// <summary>The query without <c>?</c>; empty when there is none.</summary>
    public ByteRange Query;

    /// <summary>Whether the connection stays open after the response (version default, then Connection).</summary>
    public bool KeepAlive;

    /// <summary>The status to answer when parsing returned <see cref="ParseResult.Invalid"/>.</summary>
    public int ErrorStatus;

    /// <summary>Why the request was refused, for the plain-text body of the error response.</summary>
    public string? ErrorReason;
}

/// <summary>
/// A strict HTTP/1.1 request-head parser (RFC 9112) over the bytes received so far. It allocates nothing: it
/// scans incrementally, keeps the Accept and Accept-Encoding values as slices, and refuses what a scrape never
/// needs — bodies, obsolete line folding, bare CR or LF, control and non-ASCII bytes outside field values.
/// One instance per connection; <see cref="Reset"/> between requests.
/// </summary>
internal sealed class HttpRequestParser
{
    // More repeats of Accept or Accept-Encoding than this are refused; real clients send one.
    private const int MaxRepeatedFields = 8;

    private readonly int _maxHeadBytes;
    private readonly ByteRange[] _accept = new ByteRange[MaxRepeatedFields];
    private readonly ByteRange[] _acceptEncoding = new ByteRange[MaxRepeatedFields];

    // Two are enough to know that a request has more than one (which is refused by authentication).
    private readonly ByteRange[] _authorization = new ByteRange[2];
    private int _scanned;
    private bool _requestLineEnded;

    public HttpRequestParser(int maxHeadBytes) => _maxHeadBytes = maxHeadBytes;

    /// <summary>The Accept field values of the last complete head.</summary>
    public ReadOnlySpan<ByteRange> Accept => _accept.AsSpan(0, AcceptCount);

    /// <summary>The Accept-Encoding field values of the last complete head.</summary>
    public ReadOnlySpan<ByteRange> AcceptEncoding => _acceptEncoding.AsSpan(0, AcceptEncodingCount);

    /// <summary>The Authorization field values of the last complete head (at most two are kept).</summary>
    public ReadOnlySpan<ByteRange> Authorization => _authorization.AsSpan(0, AuthorizationCount);

    private int AcceptCount { get; set; }

    private int AuthorizationCount { get; set; }

    private int AcceptEncodingCount { get; set; }

    /// <summary>Forgets the previous request; the next <see cref="Parse"/> starts at a new head.</summary>
    public void Reset()
    {
        _scanned = 0;
        _requestLineEnded = false;
        AcceptCount = 0;
        AcceptEncodingCount = 0;
        AuthorizationCount = 0;
    }

    /// <summary>Parses the head at the start of <paramref name="buffer"/> (all bytes received for this request).</summary>
    public ParseResult Parse(ReadOnlySpan<byte> buffer, out HttpRequestHead head)
    {
        head = default;
        int end = FindEndOfHead(buffer, ref head);
        if (end < 0)
        {
            return head.ErrorStatus != 0 ? ParseResult.Invalid : ParseResult.Incomplete;
        }

        head.Length = end;
        ReadOnlySpan<byte> bytes = buffer.Slice(0, end);
        int lineEnd = bytes.IndexOf("\r\n"u8);
        if (!ParseRequestLine(bytes.Slice(0, lineEnd), ref head))
        {
            return ParseResult.Invalid;
        }

        return ParseFields(bytes, lineEnd + 2, ref head) ? ParseResult.Complete : ParseResult.Invalid;
    }

    // Returns the length of the head through its empty line, or -1 (incomplete, or ErrorStatus set).
    private int FindEndOfHead(ReadOnlySpan<byte> buffer, ref HttpRequestHead head)
    {
        int limit = Math.Min(buffer.Length, _maxHeadBytes);
        for (int i = _scanned; i < limit; i++)
        {
            byte b = buffer[i];
            if (b == (byte)'\r')
            {
                // A CR must start a CRLF; wait when the LF has not arrived yet.
                if (i + 1 == limit)
                {
                    _scanned = i;
                    return Incomplete(buffer, ref head);
                }

                if (buffer[i + 1] != (byte)'\n')
                {
                    return Fail(ref head, 400, "Bare CR in the request head.");
                }

                i++;
                if (!_requestLineEnded)
                {
                    _requestLineEnded = true;
                }
                else if (i >= 3 && buffer[i - 2] == (byte)'\n')
                {
                    // CRLF CRLF: the empty line that ends the head.
                    return i + 1;
                }
            }
            else if (b == (byte)'\n')
            {
                return Fail(ref head, 400, "Bare LF in the request head; lines must end with CRLF.");
            }
        }

        _scanned = limit;
        return Incomplete(buffer, ref head);
    }

    private int Incomplete(ReadOnlySpan<byte> buffer, ref HttpRequestHead head)
    {
        if (buffer.Length < _maxHeadBytes)
        {
            return -1;
        }

        return _requestLineEnded
            ? Fail(ref head, 431, "The request head is larger than the server accepts.")
            : Fail(ref head, 414, "The request line is longer than the server accepts.");
    }

    private static bool ParseRequestLine(ReadOnlySpan<byte> line, ref HttpRequestHead head)
    {
        // method SP request-target SP HTTP-version, single spaces, nothing else.
        int firstSpace = line.IndexOf((byte)' ');
        if (firstSpace <= 0)
        {
            return Refuse(ref head, 400, "Malformed request line.");
        }

        ReadOnlySpan<byte> method = line.Slice(0, firstSpace);
        ReadOnlySpan<byte> rest = line.Slice(firstSpace + 1);
        int secondSpace = rest.IndexOf((byte)' ');
        if (secondSpace <= 0 || !IsToken(method))
        {
            return Refuse(ref head, 400, "Malformed request line.");
        }

        ReadOnlySpan<byte> target = rest.Slice(0, secondSpace);
        ReadOnlySpan<byte> version = rest.Slice(secondSpace + 1);
        foreach (byte b in target)
        {
            if (b is <= 0x20 or >= 0x7F)
            {
                return Refuse(ref head, 400, "Malformed request target.");
            }
        }

        if (version.SequenceEqual("HTTP/1.1"u8))
        {
            head.IsHttp11 = true;
        }
        else if (!version.SequenceEqual("HTTP/1.0"u8))
        {
            bool wellFormed = version.Length == 8 && version.StartsWith("HTTP/"u8) && char.IsAsciiDigit((char)version[5])
                && version[6] == (byte)'.' && char.IsAsciiDigit((char)version[7]);
            return Refuse(ref head, wellFormed ? 505 : 400, wellFormed ? "Only HTTP/1.0 and HTTP/1.1 are supported." : "Malformed HTTP version.");
        }

        head.Method = method switch
        {
            _ when method.SequenceEqual("GET"u8) => RequestMethod.Get,
            _ when method.SequenceEqual("HEAD"u8) => RequestMethod.Head,
            _ when method.SequenceEqual("OPTIONS"u8) => RequestMethod.Options,
            _ => RequestMethod.Other,
        };
        int targetStart = firstSpace + 1;
        return ParseTarget(target, targetStart, ref head);
    }

    private static bool ParseTarget(ReadOnlySpan<byte> target, int offset, ref HttpRequestHead head)
    {
        if (target.SequenceEqual("*"u8))
        {
            head.IsAsterisk = true;
            return true;
        }

        int pathStart = 0;
        if (target[0] != (byte)'/')
        {
            // absolute-form (RFC 9112 §3.2.2): a server must accept it; only the path and query matter here.
            int schemeEnd = target.IndexOf("://"u8);
            if (schemeEnd <= 0 || !(Ascii.EqualsIgnoreCase(target.Slice(0, schemeEnd), "http"u8) || Ascii.EqualsIgnoreCase(target.Slice(0, schemeEnd), "https"u8)))
            {
                return Refuse(ref head, 400, "Malformed request target.");
            }

            int authorityStart = schemeEnd + 3;
            int slash = target.Slice(authorityStart).IndexOfAny((byte)'/', (byte)'?');
            if (slash < 0 || target[authorityStart + slash] != (byte)'/')
            {
                // "http://host" or "http://host?q" means the root path, which is never the metrics path.
                head.Path = new ByteRange(offset, 0);
                return true;
            }

            pathStart = authorityStart + slash;
        }

        ReadOnlySpan<byte> pathAndQuery = target.Slice(pathStart);
        int fragment = pathAndQuery.IndexOf((byte)'#');
        if (fragment >= 0)
        {
            return Refuse(ref head, 400, "A request target must not carry a fragment.");
        }

        int question = pathAndQuery.IndexOf((byte)'?');
        if (question < 0)
        {
            head.Path = new ByteRange(offset + pathStart, pathAndQuery.Length);
        }
        else
        {
            head.Path = new ByteRange(offset + pathStart, question);
            head.Query = new ByteRange(offset + pathStart + question + 1, pathAndQuery.Length - question - 1);
        }

        return true;
    }

    private bool ParseFields(ReadOnlySpan<byte> bytes, int at, ref HttpRequestHead head)
    {
        int hostCount = 0;
        bool close = false;
        bool keepAlive = false;
        while (true)
        {
            int length = bytes.Slice(at).IndexOf("\r\n"u8);
            if (length == 0)
            {
                break;
            }

            ReadOnlySpan<byte> line = bytes.Slice(at, length);
            if (line[0] is (byte)' ' or (byte)'\t')
            {
                return Refuse(ref head, 400, "Obsolete line folding is not accepted.");
            }

            int colon = line.IndexOf((byte)':');
            if (colon <= 0 || !IsToken(line.Slice(0, colon)))
            {
                return Refuse(ref head, 400, "Malformed header field name.");
            }

            ReadOnlySpan<byte> name = line.Slice(0, colon);
            int valueStart = colon + 1;
            int valueEnd = line.Length;
            while (valueStart < valueEnd && line[valueStart] is (byte)' ' or (byte)'\t')
            {
                valueStart++;
            }

            while (valueEnd > valueStart && line[valueEnd - 1] is (byte)' ' or (byte)'\t')
            {
                valueEnd--;
            }

            ReadOnlySpan<byte> value = line.Slice(valueStart, valueEnd - valueStart);
            foreach (byte b in value)
            {
                // Field values may hold obs-text (0x80–0xFF) but no control bytes other than HTAB.
                if ((b < 0x20 && b != (byte)'\t') || b == 0x7F)
                {
                    return Refuse(ref head, 400, "Control character in a header field value.");
                }
            }

            var range = new ByteRange(at + valueStart, value.Length);
            if (Ascii.EqualsIgnoreCase(name, "host"u8))
            {
                hostCount++;
            }
            else if (Ascii.EqualsIgnoreCase(name, "content-length"u8))
            {
                if (value.IsEmpty || value.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
                {
                    return Refuse(ref head, 400, "Malformed Content-Length.");
                }

                if (value.IndexOfAnyExcept((byte)'0') >= 0)
                {
                    return Refuse(ref head, 400, "A scrape request carries no body.");
                }
            }
            else if (Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8))
            {
                return Refuse(ref head, 400, "A scrape request carries no body.");
            }
            else if (Ascii.EqualsIgnoreCase(name, "connection"u8))
            {
                ReadConnectionOptions(value, ref close, ref keepAlive);
            }
            else if (Ascii.EqualsIgnoreCase(name, "accept"u8))
            {
                if (AcceptCount == MaxRepeatedFields)
                {
                    return Refuse(ref head, 400, "Too many Accept fields.");
                }

                _accept[AcceptCount++] = range;
            }
            else if (Ascii.EqualsIgnoreCase(name, "accept-encoding"u8))
            {
                if (AcceptEncodingCount == MaxRepeatedFields)
                {
                    return Refuse(ref head, 400, "Too many Accept-Encoding fields.");
                }

                _acceptEncoding[AcceptEncodingCount++] = range;
            }
            else if (Ascii.EqualsIgnoreCase(name, "authorization"u8))
            {
                if (AuthorizationCount < _authorization.Length)
                {
                    _authorization[AuthorizationCount++] = range;
                }
            }

            at += length + 2;
        }

        if (head.IsHttp11 && hostCount != 1)
        {
            return Refuse(ref head, 400, hostCount == 0 ? "HTTP/1.1 requires a Host header." : "More than one Host header.");
        }

        if (hostCount > 1)
        {
            return Refuse(ref head, 400, "More than one Host header.");
        }

        head.KeepAlive = !close && (head.IsHttp11 || keepAlive);
        return true;
    }

    private static void ReadConnectionOptions(ReadOnlySpan<byte> value, ref bool close, ref bool keepAlive)
    {
        while (!value.IsEmpty)
        {
            int comma = value.IndexOf((byte)',');
            ReadOnlySpan<byte> option = (comma < 0 ? value : value.Slice(0, comma)).Trim(" \t"u8);
            value = comma < 0 ? default : value.Slice(comma + 1);
            if (Ascii.EqualsIgnoreCase(option, "close"u8))
            {
                close = true;
            }
            else if (Ascii.EqualsIgnoreCase(option, "keep-alive"u8))
            {
                keepAlive = true;
            }
        }
    }

    // tchar of RFC 9110 §5.6.2: visible ASCII except delimiters.
    private static bool IsToken(ReadOnlySpan<byte> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (byte b in text)
        {
            bool ok = b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
                || b is (byte)'!' or (byte)'#' or (byte)'$' or (byte)'%' or (byte)'&' or (byte)'\'' or (byte)'*' or (byte)'+'
                    or (byte)'-' or (byte)'.' or (byte)'^' or (byte)'_' or (byte)'`' or (byte)'|' or (byte)'~';
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static bool Refuse(ref HttpRequestHead head, int status, string reason)
    {
        Fail(ref head, status, reason);
        return false;
    }

    private static int Fail(ref HttpRequestHead head, int status, string reason)
    {
        head.ErrorStatus = status;
        head.ErrorReason = reason;
        return -1;
    }
}
