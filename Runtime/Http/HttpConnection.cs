using System;
using System.Buffers;
using System.Collections.Generic;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace MetricsGen;

/// <summary>
/// One client connection: completes the TLS handshake when configured, reads request heads under deadlines,
/// authenticates and answers each, and keeps the connection for the next request unless either side wants it
/// closed. Never throws: whatever the client does ends in a response, a closed connection, or both; unexpected
/// errors are reported on the registry (<see cref="MetricRegistry.Warning"/>, which OnError is subscribed to).
/// </summary>
internal sealed class HttpConnection
{
    // After an error response, unread request bytes are drained briefly so closing does not reset the
    // connection before the client has read the response.
    private const int LingerBytes = 64 * 1024;
    private static readonly TimeSpan LingerTime = TimeSpan.FromSeconds(1);

    private readonly ExporterServer _server;
    private readonly PrometheusExporterOptions _options;
    private readonly Socket _socket;
    private readonly CancellationTokenSource _deadline;
    private readonly HttpRequestParser _parser;
    private readonly ScrapeResponder _responder;
    private readonly ScrapeJob _job;
    private byte[] _receive;
    private int _received;

    // The TLS stream, or null for plain HTTP; all reads and writes go through it when set.
    private System.IO.Stream? _tls;

    public HttpConnection(ExporterServer server, Socket socket)
    {
        _server = server;
        _options = server.Options;
        _socket = socket;
        // Not a linked source: that one cannot take a clock. RunAsync cancels it when the server stops.
        _deadline = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _options.DeadlineClock);
        _parser = new HttpRequestParser(_options.MaxRequestHeaderBytes);
        _responder = new ScrapeResponder();
        _job = new ScrapeJob(server.Handler, _options.ScrapeTimeout);
        _receive = ArrayPool<byte>.Shared.Rent(_options.MaxRequestHeaderBytes);
    }

    public async Task RunAsync()
    {
        // Shutdown cuts a running collection loose, so Stop does not wait for a slow source.
        CancellationTokenRegistration onStop = _server.Stopping.UnsafeRegister(static job => ((ScrapeJob)job!).Abandon(), _job);
        CancellationTokenRegistration stopDeadline = _server.Stopping.UnsafeRegister(static deadline => ((CancellationTokenSource)deadline!).Cancel(), _deadline);
        try
        {
            _socket.NoDelay = true;

            // The first request head must arrive within the header deadline, counted from the connection, and a
            // TLS handshake counts against it: a client that stalls mid-handshake is cut off like a slow one.
            _deadline.CancelAfter(_options.RequestHeadersTimeout);
            if (_server.Tls is ITlsEndpoint tls)
            {
                _tls = await tls.AuthenticateAsync(_socket, _deadline.Token).ConfigureAwait(false);
            }

            await ServeAsync().ConfigureAwait(false);
        }
        catch (Exception error) when (IsClientOrShutdown(error))
        {
            // The client went away, was too slow, or the exporter is stopping: nothing to report.
        }
        catch (Exception error)
        {
            _server.ReportError(error);
        }
        finally
        {
            onStop.Dispose();
            stopDeadline.Dispose();
            _job.Retire();
            _responder.Dispose();
            _tls?.Dispose();
            _socket.Dispose();
            _deadline.Dispose();
            byte[] receive = _receive;
            _receive = Array.Empty<byte>();
            ArrayPool<byte>.Shared.Return(receive);
        }
    }

    private async Task ServeAsync()
    {
        bool idle = false;
        while (true)
        {
            HttpRequestHead head;
            ParseResult result;
            while ((result = _parser.Parse(_receive.AsSpan(0, _received), out head)) == ParseResult.Incomplete)
            {
                int count = await ReceiveAsync(_receive.AsMemory(_received)).ConfigureAwait(false);
                if (count == 0)
                {
                    return;
                }

                if (idle)
                {
                    // A new request has begun: from now on the header deadline applies, not the idle timeout.
                    _deadline.CancelAfter(_options.RequestHeadersTimeout);
                    idle = false;
                }

                _received += count;
            }

            _deadline.CancelAfter(Timeout.Infinite);
            if (result == ParseResult.Invalid)
            {
                _responder.BuildStatus(head.ErrorStatus, head.ErrorReason, ConnectionDirective.Close);
                await SendAsync(_responder.Response).ConfigureAwait(false);
                await LingerAsync().ConfigureAwait(false);
                return;
            }

            bool keepAlive = head.KeepAlive && !_server.Stopping.IsCancellationRequested;
            ConnectionDirective directive = !keepAlive ? ConnectionDirective.Close
                : head.IsHttp11 ? ConnectionDirective.None : ConnectionDirective.KeepAlive;
            if (!await RespondAsync(head, directive).ConfigureAwait(false) || !keepAlive)
            {
                await LingerAsync().ConfigureAwait(false);
                return;
            }

            // Keep bytes of a pipelined next request.
            int rest = _received - head.Length;
            _receive.AsSpan(head.Length, rest).CopyTo(_receive);
            _received = rest;
            _parser.Reset();
            idle = rest == 0;
            _deadline.CancelAfter(idle ? _options.IdleTimeout : _options.RequestHeadersTimeout);
        }
    }

    // Authenticates, routes and answers one valid request; returns false when the connection must close.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> RespondAsync(HttpRequestHead head, ConnectionDirective directive)
    {
        // Before routing, so OPTIONS, 404 and 405 tell nothing about the exporter to a client without credentials.
        if (_server.Authenticator is BasicAuthenticator authenticator && !await AuthenticateAsync(authenticator).ConfigureAwait(false))
        {
            _responder.BuildUnauthorized(directive, head.Method == RequestMethod.Head);
            await SendAsync(_responder.Response).ConfigureAwait(false);
            return directive != ConnectionDirective.Close;
        }

        bool isMetricsPath = !head.IsAsterisk && head.Path.Of(_receive).SequenceEqual(_server.PathUtf8);
        if (head.IsAsterisk)
        {
            // "OPTIONS *" asks about the server as a whole; no other method takes "*".
            if (head.Method == RequestMethod.Options)
            {
                _responder.BuildStatus(200, null, directive, allow: true);
            }
            else
            {
                _responder.BuildStatus(400, "Only OPTIONS accepts the '*' target.", ConnectionDirective.Close);
                directive = ConnectionDirective.Close;
            }
        }
        else if (!isMetricsPath)
        {
            _responder.BuildStatus(404, _server.NotFoundMessage, directive, head.Method == RequestMethod.Head);
        }
        else if (head.Method == RequestMethod.Options)
        {
            _responder.BuildStatus(200, null, directive, allow: true);
        }
        else if (head.Method == RequestMethod.Other)
        {
            _responder.BuildStatus(405, "Method not allowed; use GET or HEAD.", directive, allow: true);
        }
        else
        {
            return await ScrapeAsync(head, directive).ConfigureAwait(false);
        }

        await SendAsync(_responder.Response).ConfigureAwait(false);
        return directive != ConnectionDirective.Close;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> ScrapeAsync(HttpRequestHead head, ConnectionDirective directive)
    {
        bool headOnly = head.Method == RequestMethod.Head;
        var request = ScrapeRequest.Read(_receive, _parser.Accept, _parser.AcceptEncoding, head.Query.Of(_receive), _job.Buffers.Names);
        if (!await _job.RunAsync(request).ConfigureAwait(false))
        {
            // Abandoned: the job's buffers still belong to the running collection; the responder has its own.
            if (_server.Stopping.IsCancellationRequested)
            {
                return false;
            }

            _server.ReportError(new TimeoutException(
                $"A scrape took longer than the scrape timeout ({_options.ScrapeTimeout.TotalSeconds:0.###} s); answered 503."));
            _responder.BuildStatus(503, ScrapeHandler.TimeoutMessage, ConnectionDirective.Close, headOnly);
            await SendAsync(_responder.Response).ConfigureAwait(false);
            return false;
        }

        ScrapeAnswer answer = _job.Answer;
        if (answer.Status == 200)
        {
            _server.CountScrape(answer.Format!.Value);
        }

        // After an unexpected error the connection is not trusted to carry on.
        if (answer.IsFault)
        {
            directive = ConnectionDirective.Close;
        }

        _responder.Frame(answer, headOnly, directive);
        await SendAsync(_responder.Response).ConfigureAwait(false);
        return directive != ConnectionDirective.Close;
    }

    // A cache hit completes synchronously; only a bcrypt verification (cache miss) waits, under the write deadline's
    // patience rather than forever, so a queue of failed logins cannot hold a connection open indefinitely.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> AuthenticateAsync(BasicAuthenticator authenticator)
    {
        AuthResult result = authenticator.Check(_receive, _parser.Authorization, out BasicAuthenticator.PendingCredentials? pending);
        if (result != AuthResult.NeedsBcrypt)
        {
            return result == AuthResult.Granted;
        }

        _deadline.CancelAfter(_options.WriteTimeout);
        bool valid = await authenticator.VerifyAsync(pending!, _deadline.Token).ConfigureAwait(false);
        _deadline.CancelAfter(Timeout.Infinite);
        return valid;
    }

    private ValueTask<int> ReceiveAsync(Memory<byte> buffer) =>
        _tls is null
            ? _socket.ReceiveAsync(buffer, SocketFlags.None, _deadline.Token)
            : _tls.ReadAsync(buffer, _deadline.Token);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendAsync(ReadOnlyMemory<byte> response)
    {
        _deadline.CancelAfter(_options.WriteTimeout);
        if (_tls is not null)
        {
            await _tls.WriteAsync(response, _deadline.Token).ConfigureAwait(false);
        }
        else
        {
            while (!response.IsEmpty)
            {
                int sent = await _socket.SendAsync(response, SocketFlags.None, _deadline.Token).ConfigureAwait(false);
                response = response.Slice(sent);
            }
        }

        _deadline.CancelAfter(Timeout.Infinite);
    }

    // Half-closes, then discards what the client still sends for a short while before the socket is closed.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask LingerAsync()
    {
        try
        {
            if (_tls is not null)
            {
                // close_notify first, so the client sees a clean end of the TLS stream; what it still sends is then
                // drained as raw bytes below.
                await _server.Tls!.ShutdownAsync(_tls).WaitAsync(LingerTime, _deadline.Token).ConfigureAwait(false);
            }

            _socket.Shutdown(SocketShutdown.Send);
            _deadline.CancelAfter(LingerTime);
            int drained = 0;
            while (drained < LingerBytes)
            {
                int count = await _socket.ReceiveAsync(_receive.AsMemory(), SocketFlags.None, _deadline.Token).ConfigureAwait(false);
                if (count == 0)
                {
                    break;
                }

                drained += count;
            }
        }
        catch (Exception error) when (IsClientOrShutdown(error))
        {
            // Closing anyway.
        }
    }

    // AuthenticationException: a failed TLS handshake (plain HTTP on the TLS port, an old protocol, a refused client
    // certificate) concerns that client only.
    private static bool IsClientOrShutdown(Exception error) =>
        error is OperationCanceledException or SocketException or ObjectDisposedException or System.IO.IOException
            or System.Security.Authentication.AuthenticationException or TimeoutException;
}
