using System;
using System.Collections.Generic;
using System.IO.Compression;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MetricsGen.AspNetCore;

/// <summary>
/// Serves a registry on a <c>MapMetrics</c> route with the standalone exporter's rules, taken from the runtime
/// (<see cref="ExpositionFormats.Negotiate"/>, <see cref="ExpositionFormats.AcceptsGzip"/>,
/// <see cref="ExpositionFormats.ReadNameFilter"/>): the exposition is produced completely into a reused buffer
/// first, so a failing source gets a 500 naming it instead of a partial body, and then handed to Kestrel's writer.
/// </summary>
internal sealed class MetricsEndpoint
{
    private static readonly byte[] TooManyScrapes = Encoding.UTF8.GetBytes("Too many concurrent scrapes; try again later.\n");

    private readonly MetricRegistry _registry;
    private readonly Counter _textScrapes;
    private readonly Counter _openMetricsScrapes;
    private readonly Counter _protobufScrapes;
    private readonly ILogger _logger;
    private readonly Action<Exception>? _onError;
    private readonly int _limit;

    // One set of buffers per concurrent scrape at most, kept between scrapes.
    private readonly ScrapeBuffers?[] _idle;
    private int _inFlight;

    public MetricsEndpoint(MetricRegistry registry, MetricsEndpointOptions options, ILogger logger)
    {
        _registry = registry;
        // Both series exist from the start, so a dashboard sees 0 rather than a missing series.
        ScrapeMetrics scrapes = MetricsGenServices.ScrapeMetricsOf(registry);
        _textScrapes = scrapes.Scrapes(ScrapeFormat.Text);
        _openMetricsScrapes = scrapes.Scrapes(ScrapeFormat.OpenMetrics);
        _protobufScrapes = scrapes.Scrapes(ScrapeFormat.Protobuf);
        _logger = logger;
        _onError = options.OnError;
        _limit = options.MaxConcurrentScrapes;
        _idle = new ScrapeBuffers?[_limit];
    }

    public async Task HandleAsync(HttpContext context)
    {
        HttpResponse response = context.Response;
        if (Interlocked.Increment(ref _inFlight) > _limit)
        {
            Interlocked.Decrement(ref _inFlight);
            await WritePlainAsync(context, StatusCodes.Status503ServiceUnavailable, TooManyScrapes).ConfigureAwait(false);
            return;
        }

        ScrapeBuffers buffers = Rent();
        try
        {
            HttpRequest request = context.Request;
            ExpositionFormat format = ExpositionFormats.Negotiate(request.Headers.Accept);
            bool gzip = ExpositionFormats.AcceptsGzip(request.Headers.AcceptEncoding);
            buffers.Names.Clear();
            IReadOnlySet<string>? names = request.QueryString.HasValue && ExpositionFormats.ReadNameFilter(request.QueryString.Value, buffers.Names)
                ? buffers.Names
                : null;

            buffers.Body.Clear();
            try
            {
                _registry.WriteTo(buffers.Body, format, names);
            }
            catch (MetricCollectionException failure)
            {
                Report(failure);
                byte[] message = Encoding.UTF8.GetBytes("Metric source '" + failure.SourceName + "' failed during collection.\n");
                await WritePlainAsync(context, StatusCodes.Status500InternalServerError, message).ConfigureAwait(false);
                return;
            }

            ReadOnlyMemory<byte> payload = gzip ? buffers.Compress() : buffers.Body.WrittenMemory;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = format.ContentType();
            response.ContentLength = payload.Length;
            if (gzip)
            {
                response.Headers.ContentEncoding = "gzip";
            }

            response.Headers.Vary = ExpositionFormats.VaryHeaderValue;
            (format switch
            {
                ExpositionFormat.OpenMetrics => _openMetricsScrapes,
                ExpositionFormat.Protobuf => _protobufScrapes,
                _ => _textScrapes,
            }).Inc();
            if (!HttpMethods.IsHead(request.Method))
            {
                // Kestrel copies into its own pipe; the buffer is ours again once the write completes.
                await response.BodyWriter.WriteAsync(payload, context.RequestAborted).ConfigureAwait(false);
            }
        }
        finally
        {
            Return(buffers);
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static Task WritePlainAsync(HttpContext context, int status, byte[] body)
    {
        HttpResponse response = context.Response;
        response.StatusCode = status;
        response.ContentType = "text/plain; charset=utf-8";
        response.ContentLength = body.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body, 0, body.Length, context.RequestAborted);
    }

    private void Report(MetricCollectionException failure)
    {
        _logger.LogError(failure, "Metric source '{Source}' failed during collection; the scrape was answered with 500.", failure.SourceName);
        try
        {
            _onError?.Invoke(failure);
        }
        catch (Exception)
        {
            // The callback's own failure must not turn into a second error response.
        }
    }

    private ScrapeBuffers Rent()
    {
        for (int i = 0; i < _idle.Length; i++)
        {
            if (Interlocked.Exchange(ref _idle[i], null) is { } buffers)
            {
                return buffers;
            }
        }

        return new ScrapeBuffers();
    }

    private void Return(ScrapeBuffers buffers)
    {
        for (int i = 0; i < _idle.Length; i++)
        {
            if (Interlocked.CompareExchange(ref _idle[i], buffers, null) is null)
            {
                return;
            }
        }

        buffers.Dispose();
    }

    /// <summary>What one scrape needs, reused by the next one.</summary>
    private sealed class ScrapeBuffers : IDisposable
    {
        private readonly BufferWriterStream _sink = new();
        private PooledBufferWriter? _compressed;

        public PooledBufferWriter Body { get; } = new();

        public HashSet<string> Names { get; } = new(StringComparer.Ordinal);

        public ReadOnlyMemory<byte> Compress()
        {
            _compressed ??= new PooledBufferWriter();
            _compressed.Clear();
            _sink.Target = _compressed;

            // GZipStream cannot be reset, so it is the one allocation of a gzip scrape, as in the standalone exporter.
            using (var gzip = new GZipStream(_sink, CompressionLevel.Fastest, leaveOpen: true))
            {
                gzip.Write(Body.WrittenSpan);
            }

            return _compressed.WrittenMemory;
        }

        public void Dispose()
        {
            Body.Dispose();
            _compressed?.Dispose();
        }
    }
}
