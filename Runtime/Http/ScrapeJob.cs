using System;
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

    private readonly ScrapeHandler _handler;
    private readonly Timer _timer;
    private readonly TimeSpan _timeout;
    private ManualResetValueTaskSourceCore<bool> _completion;
    private int _state;
    private long _startedAt;

    private ScrapeRequest _request;

    public ScrapeJob(ScrapeHandler handler, TimeSpan timeout)
    {
        _handler = handler;
        _timeout = timeout;
        _timer = new Timer(static state => ((ScrapeJob)state!).OnTimer(), this, Timeout.Infinite, Timeout.Infinite);

        // Continuations must not run inside the timer callback or the collecting thread.
        _completion.RunContinuationsAsynchronously = true;
    }

    /// <summary>The job's buffers, with room for the response head in front of the body.</summary>
    public ScrapeBuffers Buffers { get; } = new(HttpResponseHead.MaxLength);

    /// <summary>The answer of the last completed scrape, in <see cref="Buffers"/>.</summary>
    public ScrapeAnswer Answer { get; private set; }

    /// <summary>
    /// Starts answering <paramref name="request"/> into <see cref="Buffers"/> through the handler. Completes with
    /// true when the answer is ready, false when the job was abandoned (the buffers then belong to the job).
    /// </summary>
    public ValueTask<bool> RunAsync(in ScrapeRequest request)
    {
        _request = request;
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
            Buffers.Dispose();
        }
    }

    void IThreadPoolWorkItem.Execute()
    {
        // Never throws; the handler holds a scrape slot until this returns, abandoned or not.
        Answer = _handler.Scrape(_request, Buffers);

        if (Interlocked.CompareExchange(ref _state, Idle, Running) == Running)
        {
            // The connection is still waiting, so the timer is not disposed yet.
            _timer.Change(Timeout.Infinite, Timeout.Infinite);
            _completion.SetResult(true);
        }
        else
        {
            // Abandoned: nobody will send this answer; the connection is gone or going.
            Buffers.Dispose();
        }
    }

    bool IValueTaskSource<bool>.GetResult(short token) => _completion.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _completion.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _completion.OnCompleted(continuation, state, token, flags);
}
