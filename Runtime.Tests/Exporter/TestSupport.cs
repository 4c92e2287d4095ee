using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MetricsGen.CompilerServices;

namespace MetricsGen.Runtime.Tests.Exporter;

/// <summary>A hand-written metric source: one gauge and one counter family, with hooks for misbehaviour.</summary>
internal sealed class TestSource : IMetricSource
{
    public TestSource(string prefix = "test", int gaugeSeries = 1)
    {
        Temperature = new GaugeFamily(new MetricDescriptor(prefix + "_temperature_celsius", MetricType.Gauge, "A temperature.", "celsius"));
        Requests = new CounterFamily(new MetricDescriptor(prefix + "_requests_total", MetricType.Counter, "Requests handled."));
        for (int i = 0; i < gaugeSeries; i++)
        {
            Temperature.Add(Encoding.UTF8.GetBytes($"room=\"room-{i:D6}\"")).Set(21.5 + i);
        }

        Requests.AddUnlabelled().Inc(7);
        Metrics = new[] { Temperature.Descriptor, Requests.Descriptor };
    }

    public GaugeFamily Temperature { get; }

    public CounterFamily Requests { get; }

    /// <summary>Run at the start of each collection (to block, sleep or count).</summary>
    public Action? BeforeCollect { get; set; }

    public volatile bool Throw;

    public string SourceName { get; set; } = "TestSource";

    public IReadOnlyList<MetricDescriptor> Metrics { get; }

    public void Collect(ref ExpositionWriter writer)
    {
        BeforeCollect?.Invoke();
        if (Throw)
        {
            throw new InvalidOperationException("The test source failed on purpose.");
        }

        writer.Write(Temperature);
        writer.Write(Requests);
    }
}

/// <summary>A source whose collection waits on a gate; tells the test when a collection has begun.</summary>
internal sealed class Gate : IDisposable
{
    private readonly ManualResetEventSlim _open = new(false);
    private readonly SemaphoreSlim _entered = new(0);

    public void Attach(TestSource source) => source.BeforeCollect = Enter;

    /// <summary>Signals that a collection began, then blocks it until <see cref="Open"/>.</summary>
    public void Enter()
    {
        _entered.Release();
        _open.Wait(TimeSpan.FromSeconds(20));
    }

    public Task<bool> WaitEnteredAsync() => _entered.WaitAsync(TimeSpan.FromSeconds(10));

    public void Open() => _open.Set();

    public void Dispose() => Open();
}

internal sealed record RawResponse(int Status, Dictionary<string, string> Headers, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;
}

/// <summary>
/// A byte-exact HTTP client on a raw socket, for requests no well-behaved client would send; over TLS when given
/// certificates (the bytes then travel inside the TLS stream, and <see cref="Socket"/> still reaches the raw socket).
/// </summary>
internal sealed class RawClient : IDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);
    private readonly SslStream? _tls;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private RawClient(Socket socket, SslStream? tls, bool handshakeFailed)
    {
        Socket = socket;
        _tls = tls;
        HandshakeFailed = handshakeFailed;
    }

    public Socket Socket { get; }

    /// <summary>The server ended the TLS handshake (for example over the connection cap): the connection is closed.</summary>
    public bool HandshakeFailed { get; }

    /// <summary>The certificate the server presented (TLS only).</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? ServerCertificate =>
        _tls?.RemoteCertificate as System.Security.Cryptography.X509Certificates.X509Certificate2;

    public SslProtocols Protocol => _tls?.SslProtocol ?? SslProtocols.None;

    public static async Task<RawClient> ConnectAsync(int port, IPAddress? address = null, int receiveBufferSize = 0, TlsClientSettings? tls = null)
    {
        address ??= IPAddress.Loopback;
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (receiveBufferSize > 0)
        {
            socket.ReceiveBufferSize = receiveBufferSize;
        }

        await socket.ConnectAsync(new IPEndPoint(address, port));
        if (tls is null)
        {
            return new RawClient(socket, null, false);
        }

        var stream = new SslStream(new NetworkStream(socket, ownsSocket: false));
        try
        {
            using var timeout = new CancellationTokenSource(DefaultTimeout);
            await stream.AuthenticateAsClientAsync(tls.Options(), timeout.Token);
            return new RawClient(socket, stream, false);
        }
        catch (Exception error) when (error is IOException or AuthenticationException or SocketException)
        {
            await stream.DisposeAsync();
            return new RawClient(socket, null, true);
        }
    }

    public static string Request(string method, string target, params string[] headers)
    {
        var text = new StringBuilder();
        text.Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        foreach (string header in headers)
        {
            text.Append(header).Append("\r\n");
        }

        return text.Append("\r\n").ToString();
    }

    public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        if (HandshakeFailed)
        {
            throw new IOException("The server closed the connection during the TLS handshake.");
        }

        if (_tls is not null)
        {
            await _tls.WriteAsync(bytes);
            await _tls.FlushAsync();
            return;
        }

        int sent = 0;
        while (sent < bytes.Length)
        {
            sent += await Socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None);
        }
    }

    public async Task<RawResponse> RoundTripAsync(string request, bool head = false)
    {
        await SendAsync(request);
        return await ReadResponseAsync(head);
    }

    /// <summary>Reads one response; the body length comes from Content-Length (none for HEAD).</summary>
    public async Task<RawResponse> ReadResponseAsync(bool head = false, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? DefaultTimeout);
        int headEnd;
        while ((headEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
        {
            await FillAsync(cancel.Token);
        }

        string headText = Encoding.Latin1.GetString(_buffer, _start, headEnd);
        _start += headEnd + 4;
        string[] lines = headText.Split("\r\n");
        string[] statusLine = lines[0].Split(' ', 3);
        if (statusLine[0] != "HTTP/1.1")
        {
            throw new InvalidDataException("Bad status line: " + lines[0]);
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 1; i < lines.Length; i++)
        {
            int colon = lines[i].IndexOf(':');
            headers.Add(lines[i].Substring(0, colon), lines[i].Substring(colon + 1).Trim());
        }

        int length = head ? 0 : int.Parse(headers["Content-Length"]);
        while (_end - _start < length)
        {
            await FillAsync(cancel.Token);
        }

        byte[] body = _buffer.AsSpan(_start, length).ToArray();
        _start += length;
        return new RawResponse(int.Parse(statusLine[1]), headers, body);
    }

    /// <summary>True when the server closes (or resets) the connection within <paramref name="timeout"/> without sending more.</summary>
    public async Task<bool> IsClosedAsync(TimeSpan timeout)
    {
        if (HandshakeFailed)
        {
            return true;
        }

        if (_end > _start)
        {
            return false;
        }

        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            return _tls is null
                ? await Socket.ReceiveAsync(new byte[1], SocketFlags.None, cancel.Token) == 0
                : await _tls.ReadAsync(new byte[1], cancel.Token) == 0;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (IOException) when (_tls is not null)
        {
            // A reset under TLS surfaces as an IOException of the stream.
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _tls?.Dispose();
        Socket.Dispose();
    }

    private async Task FillAsync(CancellationToken cancel)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        if (HandshakeFailed)
        {
            throw new EndOfStreamException("The server closed the connection during the TLS handshake.");
        }

        int count = _tls is null
            ? await Socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancel)
            : await _tls.ReadAsync(_buffer.AsMemory(_end), cancel);
        if (count == 0)
        {
            throw new EndOfStreamException("The server closed the connection.");
        }

        _end += count;
    }
}

