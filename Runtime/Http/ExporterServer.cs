using System;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace MetricsGen;

/// <summary>
/// One run of a <see cref="PrometheusExporter"/>, from Start to Stop: the listening socket, the accept loop and
/// the open connections. A restart creates a new one, so nothing of a stopped run leaks into the next.
/// </summary>
internal sealed class ExporterServer
{
    private readonly PrometheusExporter _owner;
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stopping = new();
    // Set when the accept loop and every connection have ended: Stop waits on the event, StopAsync on the task.
    private readonly ManualResetEventSlim _drained = new(false);
    private readonly TaskCompletionSource _drainedAsync = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // The accept loop counts as one, so the count reaches 0 only after it ended and no connection can be added.
    private int _running = 1;
    private int _openConnections;

    private ExporterServer(PrometheusExporter owner, Socket listener, int port, ITlsEndpoint? tls)
    {
        _owner = owner;
        Tls = tls;
        _listener = listener;
        Port = port;
        Options = owner.Options;
        PathUtf8 = Encoding.ASCII.GetBytes(Options.Path);
        NotFoundMessage = "Not found; metrics are served at " + Options.Path + ".";
    }

    public PrometheusExporterOptions Options { get; }

    public MetricRegistry Registry => _owner.Registry;

    /// <summary>The scrape path (limit, coalescing, gzip, 500/503), shared with the other hosts' rules.</summary>
    public ScrapeHandler Handler => _owner.Handler;

    /// <summary>The TLS certificates and handshake, or null for plain HTTP.</summary>
    public ITlsEndpoint? Tls { get; }

    /// <summary>Basic authentication, or null when no users are configured.</summary>
    public BasicAuthenticator? Authenticator => _owner.Authenticator;

    public byte[] PathUtf8 { get; }

    public string NotFoundMessage { get; }

    /// <summary>The port actually bound.</summary>
    public int Port { get; }

    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Connections open right now.</summary>
    public int OpenConnections => Volatile.Read(ref _openConnections);

    /// <summary>
    /// Reads the TLS files and binds and listens synchronously, so a bad file, a bad host or a taken port throws to
    /// the caller of Start.
    /// </summary>
    public static ExporterServer Start(PrometheusExporter owner)
    {
        PrometheusExporterOptions options = owner.Options;
        // Through the factory ExporterTlsOptions registered, so plain-HTTP applications carry no TLS code (see ITlsEndpoint).
        ITlsEndpoint? tls = options.Tls is null ? null : ExporterTlsOptions.EndpointFactory!(options.Tls, owner.ReportError);
        IPAddress address = ResolveHost(options.Host);
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address.Equals(IPAddress.IPv6Any))
            {
                // "::" serves IPv4 clients too, as IPv4-mapped addresses.
                listener.DualMode = true;
            }

            AllowImmediateRebind(listener);
            listener.Bind(new IPEndPoint(address, options.Port));
            listener.Listen(512);
            int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
            var server = new ExporterServer(owner, listener, port, tls);
            _ = Task.Run(server.AcceptLoopAsync);
            return server;
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Stops accepting, cancels the connections (cutting loose running collections) and waits for them up to
    /// <paramref name="timeout"/>. The listening socket is closed before this returns, so the port is free.
    /// </summary>
    public void Stop(TimeSpan timeout)
    {
        BeginStop();

        // Out of patience: the connections end on their own once their sockets notice the cancellation.
        _drained.Wait(timeout);
    }

    /// <summary>Like <see cref="Stop"/>, awaiting the connections instead of blocking.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        BeginStop();
        try
        {
            await _drainedAsync.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // As in Stop.
        }
    }

    // _stopping and _drained are not disposed: late connections may still read the token, and neither owns a timer.
    private void BeginStop()
    {
        _stopping.Cancel();
        _listener.Dispose();
    }

    private void Leave()
    {
        if (Interlocked.Decrement(ref _running) == 0)
        {
            _drained.Set();
            _drainedAsync.TrySetResult();
        }
    }

    public void ReportError(Exception error) => _owner.ReportError(error);

    public void CountScrape(ExpositionFormat format) => _owner.CountScrape(format);

    private async Task AcceptLoopAsync()
    {
        try
        {
            await AcceptAsync().ConfigureAwait(false);
        }
        finally
        {
            Leave();
        }
    }

    private async Task AcceptAsync()
    {
        CancellationToken stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                // For example out of file descriptors: report, pause briefly rather than spin, keep listening.
                _owner.ReportError(error);
                try
                {
                    await Task.Delay(100, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            if (Interlocked.Increment(ref _openConnections) > Options.MaxConnections)
            {
                // Over the cap: close at once, before reading anything.
                Interlocked.Decrement(ref _openConnections);
                client.Dispose();
                continue;
            }

            try
            {
                var connection = new HttpConnection(this, client);

                // Counted before it starts, so its end cannot come first.
                Interlocked.Increment(ref _running);
                _ = Task.Run(() => RunConnectionAsync(connection));
            }
            catch (Exception error)
            {
                // Task.Run does not fail once the connection exists, so the running count was not raised.
                Interlocked.Decrement(ref _openConnections);
                client.Dispose();
                _owner.ReportError(error);
            }
        }
    }

    private async Task RunConnectionAsync(HttpConnection connection)
    {
        try
        {
            await connection.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _openConnections);
            Leave();
        }
    }

    private static IPAddress ResolveHost(string host)
    {
        string literal = host.Length > 2 && host[0] == '[' && host[^1] == ']' ? host.Substring(1, host.Length - 2) : host;
        if (IPAddress.TryParse(literal, out IPAddress? address))
        {
            return address;
        }

        if (host.Length == 0)
        {
            throw new ArgumentException("The host must not be empty; use \"0.0.0.0\" for all IPv4 interfaces.", nameof(host));
        }

        // A name: prefer its first IPv4 address, as the default host is IPv4.
        IPAddress[] addresses = Dns.GetHostAddresses(host);
        IPAddress? chosen = Array.Find(addresses, static a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? (addresses.Length > 0 ? addresses[0] : null);
        return chosen ?? throw new SocketException((int)SocketError.HostNotFound);
    }

    // A restart must bind while connections of the previous run sit in TIME_WAIT, which needs SO_REUSEADDR on
    // Unix. .NET's ReuseAddress option would also set SO_REUSEPORT, which lets a second listener share the port,
    // so the plain option is set directly. Windows rebinds without it and needs exclusive use instead.
    private static void AllowImmediateRebind(Socket listener)
    {
        ReadOnlySpan<byte> enabled = BitConverter.IsLittleEndian ? [1, 0, 0, 0] : [0, 0, 0, 1];
        if (OperatingSystem.IsWindows())
        {
            listener.ExclusiveAddressUse = true;
        }
        else if (OperatingSystem.IsLinux() || OperatingSystem.IsAndroid())
        {
            listener.SetRawSocketOption(1 /* SOL_SOCKET */, 2 /* SO_REUSEADDR */, enabled);
        }
        else if (OperatingSystem.IsMacOS() || OperatingSystem.IsIOS() || OperatingSystem.IsTvOS() || OperatingSystem.IsMacCatalyst() || OperatingSystem.IsFreeBSD())
        {
            listener.SetRawSocketOption(0xFFFF /* SOL_SOCKET */, 4 /* SO_REUSEADDR */, enabled);
        }
    }
}
