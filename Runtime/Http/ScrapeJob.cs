using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;

namespace MetricsGen;

/// <summary>
/// Runs one connection's collection on the thread pool so the connection can stop waiting for it: after
/// <see cref="PrometheusExporterOptions.ScrapeTimeout"/>, or when the exporter stops. A metric source cannot be
/// interrupted, so an abandoned collection runs on and then returns the buffers itself.
/// Reused for every scrape of its connection; awaiting it allocates nothing.
/// </summary>
internal sealed class ScrapeJob : IThreadPoolWorkItem, IValueTaskSource<bool>
{
    private const int Idle = 0;
    private const int Running = 1;
    private const int Abandoned = 2;
    private const int Retired = 3;

    private readonly ScrapeResponder _responder;
    private readonly SemaphoreSlim _slots;
    private readonly Timer _timer;
    private readonly TimeSpan _timeout;
    private ManualResetValueTaskSourceCore<bool> _completion;
    private int _state;
    private long _startedAt;

    private ExpositionFormat _format;
    private bool _gzip;
    private bool _headOnly;
    private ConnectionDirective _connection;
    private IReadOnlySet<string>? _names;

    public ScrapeJob(ScrapeResponder responder, SemaphoreSlim slots, TimeSpan timeout)
    {
        _responder = responder;
        _slots = slots;
        _timeout = timeout;
        _timer = new Timer(static state => ((ScrapeJob)state!).OnTimer(), this, Timeout.Infinite, Timeout.Infinite);

        // Continuations must not run inside the timer callback or the collecting thread.
        _completion.RunContinuationsAsynchronously = true;
    }

    /// <summary>The failure of the last completed collection, if a source threw.</summary>
    public MetricCollectionException? Failure { get; private set; }

    /// <summary>An unexpected exception of the last completed collection (not from a source).</summary>
    public Exception? Fault { get; private set; }

    /// <summary>
    /// Starts building the metrics response into the responder. The caller holds one of the scrape slots; the job
    /// releases it when the collection really ends. Completes with true when the response is ready, false when the
    /// job was abandoned (the responder then belongs to the job).
    /// </summary>
    public ValueTask<bool> RunAsync(ExpositionFormat format, bool gzip, bool headOnly, ConnectionDirective connection, IReadOnlySet<string>? names)
    {
        _format = format;
        _gzip = gzip;
        _headOnly = headOnly;
        _connection = connection;
        _names = names;
        Failure = null;
        Fault = null;
        _completion.Reset();
        _startedAt = Stopwatch.GetTimestamp();
        Volatile.Write(ref _state, Running);
        if (_timeout != Timeout.InfiniteTimeSpan)
        {
            _timer.Change(_timeout, Timeout.InfiniteTimeSpan);
        }

        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        return new ValueTask<bool>(this, _completion.Version);
    }

    /// <summary>Stops waiting for a running collection (scrape timeout or shutdown); a no-op otherwise.</summary>
    public void Abandon()
    {
        if (Interlocked.CompareExchange(ref _state, Abandoned, Running) == Running)
        {
            _completion.SetResult(false);
        }
    }

    private void OnTimer()
    {
        // A late tick of the previous scrape's timer must not abandon the next one; the slack covers a timer
        // that fires a little before the Stopwatch agrees.
        TimeSpan slack = TimeSpan.FromTicks(Math.Min(TimeSpan.TicksPerMillisecond * 50, _timeout.Ticks / 2));
        if (Stopwatch.GetElapsedTime(Volatile.Read(ref _startedAt)) + slack >= _timeout)
        {
            Abandon();
        }
    }

    /// <summary>
    /// Called by the connection when it ends: frees the buffers now, or leaves that to the abandoned collection.
    /// </summary>
    public void Retire()
    {
        _timer.Dispose();
        if (Interlocked.CompareExchange(ref _state, Retired, Idle) == Idle)
        {
            _responder.Dispose();
        }
    }

    void IThreadPoolWorkItem.Execute()
    {
        try
        {
            Failure = _responder.BuildMetrics(_format, _gzip, _headOnly, _connection, _names);
        }
        catch (Exception error)
        {
            // Not a source failure (those are caught by the registry): report it as an internal error.
            Fault = error;
        }
        finally
        {
            _slots.Release();
        }

        if (Interlocked.CompareExchange(ref _state, Idle, Running) == Running)
        {
            // The connection is still waiting, so the timer is not disposed yet.
            _timer.Change(Timeout.Infinite, Timeout.Infinite);
            _completion.SetResult(true);
        }
        else
        {
            // Abandoned: nobody will send this response; the connection is gone or going.
            _responder.Dispose();
        }
    }

    bool IValueTaskSource<bool>.GetResult(short token) => _completion.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _completion.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _completion.OnCompleted(continuation, state, token, flags);
}