/// <summary>
/// An exporter on 127.0.0.1 with an OS-assigned port, serving a registry with one <see cref="TestSource"/>; over TLS
/// (with the process-wide <see cref="TestCertificates.Shared"/>) when asked, and its clients then speak TLS too.
/// </summary>
internal sealed class TestServer : IAsyncDisposable
{
    static TestServer()
    {
        // Gated and sleeping test sources block pool threads (as a slow source would in production); more threads
        // up front keep the timing-based tests of other classes, which run in parallel, from starving.
        ThreadPool.GetMinThreads(out int workers, out int ports);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), ports);
    }

    public TestServer(Action<PrometheusExporterOptions>? configure = null, TestSource? source = null, bool tls = false)
    {
        Source = source ?? new TestSource();
        Registry.Register(Source);
        var options = new PrometheusExporterOptions { Host = "127.0.0.1", Port = 0, OnError = Errors.Add };
        if (tls)
        {
            Certificates = TestCertificates.Shared;
            options.Tls = Certificates.ServerOptions();
            ClientTls = new TlsClientSettings(Certificates);
        }

        configure?.Invoke(options);
        Exporter = new PrometheusExporter(options, Registry);
        Exporter.Start();
    }

    public MetricRegistry Registry { get; } = new();

    public TestSource Source { get; }

    public PrometheusExporter Exporter { get; }

    public ErrorLog Errors { get; } = new();

    public int Port => Exporter.Port;

    public TestCertificates? Certificates { get; }

    /// <summary>How clients of this server speak TLS (null: plain HTTP); tests may replace it, e.g. to add a client certificate.</summary>
    public TlsClientSettings? ClientTls { get; set; }

    public Task<RawClient> ConnectAsync(int receiveBufferSize = 0) => RawClient.ConnectAsync(Port, receiveBufferSize: receiveBufferSize, tls: ClientTls);

    public async Task<RawResponse> GetAsync(string target = "/metrics", params string[] headers)
    {
        using RawClient client = await ConnectAsync();
        return await client.RoundTripAsync(RawClient.Request("GET", target, headers));
    }

    public async ValueTask DisposeAsync() => await Exporter.DisposeAsync();
}

internal sealed class ErrorLog
{
    private readonly List<Exception> _errors = new();

    public void Add(Exception error)
    {
        lock (_errors)
        {
            _errors.Add(error);
        }
    }

    public Exception[] Snapshot()
    {
        lock (_errors)
        {
            return _errors.ToArray();
        }
    }
}

internal static class Gzip
{
    /// <summary>The exposition without the exporter's own counter, which changes with every scrape.</summary>
    public static string WithoutExporterCounter(string exposition) =>
        string.Join("\n", Array.FindAll(exposition.Split('\n'), line => !line.Contains("metricsgen_exporter_scrapes")));

    public static byte[] Decompress(byte[] compressed)
    {
        using var input = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
