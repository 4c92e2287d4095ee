using System;
using System.Collections.Generic;
using System.Threading;

namespace MetricsGen;

/// <summary>
/// Settings of a <see cref="PrometheusExporter"/>: where it listens and the limits that keep a misbehaving
/// client from hurting the host process. Read once, when the exporter is created.
/// </summary>
public sealed class PrometheusExporterOptions
{
    /// <summary>
    /// The address to listen on: an IPv4 or IPv6 literal or a host name. Default <c>"0.0.0.0"</c> (all IPv4
    /// interfaces). <c>"::"</c> listens on all IPv6 interfaces and, dual-mode, on IPv4 too.
    /// </summary>
    public string Host { get; set; } = "0.0.0.0";

    /// <summary>The TCP port. Default 8000; 0 lets the operating system pick one (see <see cref="PrometheusExporter.Port"/>).</summary>
    public int Port { get; set; } = 8000;

    /// <summary>The path that serves the exposition. Default <c>"/metrics"</c>; other paths answer 404.</summary>
    public string Path { get; set; } = "/metrics";

    /// <summary>Open connections at most; beyond it a new connection is closed at once. Default 64.</summary>
    public int MaxConnections { get; set; } = 64;

    /// <summary>Scrapes collected at the same time at most; beyond it a scrape gets 503. Default 4.</summary>
    public int MaxConcurrentScrapes { get; set; } = 4;

    /// <summary>
    /// The largest request head (request line and header fields) in bytes. Default 16 KiB; a larger one gets 431
    /// (414 when the request line alone does not fit).
    /// </summary>
    public int MaxRequestHeaderBytes { get; set; } = 16 * 1024;

    /// <summary>
    /// How long a client may take to send a complete request head, counted from its connection or from the
    /// first byte of a request; a slower client is disconnected without a response. Default 10 seconds.
    /// </summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a kept-alive connection may wait for its next request before it is closed. Default 2 minutes
    /// (longer than the usual scrape interval, so Prometheus keeps its connection).
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long collecting one scrape may take; a slower scrape gets 503 and its connection is closed.
    /// Default 10 seconds (Prometheus' default scrape timeout). <see cref="Timeout.InfiniteTimeSpan"/> disables it.
    /// </summary>
    public TimeSpan ScrapeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long sending one response may take; a client that reads slower is disconnected. Default 30 seconds.
    /// </summary>
    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long <see cref="PrometheusExporter.Stop"/> waits for connections to finish before it returns
    /// anyway. Default 5 seconds.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Receives the problems reported on the exporter's registry while the exporter runs: its own (a
    /// <see cref="MetricCollectionException"/> naming a failing source, a <see cref="TimeoutException"/> for a scrape
    /// slower than <see cref="ScrapeTimeout"/>, unexpected internal errors) and every other
    /// <see cref="MetricRegistry.Warning"/> of that registry. It is a subscription to that event from
    /// <see cref="PrometheusExporter.Start"/> to <see cref="PrometheusExporter.Stop"/>, so each problem reaches it
    /// once. Runs on the thread that met the problem; exceptions it throws are swallowed. Misbehaving clients
    /// (malformed requests, resets, timeouts) are answered or disconnected but not reported. Default null.
    /// </summary>
    public Action<Exception>? OnError { get; set; }

    /// <summary>
    /// Serve HTTPS instead of plain HTTP: certificate, key and the TLS settings. Default null (plain HTTP).
    /// A missing or unusable file makes <see cref="PrometheusExporter.Start"/> throw, naming the file.
    /// </summary>
    public ExporterTlsOptions? Tls { get; set; }

