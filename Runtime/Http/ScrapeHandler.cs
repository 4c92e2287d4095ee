using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;

namespace MetricsGen;

/// <summary>
/// The one scrape path of every host: <see cref="PrometheusExporter"/>'s connections and ASP.NET Core's
/// <c>MapMetrics</c> endpoint both hand it a <see cref="ScrapeRequest"/> (format, gzip, <c>name[]</c> filter) and
/// send the <see cref="ScrapeAnswer"/> it builds (status, content type and coding, complete body). It holds the
/// rules a scrape follows wherever it arrives: the concurrency limit (503), the coalescing of concurrent unfiltered
/// scrapes into one collection, gzip, and the 500 that names a failing source instead of a partial body. Every
/// problem it meets is reported on the registry (<see cref="MetricRegistry.ReportWarning"/>). Thread-safe.
/// </summary>
/// <remarks>
/// Internal, and used by MetricsGen.AspNetCore through InternalsVisibleTo: that package pins exactly its own
/// MetricsGen version, so the two always agree on this type, and keeping it internal leaves 1.0 free to change how
/// a scrape is carried (buffers, coalescing) without a breaking change. Hosts of their own build on the public
/// <see cref="MetricRegistry.WriteTo(System.Buffers.IBufferWriter{byte}, ExpositionFormat, IReadOnlySet{string})"/>
/// and <see cref="ExpositionFormats.Negotiate"/> instead.
/// </remarks>
internal sealed class ScrapeHandler
{
    /// <summary>The body of the 503 beyond the concurrency limit.</summary>
    public const string TooManyScrapesMessage = "Too many concurrent scrapes; try again later.";

    /// <summary>The body of the 503 of a scrape slower than the host's scrape timeout.</summary>
    public const string TimeoutMessage = "The scrape took longer than the scrape timeout.";

    private const string InternalErrorMessage = "Internal error while collecting metrics.";

    // Per (format, gzip): the collection in flight, and one finished collection kept for its buffers.
    private const int Keys = 8;

    private readonly SemaphoreSlim _slots;
    private readonly int _maxConcurrentScrapes;
    private readonly object _lock = new();
    private readonly Shared?[] _inFlight = new Shared?[Keys];
    private readonly Shared?[] _idle = new Shared?[Keys];
    private long _collections;
    private int _waiters;

    public ScrapeHandler(MetricRegistry registry, int maxConcurrentScrapes)
    {
        Registry = registry;
        _maxConcurrentScrapes = maxConcurrentScrapes;
        _slots = new SemaphoreSlim(maxConcurrentScrapes, maxConcurrentScrapes);
    }

    public MetricRegistry Registry { get; }

    /// <summary>How many collections were run (scrapes that shared one count once).</summary>
    internal long Collections => Interlocked.Read(ref _collections);

    /// <summary>Scrapes holding a slot right now (collecting, or waiting for a shared collection).</summary>
    internal int ActiveScrapes => _maxConcurrentScrapes - _slots.CurrentCount;

    /// <summary>Scrapes waiting for another scrape's collection right now.</summary>
    internal int Waiters => Volatile.Read(ref _waiters);

