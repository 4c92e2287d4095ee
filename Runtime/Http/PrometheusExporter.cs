using System;
using System.Threading;
using System.Threading.Tasks;

namespace MetricsGen;

/// <summary>
/// Serves a <see cref="MetricRegistry"/> over HTTP for Prometheus to scrape: a small, strict HTTP/1.1 server
/// on <see cref="System.Net.Sockets"/> that answers GET and HEAD on one path and refuses everything else.
/// Plain HTTP without authentication by default; <see cref="PrometheusExporterOptions.Tls"/> and
/// <see cref="PrometheusExporterOptions.BasicAuthUsers"/> add HTTPS and bcrypt basic authentication.
/// </summary>
/// <example>
/// <code>
/// using var exporter = new PrometheusExporter(port: 8000);
/// exporter.Start();
/// </code>
/// </example>
public sealed class PrometheusExporter : IDisposable, IAsyncDisposable
{
    // Serialises Start and Stop, including Stop's wait, so a Start never races the previous run's listener.
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly ExporterMetrics _metrics = new();
    private ExporterServer? _server;
    private bool _metricsRegistered;
    private int _assignedPort;
    private int _lastServedFormat = -1;
    private int _disposed;

    /// <summary>Creates an exporter for <paramref name="registry"/> on all IPv4 interfaces at <paramref name="port"/>.</summary>
    /// <param name="port">The TCP port; 0 lets the operating system pick one.</param>
    /// <param name="registry">The registry to serve; <see cref="MetricRegistry.Default"/> when null.</param>
    public PrometheusExporter(int port = 8000, MetricRegistry? registry = null)
        : this(new PrometheusExporterOptions { Port = port }, registry)
    {
    }