    /// <summary>
    /// Users allowed to scrape with HTTP basic authentication: user name (compared ordinally) to bcrypt hash
    /// (<c>$2a$</c>, <c>$2b$</c> or <c>$2y$</c>, cost 4 to 31, as <c>htpasswd -B</c> makes it). Empty (the default):
    /// no authentication. When not empty, every request without valid credentials gets 401. Without
    /// <see cref="Tls"/> the passwords travel in clear text, and <see cref="PrometheusExporter.Start"/> reports a
    /// warning to <see cref="OnError"/>.
    /// </summary>
    /// <remarks>Created empty with an ordinal comparer; fill it with the indexer or a collection initializer.</remarks>
    public IDictionary<string, string> BasicAuthUsers => _basicAuthUsers;

    // Not readonly: the validated copy gets a dictionary of its own.
    private Dictionary<string, string> _basicAuthUsers = new(StringComparer.Ordinal);

    /// <summary>The users as a read-only view, for the authenticator of a validated copy.</summary>
    internal IReadOnlyDictionary<string, string> Users => _basicAuthUsers;

    /// <summary>
    /// The clock of the connection deadlines (headers, idle, write); the system's in production, a manual one in tests
    /// so that a deadline test advances time instead of sleeping.
    /// </summary>
    internal TimeProvider DeadlineClock { get; set; } = TimeProvider.System;

    internal PrometheusExporterOptions Validated()
    {
        ArgumentNullException.ThrowIfNull(Host);
        ArgumentNullException.ThrowIfNull(Path);
        if (Port is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(Port), Port, "The port must be between 0 and 65535.");
        }

        if (Path.Length == 0 || Path[0] != '/' || Path.Contains('?') || Path.Contains('#'))
        {
            throw new ArgumentException("The path must start with '/' and hold no query or fragment.", nameof(Path));
        }

        foreach (char c in Path)
        {
            if (c is <= ' ' or >= '\u007f')
            {
                throw new ArgumentException("The path must be printable ASCII (percent-encode anything else).", nameof(Path));
            }
        }

        RequirePositive(MaxConnections, nameof(MaxConnections));
        RequirePositive(MaxConcurrentScrapes, nameof(MaxConcurrentScrapes));
        if (MaxRequestHeaderBytes < 256)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRequestHeaderBytes), MaxRequestHeaderBytes, "At least 256 bytes.");
        }

        RequireTimeout(RequestHeadersTimeout, nameof(RequestHeadersTimeout));
        RequireTimeout(IdleTimeout, nameof(IdleTimeout));
        RequireTimeout(ScrapeTimeout, nameof(ScrapeTimeout));
        RequireTimeout(WriteTimeout, nameof(WriteTimeout));
        RequireTimeout(ShutdownTimeout, nameof(ShutdownTimeout));

        foreach (KeyValuePair<string, string> user in BasicAuthUsers)
        {
            if (user.Key.Length == 0 || user.Key.Contains(':'))
            {
                throw new ArgumentException("A basic-auth user name must not be empty or contain ':'.", nameof(BasicAuthUsers));
            }

            if (!Bcrypt.TryParse(user.Value, out _))
            {
                // The hash itself is not repeated in the message: it may end up in logs.
                throw new ArgumentException(
                    $"The hash of basic-auth user '{user.Key}' is not a bcrypt hash ($2a$, $2b$ or $2y$, cost 04 to 31, 60 characters).",
                    nameof(BasicAuthUsers));
            }
        }

        // A copy, so changing the options object after construction cannot change a running exporter.
        var copy = (PrometheusExporterOptions)MemberwiseClone();
        copy.Tls = Tls?.Validated();
        copy._basicAuthUsers = new Dictionary<string, string>(_basicAuthUsers, StringComparer.Ordinal);
        return copy;
    }

    private static void RequirePositive(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be positive.");
        }
    }

    private static void RequireTimeout(TimeSpan value, string name)
    {
        if (value != Timeout.InfiniteTimeSpan && (value <= TimeSpan.Zero || value.TotalMilliseconds > int.MaxValue))
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be positive (or Timeout.InfiniteTimeSpan).");
        }
    }
}
