using System;
using System.Threading;

namespace MetricsGen;

/// <summary>
/// Lets concurrent unfiltered scrapes that ask for the same format and encoding share one collection (client_golang's
/// coalesced gather): the first becomes the leader and writes (and compresses) the exposition; scrapes that arrive
/// while it runs wait for it and copy its bytes. A scrape arriving after it finished starts a new one, so no
/// response is older than the collection that was running when its request arrived; there is no time-based cache.
/// One per exporter; thread-safe.
/// </summary>
internal sealed class ScrapeCoalescer
{
    private const int Keys = 8;

    private readonly MetricRegistry _registry;
    private readonly object _lock = new();

    // Per (format, gzip): the collection in flight, and one finished collection kept for its buffers.
    private readonly Shared?[] _inFlight = new Shared?[Keys];
    private readonly Shared?[] _idle = new Shared?[Keys];

    public ScrapeCoalescer(MetricRegistry registry) => _registry = registry;

    /// <summary>How many collections were run (scrapes that shared one count once).</summary>
    internal long Collections => Interlocked.Read(ref _collections);

    private long _collections;
    private int _waiters;

    /// <summary>Scrapes waiting for another scrape's collection right now.</summary>
    internal int Waiters => Volatile.Read(ref _waiters);

    /// <summary>
    /// Returns the exposition for <paramref name="format"/> (gzipped when <paramref name="gzip"/>): a collection
    /// already in flight, waited for, or a new one run on this thread. The caller reads it and then must call
    /// <see cref="Release"/>.
    /// </summary>
    public Shared Acquire(ExpositionFormat format, bool gzip)
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
            flight.Collect(_registry, format, gzip);
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

    /// <summary>Ends a reader's use of <paramref name="flight"/>; the last one keeps it for reuse or frees it.</summary>
    public void Release(Shared flight)
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

    /// <summary>One collection's result: the payload (the exposition, or its gzip), or the failure.</summary>
    internal sealed class Shared : IDisposable
    {
        private readonly PooledBufferWriter _body = new();
        private PooledBufferWriter? _compressed;
        private GzipCompressor.Request? _compression;
        private bool _gzipped;

        public Shared(int key) => Key = key;

        public int Key { get; }

        /// <summary>Readers of this collection, the leader included; guarded by the coalescer's lock.</summary>
        public int Users { get; set; }

        public ManualResetEventSlim Done { get; } = new(false);

        /// <summary>A source failed: every sharer answers 500 naming it.</summary>
        public MetricCollectionException? Failure { get; private set; }

        /// <summary>An unexpected exception of the collection (not from a source).</summary>
        public Exception? Fault { get; private set; }

        /// <summary>The bytes to send as the body (valid until <see cref="Release"/>).</summary>
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
                    Compress();
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

        private void Compress()
        {
            _compressed ??= new PooledBufferWriter();
            _compression ??= new GzipCompressor.Request();
            _compressed.Clear();

            // Paid once for all the scrapes sharing this collection.
            GzipCompressor.Compress(_compression, _body.WrittenMemory, _compressed);
        }
    }
}
