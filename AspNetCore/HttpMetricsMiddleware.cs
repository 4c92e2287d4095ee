using System;
using System.Diagnostics;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;

namespace MetricsGen.AspNetCore;

/// <summary>
/// Records <c>http_server_request_duration_seconds</c> and <c>http_server_active_requests</c> for every request that
/// passes through it. Once a request's series exist it allocates nothing: the labels are enums, the status code,
/// and strings the framework already holds (the route template, the exception type's name).
/// </summary>
internal sealed class HttpMetricsMiddleware
{
    private readonly RequestDelegate _next;
    private readonly HttpServerMetrics _metrics;
    private readonly bool _recordMetricsEndpoint;

    public HttpMetricsMiddleware(RequestDelegate next, HttpServerMetrics metrics, bool recordMetricsEndpoint)
    {
        _next = next;
        _metrics = metrics;
        _recordMetricsEndpoint = recordMetricsEndpoint;
    }

    public Task InvokeAsync(HttpContext context)
    {
        // With WebApplication, routing has already matched here; an excluded endpoint is then not even counted as active.
        if (IsExcluded(context.GetEndpoint()))
        {
            return _next(context);
        }

        HttpRequest request = context.Request;
        HttpRequestMethod method = MethodOf(request.Method);
        UrlScheme scheme = request.IsHttps ? UrlScheme.Https : UrlScheme.Http;
        Gauge active = _metrics.ActiveRequests(method, scheme);
        active.Inc();
        long started = Stopwatch.GetTimestamp();
        Task pending;
        try
        {
            pending = _next(context);
        }
        catch (Exception error)
        {
            Complete(context, active, method, scheme, started, error);
            throw;
        }

        // The common synchronous completion needs no async state machine (and so no allocation).
        if (pending.IsCompletedSuccessfully)
        {
            Complete(context, active, method, scheme, started, null);
            return Task.CompletedTask;
        }

        return AwaitAsync(pending, context, active, method, scheme, started);
    }

    private async Task AwaitAsync(Task pending, HttpContext context, Gauge active, HttpRequestMethod method, UrlScheme scheme, long started)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        catch (Exception error)
        {
            Complete(context, active, method, scheme, started, error);
            throw;
        }

        Complete(context, active, method, scheme, started, null);
    }

    private void Complete(HttpContext context, Gauge active, HttpRequestMethod method, UrlScheme scheme, long started, Exception? error)
    {
        active.Dec();

        // Read after the pipeline: routing may run after this middleware when the app places it explicitly later.
        Endpoint? endpoint = context.GetEndpoint();
        if (IsExcluded(endpoint))
        {
            return;
        }

        // An exception that escapes before the response started becomes a 500 from the server.
        int status = error is not null && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
        _metrics.RequestDuration(
                method,
                status,
                RouteOf(endpoint),
                scheme,
                ProtocolOf(context.Request.Protocol),
                error?.GetType().FullName ?? string.Empty)
            .Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private bool IsExcluded(Endpoint? endpoint)
    {
        if (endpoint is null)
        {
            return false;
        }

        EndpointMetadataCollection metadata = endpoint.Metadata;
        if (!_recordMetricsEndpoint && metadata.GetMetadata<MetricsEndpointMetadata>() is not null)
        {
            return true;
        }

#if NET9_0_OR_GREATER
        // ASP.NET Core 9's DisableHttpMetrics() opts an endpoint out of its own meter; it is honoured here too.
        return metadata.GetMetadata<IDisableHttpMetricsMetadata>() is not null;
#else
        return false;
#endif
    }

    // The template as written (ASP.NET Core's own http.route), never the path: "/hello/{name}", not "/hello/bob".
    internal static string RouteOf(Endpoint? endpoint)
    {
        if (endpoint is null)
        {
            return string.Empty;
        }

        return endpoint.Metadata.GetMetadata<IRouteDiagnosticsMetadata>()?.Route
            ?? (endpoint as RouteEndpoint)?.RoutePattern.RawText
            ?? string.Empty;
    }

    // Exact, case-sensitive names as OpenTelemetry requires; Kestrel hands out interned strings for these.
    internal static HttpRequestMethod MethodOf(string method) => method switch
    {
        "GET" => HttpRequestMethod.Get,
        "HEAD" => HttpRequestMethod.Head,
        "POST" => HttpRequestMethod.Post,
        "PUT" => HttpRequestMethod.Put,
        "DELETE" => HttpRequestMethod.Delete,
        "PATCH" => HttpRequestMethod.Patch,
        "OPTIONS" => HttpRequestMethod.Options,
        "CONNECT" => HttpRequestMethod.Connect,
        "TRACE" => HttpRequestMethod.Trace,
        _ => HttpRequestMethod.Other,
    };

    private static NetworkProtocolVersion ProtocolOf(string protocol)
    {
        if (HttpProtocol.IsHttp11(protocol))
        {
            return NetworkProtocolVersion.Http11;
        }

        if (HttpProtocol.IsHttp2(protocol))
        {
            return NetworkProtocolVersion.Http2;
        }

        if (HttpProtocol.IsHttp3(protocol))
        {
            return NetworkProtocolVersion.Http3;
        }

        return HttpProtocol.IsHttp10(protocol) ? NetworkProtocolVersion.Http10 : NetworkProtocolVersion.Other;
    }
}
