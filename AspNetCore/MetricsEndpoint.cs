using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MetricsGen.AspNetCore;

/// <summary>
/// Serves a registry on a <c>MapMetrics</c> route through the runtime's <see cref="ScrapeHandler"/>, the same one the
/// standalone exporter's connections use: this class only reads the request's strings into a
/// <see cref="ScrapeRequest"/> and copies the <see cref="ScrapeAnswer"/> onto Kestrel's response. Negotiation,
/// <c>name[]</c>, the concurrency limit, coalescing, gzip and the 500/503 answers are all the handler's.
/// </summary>
internal sealed class MetricsEndpoint
{
    private readonly ScrapeHandler _handler;
    private readonly Counter _textScrapes;
    private readonly Counter _openMetricsScrapes;
    private readonly Counter _protobufScrapes;
    private readonly ILogger _logger;

    // One set of buffers per concurrent scrape at most, kept between scrapes.
    private readonly ScrapeBuffers?[] _idle;

    public MetricsEndpoint(MetricRegistry registry, MetricsEndpointOptions options, ILogger logger)
    {
        _handler = new ScrapeHandler(registry, options.MaxConcurrentScrapes);
        // Every series exists from the start, so a dashboard sees 0 rather than a missing series.
        ScrapeMetrics scrapes = MetricsGenServices.ScrapeMetricsOf(registry);
        _textScrapes = scrapes.Scrapes(ScrapeFormat.Text);
        _openMetricsScrapes = scrapes.Scrapes(ScrapeFormat.OpenMetrics);
        _protobufScrapes = scrapes.Scrapes(ScrapeFormat.Protobuf);
        _logger = logger;
        _idle = new ScrapeBuffers?[options.MaxConcurrentScrapes];
        if (options.OnError is Action<Exception> onError)
        {
            // The registry's one error stream, from MapMetrics on (the endpoint lives as long as the app's routes).
            registry.Warning += onError;
        }
    }

    public async Task HandleAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        HttpResponse response = context.Response;
        ScrapeBuffers buffers = Rent();
        try
        {
            var scrape = ScrapeRequest.Read(request.Headers.Accept, request.Headers.AcceptEncoding, request.QueryString.Value, buffers.Names);
            ScrapeAnswer answer = _handler.Scrape(scrape, buffers);
            if (answer.Failure is MetricCollectionException failure)
            {
                // Already on the registry's stream (and so OnError); the log is for apps that watch their logs.
                _logger.LogError(failure, "Metric source '{Source}' failed during collection; the scrape was answered with 500.", failure.SourceName);
            }

            response.StatusCode = answer.Status;
            response.ContentType = answer.ContentType;
            response.ContentLength = answer.Body.Length;
            if (answer.Gzip)
            {
                response.Headers.ContentEncoding = "gzip";
            }

            if (answer.Format is ExpositionFormat format)
            {
                response.Headers.Vary = ExpositionFormats.VaryHeaderValue;
                (format switch
                {
                    ExpositionFormat.OpenMetrics => _openMetricsScrapes,
                    ExpositionFormat.Protobuf => _protobufScrapes,
                    _ => _textScrapes,
                }).Inc();
            }

            if (!HttpMethods.IsHead(request.Method))
            {
                // Kestrel copies into its own pipe; the buffers are ours again once the write completes.
                await response.BodyWriter.WriteAsync(answer.Body, context.RequestAborted).ConfigureAwait(false);
            }
        }
        finally
        {
            Return(buffers);
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
}
