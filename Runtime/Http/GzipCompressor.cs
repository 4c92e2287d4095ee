using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO.Compression;
using System.Threading;

namespace MetricsGen;

/// <summary>
/// Runs every gzip compression of the process's scrapes (exporters and <c>MapMetrics</c> endpoints alike) on one
/// background thread: the one place gzip is written.
/// </summary>
/// <remarks>
/// Each <see cref="GZipStream"/> allocates zlib's deflate state with the C allocator, and glibc gives every thread
/// that allocates its own malloc arena, which keeps its pages: with 4 concurrent gzip scrapes on thread-pool threads
/// the NativeAOT Sample grew by three arenas of ~1.9 MiB each (docs/benchmarks.md, F12). On one thread there is one
/// arena. Compressions are serialized, which costs little: concurrent scrapes of the same format already share one
/// compression (<see cref="ScrapeHandler"/>). The caller blocks until its request is done; callers are scrape jobs
/// on the thread pool or Kestrel's request threads, which block for their collection anyway.
/// </remarks>
internal static class GzipCompressor
{
    private static readonly object Gate = new();
    private static readonly Queue<Request> Pending = new();
    private static Thread? s_worker;

    /// <summary>Appends the gzip of <paramref name="source"/> to <paramref name="request"/>'s target.</summary>
    public static void Compress(Request request, ReadOnlyMemory<byte> source, IBufferWriter<byte> target)
    {
        request.Prepare(source, target);
        lock (Gate)
        {
            if (s_worker is null)
            {
                s_worker = new Thread(Work) { IsBackground = true, Name = "MetricsGen gzip" };
                s_worker.Start();
            }

            Pending.Enqueue(request);
            Monitor.Pulse(Gate);
        }

        request.Done.Wait();
        if (request.Error is Exception error)
        {
            // A fresh wrapper per caller: an exception object must not be thrown on two threads at once.
            throw new InvalidOperationException("gzip compression failed.", error);
        }
    }

    private static void Work()
    {
        while (true)
        {
            Request request;
            lock (Gate)
            {
                while (Pending.Count == 0)
                {
                    Monitor.Wait(Gate);
                }

                request = Pending.Dequeue();
            }

            request.Run();
        }
    }

    /// <summary>One caller's reusable request: its stream adapter and completion signal (no allocation per use).</summary>
    internal sealed class Request : IDisposable
    {
        private readonly BufferWriterStream _sink = new();
        private ReadOnlyMemory<byte> _source;

        public ManualResetEventSlim Done { get; } = new(false);

        public Exception? Error { get; private set; }

        public void Prepare(ReadOnlyMemory<byte> source, IBufferWriter<byte> target)
        {
            _source = source;
            _sink.Target = target;
            Error = null;
            Done.Reset();
        }

        public void Run()
        {
            try
            {
                // GZipStream cannot be reset (the BCL has no reusable deflate encoder), so it is the one allocation
                // of a compression; its buffers are pooled.
                using var gzip = new GZipStream(_sink, CompressionLevel.Fastest, leaveOpen: true);
                gzip.Write(_source.Span);
            }
            catch (Exception error)
            {
                Error = error;
            }
            finally
            {
                _source = default;
                _sink.Target = null;
                Done.Set();
            }
        }

        public void Dispose() => Done.Dispose();
    }
}
