using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MetricsGen.CompilerServices;

namespace MetricsGen;

/// <summary>
/// Holds metric sources and writes their families as one exposition. Thread-safe: sources may be
/// registered while another thread scrapes.
/// </summary>
public sealed class MetricRegistry
{
    private readonly object _registrationLock = new();

    // Copy-on-write: a scrape reads one immutable snapshot without locking.
    private IMetricSource[] _sources = Array.Empty<IMetricSource>();
    private int _defaultMaxSeries = Shared.MetricDefaults.MaxSeries;

    /// <summary>Creates an empty registry.</summary>
    public MetricRegistry()
    {
    }

    /// <summary>
    /// The process-wide registry. It already holds the process collector (Linux) and the .NET runtime collector.
    /// </summary>
    public static MetricRegistry Default { get; } = CreateDefault();

    /// <summary>
    /// Whether OpenMetrics expositions carry a <c>_created</c> sample (the series' creation time in Unix seconds)
    /// after each counter, histogram and summary series. Off by default, as in client_golang: it adds a sample per
    /// series that most setups do not use. The Prometheus text format never carries them.
    /// </summary>
    public bool EnableCreatedSamples { get; set; }

    /// <summary>
    /// The most series a labelled metric with a string or integral label holds when it declares no <c>MaxSeries</c>
    /// of its own; further label sets share the metric's overflow series (<c>metricsgen_overflow="true"</c>).
    /// Default 2,000, as the OpenTelemetry SDK. Read when a metric class is created with this registry, so set it before.
    /// Metrics labelled only by enums and bools are bounded by their types and exempt.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int DefaultMaxSeries
    {
        get => Volatile.Read(ref _defaultMaxSeries);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            Volatile.Write(ref _defaultMaxSeries, value);
        }
    }

    /// <summary>
    /// The registry's one error stream: every problem the library handles and reports for this registry — the first
    /// overflow of a metric past its series limit (<see cref="SeriesLimitExceededException"/>, once per metric), a
    /// source that failed a scrape (<see cref="MetricCollectionException"/>), an exporter's scrape timeouts and internal
    /// errors, a bridged instrument that could not be exposed. Handlers run on the thread that met the problem; an
    /// exception thrown by a handler is swallowed, never passed to the caller that met it.
    /// <see cref="PrometheusExporterOptions.OnError"/> is a subscription to this event while its exporter runs, so a
    /// problem reaches each handler once.
    /// </summary>
    public event Action<Exception>? Warning;

    /// <summary>Milliseconds of the clock that expiry uses; tests replace it before creating metric classes.</summary>
    internal Func<long> Clock { get; set; } = SystemClock;

    internal static Func<long> SystemClock { get; } = static () => Environment.TickCount64;

    /// <summary>The registered sources, in registration order.</summary>
    public IReadOnlyList<IMetricSource> Sources => Volatile.Read(ref _sources);

    /// <summary>Registers <paramref name="source"/>.</summary>
    /// <exception cref="DuplicateMetricException">
    /// One of its names is already registered (or repeated within the source); nothing is registered then.
    /// </exception>
    public void Register(IMetricSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        lock (_registrationLock)
        {
            var taken = new HashSet<string>(StringComparer.Ordinal);
            foreach (IMetricSource registered in _sources)
            {
                if (ReferenceEquals(registered, source))
                {
                    throw new DuplicateMetricException(FirstName(source), source.SourceName);
                }

                foreach (MetricDescriptor metric in registered.Metrics)
                {
                    taken.UnionWith(metric.ReservedNames);
                }
            }

            foreach (MetricDescriptor metric in source.Metrics)
            {
                foreach (string name in metric.ReservedNames)
                {
                    if (!taken.Add(name))
                    {
                        throw new DuplicateMetricException(metric.Name == name || metric.OpenMetricsName == name ? metric.Name : name, source.SourceName);
                    }
                }
            }

            var updated = new IMetricSource[_sources.Length + 1];
            _sources.CopyTo(updated, 0);
            updated[^1] = source;
            Volatile.Write(ref _sources, updated);
        }
    }

    /// <summary>Removes <paramref name="source"/>; returns false when it was not registered.</summary>
    public bool Unregister(IMetricSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        lock (_registrationLock)
        {
            int index = Array.IndexOf(_sources, source);
            if (index < 0)
            {
                return false;
            }

            var updated = new IMetricSource[_sources.Length - 1];
            Array.Copy(_sources, 0, updated, 0, index);
            Array.Copy(_sources, index + 1, updated, index, updated.Length - index);
            Volatile.Write(ref _sources, updated);
            return true;
        }
    }

    /// <summary>
    /// Exposes the instruments of <see cref="System.Diagnostics.Metrics.Meter"/>s (.NET's own, such as
    /// <c>System.Net.Http</c> or <c>Microsoft.AspNetCore.Hosting</c>, and any library's) as families of this registry,
    /// named and typed by OpenTelemetry's Prometheus compatibility rules (<c>http.client.request.duration</c> in
    /// seconds → histogram <c>http_client_request_duration_seconds</c>). Meters created later are picked up.
    /// </summary>
    /// <param name="meterNames">
    /// Meter names: a meter is bridged when its name equals an entry, or starts with an entry that ends in <c>*</c>
    /// (the part before it; <c>"MyCompany.*"</c>). An entry starting with <c>!</c> leaves the meters it names out
    /// (<c>"Microsoft.AspNetCore.*", "!Microsoft.AspNetCore.Hosting"</c>). Ordinal comparison. A registry that holds
    /// a <see cref="DotNetRuntimeCollector"/> (such as <see cref="Default"/>) skips <c>System.Runtime</c>: the
    /// collector writes the same families.
    /// </param>
    /// <returns>Stops listening when disposed, and removes the bridged families from the registry.</returns>
    /// <remarks>
    /// An instrument whose name clashes with a registered family, or with another bridged instrument of another type,
    /// unit or kind, is not exposed and is reported once through <see cref="Warning"/>; nothing is ever thrown into the
    /// code that records. Each family holds at most <see cref="DefaultMaxSeries"/> series plus its overflow series.
    /// Observable instruments are read during the scrapes that write them. See docs/meters.md.
    /// </remarks>
    /// <exception cref="ArgumentException">No names, a null or empty one, or only <c>!</c> entries.</exception>
    public IDisposable AddMeters(params string[] meterNames) => new Meters.MeterBridge(this, meterNames);

    /// <summary>Whether a <see cref="DotNetRuntimeCollector"/> is registered here.</summary>
    internal bool HoldsRuntimeCollector()
    {
        foreach (IMetricSource source in Volatile.Read(ref _sources))
        {
            if (source is DotNetRuntimeCollector)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Returns the exposition of every registered family as a string.</summary>
    /// <exception cref="MetricCollectionException">A source failed.</exception>
    /// <exception cref="ArgumentException">The format is <see cref="ExpositionFormat.Protobuf"/>, which is binary; use <see cref="WriteTo(IBufferWriter{byte}, ExpositionFormat)"/>.</exception>
    public string GenerateLatest(ExpositionFormat format = ExpositionFormat.PrometheusText)
    {
        if (format == ExpositionFormat.Protobuf)
        {
            throw new ArgumentException("The protobuf format is binary and has no string form; use WriteTo or WriteToAsync.", nameof(format));
        }

        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        WriteTo(buffer, format);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Writes the exposition into <paramref name="output"/>. Allocates nothing when the output has room.
    /// </summary>
    /// <exception cref="MetricCollectionException">
    /// A source failed; <paramref name="output"/> then holds a partial exposition and must be discarded.
    /// </exception>
    public void WriteTo(IBufferWriter<byte> output, ExpositionFormat format) => WriteTo(output, format, null);

    /// <summary>
    /// Writes the exposition of the families that expose one of <paramref name="names"/> (family or sample
    /// names, as in <c>name[]=</c> of a scrape URL), or of all families when it is null.
    /// </summary>
    /// <exception cref="MetricCollectionException">
    /// A source failed; <paramref name="output"/> then holds a partial exposition and must be discarded.
    /// </exception>
    public void WriteTo(IBufferWriter<byte> output, ExpositionFormat format, IReadOnlySet<string>? names)
    {
        ArgumentNullException.ThrowIfNull(output);
        var writer = new ExpositionWriter(output, format, names, EnableCreatedSamples);
        foreach (IMetricSource source in Volatile.Read(ref _sources))
        {
            try
            {
                source.Collect(ref writer);
            }
            catch (MetricCallbackException error)
            {
                writer.Flush();
                throw new MetricCollectionException(source.SourceName, error.MetricName, error.InnerException!);
            }
            catch (Exception error)
            {
                writer.Flush();
                throw new MetricCollectionException(source.SourceName, error);
            }
        }

        if (format == ExpositionFormat.OpenMetrics)
        {
            writer.WriteRaw("# EOF\n"u8);
        }

        writer.Flush();
    }

    /// <summary>
    /// Writes the exposition to <paramref name="stream"/>. The exposition is produced completely before the first
    /// byte is written, so a failing source never leaves a partial exposition in the stream.
    /// </summary>
    /// <exception cref="MetricCollectionException">A source failed; nothing was written.</exception>
    public async Task WriteToAsync(Stream stream, ExpositionFormat format, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new PooledBufferWriter();
        try
        {
            WriteTo(buffer, format);
            await stream.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            buffer.Dispose();
        }
    }

    internal void ReportWarning(Exception warning)
    {
        Action<Exception>? handlers = Warning;
        if (handlers is null)
        {
            return;
        }

        foreach (Action<Exception> handler in handlers.GetInvocationList())
        {
            try
            {
                handler(warning);
            }
            catch (Exception)
            {
                // A warning must never turn into a failure of the increment or lookup that raised it.
            }
        }
    }

    private static string FirstName(IMetricSource source) =>
        source.Metrics.Count > 0 ? source.Metrics[0].Name : source.SourceName;

    private static MetricRegistry CreateDefault()
    {
        var registry = new MetricRegistry();
        registry.Register(new ProcessCollector());
        registry.Register(new DotNetRuntimeCollector());
        return registry;
    }
}