    /// <summary>
    /// Answers one scrape into <paramref name="buffers"/>, on the calling thread: 200 with the exposition (gzipped
    /// when asked), 503 when <c>maxConcurrentScrapes</c> scrapes are already collecting, or 500 when a source failed
    /// (naming it) or something unexpected broke (<see cref="ScrapeAnswer.IsFault"/>). A scrape holds its slot until
    /// its collection really ends, even when its host stopped waiting for it. Never throws.
    /// </summary>
    public ScrapeAnswer Scrape(in ScrapeRequest request, ScrapeBuffers buffers)
    {
        if (!_slots.Wait(0))
        {
            return Plain(buffers, 503, TooManyScrapesMessage);
        }

        try
        {
            return Collect(request, buffers);
        }
        catch (Exception error)
        {
            // Not a source failure (the registry turns those into MetricCollectionException): a bug or a broken
            // compressor. Reported, and answered without any exposition bytes.
            Registry.ReportWarning(error);
            return Plain(buffers, 500, InternalErrorMessage, fault: true);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Builds a short plain-text answer (a host's own 503 after its timeout, for instance).</summary>
    public static ScrapeAnswer Plain(ScrapeBuffers buffers, int status, string message, bool fault = false)
    {
        buffers.Body.Begin();
        buffers.Body.AppendUtf8(message);
        buffers.Body.AppendUtf8("\n");
        return new ScrapeAnswer(status, null, gzip: false, buffers.Body, buffers.Headroom, failure: null, fault);
    }

    private ScrapeAnswer Collect(in ScrapeRequest request, ScrapeBuffers buffers)
    {
        ReservedBuffer body = buffers.Body;
        if (request.Names is null)
        {
            Shared shared = Acquire(request.Format, request.Gzip);
            try
            {
                if (shared.Fault is Exception fault)
                {
                    // The same exception reaches every sharer; each reports its own wrapper, as each answers 500.
                    throw new InvalidOperationException("Collecting the shared exposition failed.", fault);
                }

                if (shared.Failure is MetricCollectionException sharedFailure)
                {
                    return SourceFailed(buffers, sharedFailure);
                }

                // The copy (about 0.05 ms for 860 KB) keeps each answer's buffer and lifetime its host's own.
                body.Begin();
                body.Append(shared.Payload);
                return new ScrapeAnswer(200, request.Format, request.Gzip, body, buffers.Headroom, null, fault: false);
            }
            finally
            {
                Release(shared);
            }
        }

        body.Begin();
        try
        {
            Registry.WriteTo(body.Writer, request.Format, request.Names);
        }
        catch (MetricCollectionException failure)
        {
            return SourceFailed(buffers, failure);
        }

        if (!request.Gzip)
        {
            return new ScrapeAnswer(200, request.Format, gzip: false, body, buffers.Headroom, null, fault: false);
        }

        ReservedBuffer compressed = buffers.Compressed;
        compressed.Begin();
        GzipCompressor.Compress(buffers.Compression, body.Writer.WrittenMemory.Slice(buffers.Headroom), compressed.Writer);
        return new ScrapeAnswer(200, request.Format, gzip: true, compressed, buffers.Headroom, null, fault: false);
    }

    private ScrapeAnswer SourceFailed(ScrapeBuffers buffers, MetricCollectionException failure)
    {
        Registry.ReportWarning(failure);
        ScrapeAnswer answer = Plain(buffers, 500, "Metric source '" + failure.SourceName + "' failed during collection.");
        return answer.WithFailure(failure);
    }

    // Coalescing (client_golang's coalesced gather): the first unfiltered scrape of a (format, gzip) becomes the
    // leader and collects (and compresses); scrapes that arrive while it runs wait and copy its bytes. One arriving
    // after it finished starts a new collection, so no answer is older than the collection running when its request
    // arrived; there is no time-based cache.
    private Shared Acquire(ExpositionFormat format, bool gzip)
    {
        int key = (((int)format) * 2) + (gzip ? 1 : 0);
        if ((uint)key >= Keys)
        {
            throw new ArgumentOutOfRangeException(nameof(format));
        }

        Shared flight;
        bool leader;
        lock (_lock)
        {
            Shared? running = _inFlight[key];
            leader = running is null;
            if (running is not null)
            {
                running.Users++;
                flight = running;
            }
            else
            {
                flight = _idle[key] ?? new Shared(key);
                _idle[key] = null;
                flight.Begin();
                _inFlight[key] = flight;
            }
        }

        if (!leader)
        {
            Interlocked.Increment(ref _waiters);
            flight.Done.Wait();
            Interlocked.Decrement(ref _waiters);
            return flight;
        }

        try
        {
            Interlocked.Increment(ref _collections);
            flight.Collect(Registry, format, gzip);
        }
        finally
        {
            // Later arrivals start their own collection from here on; the waiters are released with the result.
            lock (_lock)
            {
                _inFlight[key] = null;
            }

            flight.Done.Set();
        }

        return flight;
    }

    // Ends a reader's use of a collection; the last one keeps it for reuse or frees it.
    private void Release(Shared flight)
    {
        lock (_lock)
        {
            if (--flight.Users > 0)
            {
                return;
            }

            if (_idle[flight.Key] is null)
            {
                _idle[flight.Key] = flight;
                return;
            }
        }

        flight.Dispose();
    }

    /// <summary>One shared collection's result: the payload (the exposition, or its gzip), or the failure.</summary>
    private sealed class Shared : IDisposable
    {
        private readonly PooledBufferWriter _body = new();
        private PooledBufferWriter? _compressed;
        private GzipCompressor.Request? _compression;
        private bool _gzipped;

        public Shared(int key) => Key = key;

        public int Key { get; }

        /// <summary>Readers of this collection, the leader included; guarded by the handler's lock.</summary>
        public int Users { get; set; }

        public ManualResetEventSlim Done { get; } = new(false);

        public MetricCollectionException? Failure { get; private set; }

        /// <summary>An unexpected exception of the collection (not from a source).</summary>
        public Exception? Fault { get; private set; }

        public ReadOnlySpan<byte> Payload => _gzipped ? _compressed!.WrittenSpan : _body.WrittenSpan;

        public void Begin()
        {
            Users = 1;
            Failure = null;
            Fault = null;
            Done.Reset();
        }

        public void Collect(MetricRegistry registry, ExpositionFormat format, bool gzip)
        {
            _gzipped = false;
            try
            {
                _body.Clear();
                registry.WriteTo(_body, format);
                if (gzip)
                {
                    _compressed ??= new PooledBufferWriter();
                    _compression ??= new GzipCompressor.Request();
                    _compressed.Clear();

                    // Paid once for all the scrapes sharing this collection.
                    GzipCompressor.Compress(_compression, _body.WrittenMemory, _compressed);
                    _gzipped = true;
                }
            }
            catch (MetricCollectionException failure)
            {
                Failure = failure;
            }
            catch (Exception error)
            {
                Fault = error;
            }
        }

        public void Dispose()
        {
            _body.Dispose();
            _compressed?.Dispose();
            _compression?.Dispose();
            Done.Dispose();
        }
    }
}

/// <summary>
/// What a scrape asks for, read from the request by the one set of negotiation rules
/// (<see cref="ContentNegotiation"/>, <see cref="QueryString"/>).
/// </summary>
internal readonly struct ScrapeRequest
{
    public ScrapeRequest(ExpositionFormat format, bool gzip, IReadOnlySet<string>? names)
    {
        Format = format;
        Gzip = gzip;
        Names = names;
    }

    public ExpositionFormat Format { get; }

    public bool Gzip { get; }

    /// <summary>The <c>name[]</c> filter, or null for the whole registry.</summary>
    public IReadOnlySet<string>? Names { get; }

    /// <summary>From the raw request bytes the exporter's parser points into; the names go into <paramref name="names"/>.</summary>
    public static ScrapeRequest Read(
        ReadOnlySpan<byte> buffer, ReadOnlySpan<ByteRange> accept, ReadOnlySpan<ByteRange> acceptEncoding, ReadOnlySpan<byte> query, HashSet<string> names)
    {
        names.Clear();
        return new ScrapeRequest(
            ContentNegotiation.ChooseFormat(buffer, accept),
            ContentNegotiation.AcceptsGzip(buffer, acceptEncoding),
            !query.IsEmpty && QueryString.ReadNames(query, names) ? names : null);
    }

    /// <summary>From the header and query strings another host (Kestrel) hands out.</summary>
    public static ScrapeRequest Read(string? accept, string? acceptEncoding, string? query, HashSet<string> names)
    {
        names.Clear();
        return new ScrapeRequest(
            ExpositionFormats.Negotiate(accept),
            ExpositionFormats.AcceptsGzip(acceptEncoding),
            ExpositionFormats.ReadNameFilter(query, names) ? names : null);
    }
}

/// <summary>
/// A complete answer to a scrape: status, what the body is, and the body itself in a buffer of the
/// <see cref="ScrapeBuffers"/> it was built into (valid until those buffers are used again).
/// </summary>
internal readonly struct ScrapeAnswer
{
    private readonly ReservedBuffer _buffer;
    private readonly int _headroom;

    internal ScrapeAnswer(int status, ExpositionFormat? format, bool gzip, ReservedBuffer buffer, int headroom, MetricCollectionException? failure, bool fault)
    {
        Status = status;
        Format = format;
        Gzip = gzip;
        _buffer = buffer;
        _headroom = headroom;
        Failure = failure;
        IsFault = fault;
    }

    /// <summary>200, 500 or 503.</summary>
    public int Status { get; }

    /// <summary>The exposition format of a 200; null for the plain-text bodies of the other answers.</summary>
    public ExpositionFormat? Format { get; }

    /// <summary>Whether the body is gzip (<c>Content-Encoding: gzip</c>).</summary>
    public bool Gzip { get; }

    /// <summary>The failing source's exception of a 500 that names it.</summary>
    public MetricCollectionException? Failure { get; }

    /// <summary>A 500 of an unexpected error: the host should close the connection.</summary>
    public bool IsFault { get; }

    /// <summary>The <c>Content-Type</c> value.</summary>
    public string ContentType => Format is ExpositionFormat format ? format.ContentType() : "text/plain; charset=utf-8";

    /// <summary>The body to send.</summary>
    public ReadOnlyMemory<byte> Body => _buffer.Writer.WrittenMemory.Slice(_headroom);

    /// <summary>The buffer holding the body after <see cref="ScrapeBuffers.Headroom"/> reserved bytes.</summary>
    internal ReservedBuffer Buffer => _buffer;

    internal ScrapeAnswer WithFailure(MetricCollectionException failure) =>
        new(Status, Format, Gzip, _buffer, _headroom, failure, IsFault);
}

/// <summary>
/// The reusable buffers of one scrape at a time (a connection's, or one of an endpoint's pool), so a steady-state
/// scrape into them allocates nothing. Each buffer starts with <see cref="Headroom"/> reserved bytes, where the
/// exporter writes the response head in front of the body (one contiguous send, no copy); Kestrel uses none.
/// Not thread-safe.
/// </summary>
internal sealed class ScrapeBuffers : IDisposable
{
    private ReservedBuffer? _compressed;
    private GzipCompressor.Request? _compression;

    public ScrapeBuffers(int headroom = 0)
    {
        Headroom = headroom;
        Body = new ReservedBuffer(headroom);
    }

    public int Headroom { get; }

    /// <summary>Receives the <c>name[]</c> values of the request these buffers answer.</summary>
    public HashSet<string> Names { get; } = new(StringComparer.Ordinal);

    internal ReservedBuffer Body { get; }

    // Only created once a client asks for gzip.
    internal ReservedBuffer Compressed => _compressed ??= new ReservedBuffer(Headroom);

    internal GzipCompressor.Request Compression => _compression ??= new GzipCompressor.Request();

    public void Dispose()
    {
        Body.Writer.Dispose();
        _compressed?.Writer.Dispose();
        _compression?.Dispose();
    }
}

/// <summary>A pooled buffer whose first bytes are kept free for a response head written once the body is known.</summary>
internal sealed class ReservedBuffer
{
    private readonly int _headroom;

    public ReservedBuffer(int headroom) => _headroom = headroom;

    public PooledBufferWriter Writer { get; } = new();

    public void Begin()
    {
        Writer.Clear();
        if (_headroom > 0)
        {
            Writer.GetSpan(_headroom);
            Writer.Advance(_headroom);
        }
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Writer.GetSpan(bytes.Length));
        Writer.Advance(bytes.Length);
    }

    public void AppendUtf8(string text)
    {
        int written = Encoding.UTF8.GetBytes(text, Writer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length)));
        Writer.Advance(written);
    }
}
