using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace MetricsGen;

/// <summary>
/// Pushes a <see cref="MetricRegistry"/> to a Prometheus Pushgateway, for batch jobs that end before Prometheus
/// could scrape them: <see cref="PushAsync"/> (PUT), <see cref="PushAddAsync"/> (POST) and
/// <see cref="DeleteAsync"/> (DELETE) on the group named by the job and grouping key. Thread-safe.
/// Problems it handles itself (failed periodic pushes) are reported on the registry's
/// <see cref="MetricRegistry.Warning"/> stream, to which <see cref="PushgatewayOptions.OnError"/> is subscribed
/// while the client lives.
/// </summary>
/// <example>
/// <code>
/// var options = new PushgatewayOptions { Endpoint = new Uri("http://pushgateway:9091"), Job = "nightly" };
/// options.GroupingKey["instance"] = "db-1";
/// using var pusher = new PushgatewayClient(options, registry);
/// await pusher.PushAsync();
/// </code>
/// </example>
public sealed class PushgatewayClient : IDisposable, IAsyncDisposable
{
    internal const string TextContentType = "text/plain; version=0.0.4; charset=utf-8";

    // Enough for any message the gateway writes; a misbehaving server cannot make the client buffer more.
    private const int MaxErrorBodyBytes = 64 * 1024;

    private readonly HttpClient _http;
    private readonly TimeSpan _timeout;
    private readonly bool _gzip;
    private readonly string? _authorization;
    private readonly KeyValuePair<string, string>[] _headers;
    private readonly Action<Exception>? _onError;
    private readonly byte[][] _groupingLabels;
    private readonly string[] _groupingLabelNames;
    private readonly List<PeriodicPush> _periodic = new();
    private int _disposed;