    /// <summary>Creates an exporter with <paramref name="options"/>, which are copied (later changes have no effect).</summary>
    /// <param name="options">Where to listen and the limits.</param>
    /// <param name="registry">The registry to serve; <see cref="MetricRegistry.Default"/> when null.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public PrometheusExporter(PrometheusExporterOptions options, MetricRegistry? registry = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Validated();
        Registry = registry ?? MetricRegistry.Default;
        Handler = new ScrapeHandler(Registry, Options.MaxConcurrentScrapes);
        Authenticator = BasicAuthenticator.Create(Options.Users);
    }

    /// <summary>The registry this exporter serves.</summary>
    public MetricRegistry Registry { get; }

    /// <summary>
    /// The configured port; when it was configured as 0, the port the operating system assigned once started
    /// (0 before the first <see cref="Start"/>).
    /// </summary>
    public int Port => Options.Port != 0 ? Options.Port : Volatile.Read(ref _assignedPort);

    /// <summary>Whether the exporter is serving (between <see cref="Start"/> and <see cref="Stop"/>).</summary>
    public bool IsRunning => Volatile.Read(ref _server) is not null;

    /// <summary>The format of the last exposition served successfully, or null before the first one.</summary>
    internal ExpositionFormat? LastServedFormat
    {
        get
        {
            int format = Volatile.Read(ref _lastServedFormat);
            return format < 0 ? null : (ExpositionFormat)format;
        }
    }

    /// <summary>Connections open right now (0 when not running).</summary>
    internal int OpenConnections => Volatile.Read(ref _server)?.OpenConnections ?? 0;

    internal PrometheusExporterOptions Options { get; }

    /// <summary>Answers the scrapes; kept across restarts, like its coalescing buffers.</summary>
    internal ScrapeHandler Handler { get; }

    /// <summary>Basic authentication, or null without users; kept across restarts with its cache.</summary>
    internal BasicAuthenticator? Authenticator { get; }

    /// <summary>
    /// Starts serving in the background. A second call while running does nothing. While running, the exporter
    /// also exposes <c>metricsgen_exporter_scrapes_total{format}</c> in its registry (unless another exporter on the
    /// same registry already does).
    /// </summary>
    /// <exception cref="System.Net.Sockets.SocketException">
    /// The port is in use or the host cannot be bound or resolved; the exporter is then not running.
    /// </exception>
    /// <exception cref="ObjectDisposedException">The exporter was disposed.</exception>
    /// <exception cref="InvalidOperationException">
    /// A TLS file (<see cref="PrometheusExporterOptions.Tls"/>) is missing or unusable; the message names it.
    /// </exception>
    /// <remarks>
    /// With <see cref="PrometheusExporterOptions.BasicAuthUsers"/> but without TLS, reports an
    /// <see cref="InvalidOperationException"/> warning on the registry (<see cref="MetricRegistry.Warning"/>, and so
    /// <see cref="PrometheusExporterOptions.OnError"/>) once, from this call, and serves anyway.
    /// </remarks>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        _lifecycle.Wait();
        try
        {
            // Checked again under the lock: a Dispose that began meanwhile stops nothing started after it.
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (_server is not null)
            {
                return;
            }

            ExporterServer server = ExporterServer.Start(this);
            Volatile.Write(ref _assignedPort, server.Port);
            try
            {
                Registry.Register(_metrics);
                _metricsRegistered = true;
            }
            catch (DuplicateMetricException)
            {
                // Another exporter serves the same registry and already counts its scrapes there.
                _metricsRegistered = false;
            }

            // OnError is a subscription to the registry's one error stream while the exporter runs: the exporter's
            // own problems are reported there too (ReportError), so each reaches each handler once.
            if (Options.OnError is Action<Exception> onError)
            {
                Registry.Warning += onError;
            }

            Volatile.Write(ref _server, server);
            if (Authenticator is not null && Options.Tls is null)
            {
                ReportError(new InvalidOperationException(
                    "Basic authentication is configured without TLS: passwords cross the network in clear text. Set PrometheusExporterOptions.Tls."));
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>
    /// Stops serving: closes the listening socket (the port is free when this returns), cuts open connections
    /// and waits for them up to <see cref="PrometheusExporterOptions.ShutdownTimeout"/>. Safe when not running;
    /// <see cref="Start"/> works again afterwards.
    /// </summary>
    /// <remarks>
    /// Synchronous all the way: it waits on a signal the connections set as they end, which needs no thread of the
    /// caller's, so it cannot deadlock under a synchronization context.
    /// </remarks>
    public void Stop()
    {
        _lifecycle.Wait();
        try
        {
            TakeServer()?.Stop(Options.ShutdownTimeout);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Like <see cref="Stop"/>, without blocking the calling thread while connections finish.</summary>
    public async Task StopAsync()
    {
        await _lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            if (TakeServer() is ExporterServer server)
            {
                await server.StopAsync(Options.ShutdownTimeout).ConfigureAwait(false);
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Returns the registry's exposition in the Prometheus text format 0.0.4; needs no server.</summary>
    /// <exception cref="MetricCollectionException">A source failed.</exception>
    public string GenerateLatest() => Registry.GenerateLatest(ExpositionFormat.PrometheusText);

    /// <summary>
    /// Stops the exporter synchronously (see <see cref="Stop"/>); afterwards <see cref="Start"/> throws
    /// <see cref="ObjectDisposedException"/>. A second call does nothing.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Stop();
        }
    }

    /// <summary>
    /// Stops the exporter without blocking (see <see cref="StopAsync"/>); afterwards <see cref="Start"/> throws
    /// <see cref="ObjectDisposedException"/>. A second call does nothing.
    /// </summary>
    public ValueTask DisposeAsync() =>
        Interlocked.Exchange(ref _disposed, 1) == 0 ? new ValueTask(StopAsync()) : default;

    internal void CountScrape(ExpositionFormat format)
    {
        _metrics.CountScrape(format);
        Volatile.Write(ref _lastServedFormat, (int)format);
    }

    /// <summary>
    /// Reports a problem of the exporter on its registry's stream (<see cref="MetricRegistry.Warning"/>), which
    /// <see cref="PrometheusExporterOptions.OnError"/> is subscribed to while running; handlers' exceptions are swallowed there.
    /// </summary>
    internal void ReportError(Exception error) => Registry.ReportWarning(error);

    // Called under the lifecycle lock: detaches the running server, its subscription and its counter.
    private ExporterServer? TakeServer()
    {
        ExporterServer? server = _server;
        if (server is null)
        {
            return null;
        }

        Volatile.Write(ref _server, null);
        if (Options.OnError is Action<Exception> onError)
        {
            Registry.Warning -= onError;
        }

        if (_metricsRegistered)
        {
            Registry.Unregister(_metrics);
            _metricsRegistered = false;
        }

        return server;
    }
}