    /// <summary>Creates a client for the group that <paramref name="options"/> names; the options are copied.</summary>
    /// <param name="options">Endpoint, job, grouping key and connection settings.</param>
    /// <param name="registry">The registry to push; <see cref="MetricRegistry.Default"/> when null.</param>
    /// <exception cref="ArgumentException">
    /// No or a bad endpoint, an empty job, an invalid grouping label name, a bad timeout, or a header that cannot be
    /// sent. Nothing is sent before these are checked.
    /// </exception>
    public PushgatewayClient(PushgatewayOptions options, MetricRegistry? registry = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Registry = registry ?? MetricRegistry.Default;
        GroupUrl = PushgatewayUrl.Build(options.Endpoint, options.Job, options.GroupingKey);

        if (options.Timeout != System.Threading.Timeout.InfiniteTimeSpan
            && (options.Timeout <= TimeSpan.Zero || options.Timeout.TotalMilliseconds > int.MaxValue))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Timeout, "Timeout must be positive (or Timeout.InfiniteTimeSpan).");
        }

        _timeout = options.Timeout;
        _gzip = options.UseGzip;
        _onError = options.OnError;
        _headers = ValidatedHeaders(options.Headers);

        if (options.Username is not null)
        {
            if (options.Username.Contains(':'))
            {
                throw new ArgumentException("A basic-auth user name cannot contain ':'.", nameof(options));
            }

            foreach (KeyValuePair<string, string> header in _headers)
            {
                if (string.Equals(header.Key, "Authorization", StringComparison.OrdinalIgnoreCase))
                {
                    throw new ArgumentException("Username and an Authorization header exclude each other.", nameof(options));
                }
            }

            _authorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(options.Username + ":" + (options.Password ?? "")));
        }
        else if (options.Password is not null)
        {
            throw new ArgumentException("A password needs a Username.", nameof(options));
        }

        // The job and the grouping labels become labels of every pushed series; a series of its own with one of
        // them would be refused (400) or overwritten by the gateway, so a push with one is refused here.
        var names = new List<string> { "job" };
        if (options.GroupingKey is not null)
        {
            names.AddRange(options.GroupingKey.Keys);
        }

        _groupingLabelNames = names.ToArray();
        _groupingLabels = names.ConvertAll(static name => Encoding.ASCII.GetBytes(name)).ToArray();

        HttpMessageHandler handler = options.HttpMessageHandler ?? new SocketsHttpHandler
        {
            // A redirected PUT would resend the metrics (and credentials) elsewhere; a 3xx is reported instead.
            AllowAutoRedirect = false,
            UseCookies = false,
            // Long-running jobs push for days: pick up DNS changes of the gateway's name.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };

        _http = new HttpClient(handler, disposeHandler: options.HttpMessageHandler is null)
        {
            // The timeout is applied per request (see SendAsync) so that it covers reading an error body too.
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };

        // Last, so a constructor that throws leaves no subscription behind. One stream for every problem: the
        // callback sees what the registry's other subscribers see, each problem once.
        if (_onError is not null)
        {
            Registry.Warning += _onError;
        }
    }

    /// <summary>The registry this client pushes.</summary>
    public MetricRegistry Registry { get; }

    /// <summary>
    /// The group's URL: <c>&lt;endpoint&gt;/metrics/job/&lt;job&gt;{/&lt;label&gt;/&lt;value&gt;}</c>, labels in
    /// ordinal order, values encoded as described in docs/pushgateway.md.
    /// </summary>
    public Uri GroupUrl { get; }

    /// <summary>
    /// PUT: replaces every metric of the group with the registry's current exposition (text format 0.0.4).
    /// </summary>
    /// <exception cref="ArgumentException">A pushed series carries the job or a grouping label; nothing was sent.</exception>
    /// <exception cref="MetricCollectionException">A metric source failed; nothing was sent.</exception>
    /// <exception cref="PushgatewayException">The gateway answered with a status other than 2xx.</exception>
    /// <exception cref="HttpRequestException">The request failed in transport (connection refused, reset, TLS).</exception>
    /// <exception cref="TaskCanceledException">
    /// <paramref name="cancellationToken"/> was cancelled, or the <see cref="PushgatewayOptions.Timeout"/> passed
    /// (then its <see cref="Exception.InnerException"/> is a <see cref="TimeoutException"/>, as with HttpClient).
    /// </exception>
    public Task PushAsync(CancellationToken cancellationToken = default) => SendAsync(HttpMethod.Put, withBody: true, cancellationToken);

    /// <summary>
    /// POST: replaces only the metric families the registry holds; other families of the group stay.
    /// </summary>
    /// <exception cref="ArgumentException">A pushed series carries the job or a grouping label; nothing was sent.</exception>
    /// <exception cref="MetricCollectionException">A metric source failed; nothing was sent.</exception>
    /// <exception cref="PushgatewayException">The gateway answered with a status other than 2xx.</exception>
    /// <exception cref="HttpRequestException">The request failed in transport.</exception>
    /// <exception cref="TaskCanceledException">Cancelled, or the timeout passed (see <see cref="PushAsync"/>).</exception>
    public Task PushAddAsync(CancellationToken cancellationToken = default) => SendAsync(HttpMethod.Post, withBody: true, cancellationToken);

    /// <summary>DELETE: removes the whole group from the gateway. Deleting a group that does not exist succeeds.</summary>
    /// <exception cref="PushgatewayException">The gateway answered with a status other than 2xx.</exception>
    /// <exception cref="HttpRequestException">The request failed in transport.</exception>
    /// <exception cref="TaskCanceledException">Cancelled, or the timeout passed (see <see cref="PushAsync"/>).</exception>
    public Task DeleteAsync(CancellationToken cancellationToken = default) => SendAsync(HttpMethod.Delete, withBody: false, cancellationToken);

    /// <summary>
    /// Starts pushing (PUT, as <see cref="PushAsync"/>) at once and then every <paramref name="interval"/>, for a
    /// long-running job. Failures are reported on the registry's <see cref="MetricRegistry.Warning"/> stream (and so
    /// to <see cref="PushgatewayOptions.OnError"/>) and never escape a timer thread. Disposing the result stops the
    /// timer, waits for a push in progress, and pushes a last time (its failure is reported too), so the gateway
    /// holds the job's final values. Disposing the client does that too.
    /// </summary>
    /// <param name="interval">Time between the starts of two pushes; pushes never overlap.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is not positive.</exception>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public PeriodicPush StartPeriodicPush(TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero || interval.TotalMilliseconds > uint.MaxValue - 1)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "The interval must be positive.");
        }

        lock (_periodic)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            var push = new PeriodicPush(this, interval);
            _periodic.Add(push);
            push.Start();
            return push;
        }
    }

    /// <summary>
    /// Stops every periodic push (each pushes a last time), ends the <see cref="PushgatewayOptions.OnError"/>
    /// subscription and releases the HTTP connection pool. A handler supplied in
    /// <see cref="PushgatewayOptions.HttpMessageHandler"/> is not disposed. Later calls do nothing; the client's
    /// methods throw <see cref="ObjectDisposedException"/> afterwards.
    /// </summary>
    public void Dispose()
    {
        Task? stopped = BeginDispose();
        if (stopped is null)
        {
            return;
        }

        // Each stop runs on the thread pool (see PeriodicPush.StopAsync), so this wait cannot deadlock.
        stopped.GetAwaiter().GetResult();
        Release();
    }

    /// <summary>Like <see cref="Dispose"/>, without blocking the calling thread during the last pushes.</summary>
    public async ValueTask DisposeAsync()
    {
        Task? stopped = BeginDispose();
        if (stopped is null)
        {
            return;
        }

        await stopped.ConfigureAwait(false);
        Release();
    }

    /// <summary>
    /// Marks the client disposed and stops its periodic pushes; null when an earlier call did, so only the first
    /// call releases the connections.
    /// </summary>
    private Task? BeginDispose()
    {
        PeriodicPush[] running;
        lock (_periodic)
        {
            if (_disposed != 0)
            {
                return null;
            }

            Volatile.Write(ref _disposed, 1);
            running = _periodic.ToArray();
        }

        if (running.Length == 0)
        {
            return Task.CompletedTask;
        }

        var stops = new Task[running.Length];
        for (int i = 0; i < running.Length; i++)
        {
            stops[i] = running[i].StopAsync();
        }

        return Task.WhenAll(stops);
    }

    /// <summary>After the last pushes, so their failures still reach the callback.</summary>
    private void Release()
    {
        if (_onError is not null)
        {
            Registry.Warning -= _onError;
        }

        _http.Dispose();
    }

    internal void Forget(PeriodicPush push)
    {
        lock (_periodic)
        {
            _periodic.Remove(push);
        }
    }

    /// <summary>Reports a problem the client handled (a failed periodic push) on the registry's one stream.</summary>
    internal void ReportError(Exception error) => Registry.ReportWarning(error);

    /// <summary>The final push of a periodic push, which runs after the client stopped accepting new ones.</summary>
    internal Task PushForPeriodicAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, withBody: true, cancellationToken, allowDisposing: true);

    private async Task SendAsync(HttpMethod method, bool withBody, CancellationToken cancellationToken, bool allowDisposing = false)
    {
        if (!allowDisposing)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        }

        PooledBufferWriter? body = null;
        PooledBufferWriter? compressed = null;
        try
        {
            using var request = new HttpRequestMessage(method, GroupUrl);
            if (withBody)
            {
                body = new PooledBufferWriter(16 * 1024);
                Registry.WriteTo(body, ExpositionFormat.PrometheusText);
                int conflict = ExpositionLabelScanner.FindLabel(body.WrittenSpan, _groupingLabels);
                if (conflict >= 0)
                {
                    string name = _groupingLabelNames[conflict];
                    throw new ArgumentException(
                        $"A pushed series has the label '{name}', which is part of the grouping key (job and grouping labels); "
                        + "the Pushgateway would refuse or overwrite it. Remove the label or change the grouping key.");
                }

                ReadOnlyMemory<byte> payload = body.WrittenMemory;
                if (_gzip)
                {
                    compressed = new PooledBufferWriter(Math.Max(body.WrittenCount / 4, 1024));
                    Compress(body.WrittenSpan, compressed);
                    payload = compressed.WrittenMemory;
                }

                var content = new ReadOnlyMemoryContent(payload);
                content.Headers.TryAddWithoutValidation("Content-Type", TextContentType);
                if (_gzip)
                {
                    content.Headers.ContentEncoding.Add("gzip");
                }

                request.Content = content;
            }

            if (_authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", _authorization);
            }

            foreach (KeyValuePair<string, string> header in _headers)
            {
                request.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (_timeout != System.Threading.Timeout.InfiniteTimeSpan)
            {
                timeout.CancelAfter(_timeout);
            }

            try
            {
                using HttpResponseMessage response = await _http
                    .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token)
                    .ConfigureAwait(false);
                int status = (int)response.StatusCode;
                if (status is < 200 or > 299)
                {
                    string text = await ReadBoundedAsync(response.Content, timeout.Token).ConfigureAwait(false);
                    throw PushgatewayException.ForRequest(status, response.ReasonPhrase, method.Method, GroupUrl, text);
                }
            }
            catch (OperationCanceledException error) when (!cancellationToken.IsCancellationRequested && timeout.IsCancellationRequested)
            {
                throw new TaskCanceledException(
                    string.Create(CultureInfo.InvariantCulture, $"The Pushgateway did not answer {method.Method} {GroupUrl.AbsoluteUri} within {_timeout.TotalSeconds:0.###} s."),
                    new TimeoutException("The Pushgateway request timed out.", error));
            }
        }
        finally
        {
            body?.Dispose();
            compressed?.Dispose();
        }
    }

    private static void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> target)
    {
        var sink = new BufferWriterStream { Target = target };
        using (var gzip = new GZipStream(sink, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(source);
        }
    }

    private static async Task<string> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(MaxErrorBodyBytes);
        try
        {
            Stream stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                int total = 0;
                while (total < MaxErrorBodyBytes)
                {
                    int read = await stream.ReadAsync(buffer.AsMemory(total, MaxErrorBodyBytes - total), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    total += read;
                }

                return Encoding.UTF8.GetString(buffer, 0, total);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static KeyValuePair<string, string>[] ValidatedHeaders(IDictionary<string, string>? headers)
    {
        if (headers is null || headers.Count == 0)
        {
            return Array.Empty<KeyValuePair<string, string>>();
        }

        var result = new List<KeyValuePair<string, string>>(headers.Count);
        using var probe = new HttpRequestMessage();
        foreach (KeyValuePair<string, string> header in headers)
        {
            if (string.IsNullOrEmpty(header.Key) || header.Value is null)
            {
                throw new ArgumentException("Header names must not be empty and values not null.", nameof(PushgatewayOptions.Headers));
            }

            foreach (char c in header.Value)
            {
                // CR and LF would let a value start a header field of its own.
                if (c is '\r' or '\n' or '\0')
                {
                    throw new ArgumentException($"The value of header '{header.Key}' holds a line break or NUL.", nameof(PushgatewayOptions.Headers));
                }
            }

            // False for content headers (which describe the body this client writes) and for invalid names.
            if (!probe.Headers.TryAddWithoutValidation(header.Key, header.Value))
            {
                throw new ArgumentException(
                    $"'{header.Key}' cannot be an extra header: it is not a valid name or is a content header the client sets itself.",
                    nameof(PushgatewayOptions.Headers));
            }

            result.Add(header);
        }

        return result.ToArray();
    }
}
