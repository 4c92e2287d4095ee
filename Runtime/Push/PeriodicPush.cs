using System;
using System.Threading;
using System.Threading.Tasks;

namespace MetricsGen;

/// <summary>
/// A periodic push started by <see cref="PushgatewayClient.StartPeriodicPush"/>: pushes (PUT) at once and then at
/// every interval, until it is disposed. Disposing it stops the timer, waits for a push in progress and pushes a
/// last time, so the gateway holds the job's final values. Failures of any push are reported on the registry's
/// <see cref="MetricRegistry.Warning"/> stream (and so to <see cref="PushgatewayOptions.OnError"/>), never thrown.
/// </summary>
public sealed class PeriodicPush : IDisposable, IAsyncDisposable
{
    private readonly PushgatewayClient _client;
    private readonly TimeSpan _interval;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private Task _loop = Task.CompletedTask;
    private Task? _stopping;

    internal PeriodicPush(PushgatewayClient client, TimeSpan interval)
    {
        _client = client;
        _interval = interval;
    }

    internal void Start() => _loop = Task.Run(RunAsync);

    /// <summary>
    /// Stops the timer, waits for a push in progress, then pushes a last time and returns when that push ended.
    /// Never throws: the last push's failure is reported like the others. Later calls wait for the same stop.
    /// Do not call it from a <see cref="MetricRegistry.Warning"/> handler, which runs on the push loop.
    /// </summary>
    public void Dispose()
    {
        // The stop runs on the thread pool without the caller's synchronization context (see StopAsync), so
        // blocking here cannot deadlock a UI or request thread.
        StopAsync().GetAwaiter().GetResult();
    }

    /// <summary>Like <see cref="Dispose"/>, without blocking the calling thread during the last push.</summary>
    public ValueTask DisposeAsync() => new(StopAsync());

    /// <summary>
    /// The one stop of this push, shared by every caller, so the client never closes its connections under the
    /// last push (the user's and the client's Dispose may race).
    /// </summary>
    internal Task StopAsync()
    {
        lock (_gate)
        {
            return _stopping ??= Task.Run(StopAndPushLastAsync);
        }
    }

    private async Task StopAndPushLastAsync()
    {
        _stop.Cancel();

        // RunAsync catches everything, so awaiting it cannot throw.
        await _loop.ConfigureAwait(false);
        try
        {
            // The last push has the client's own timeout; it must not be cancelled with the loop.
            await _client.PushForPeriodicAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            _client.ReportError(error);
        }

        _client.Forget(this);
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(_interval);
        try
        {
            do
            {
                try
                {
                    await _client.PushForPeriodicAsync(_stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception error)
                {
                    // A failed push (gateway down, 400, timeout) must not end the loop or reach the timer thread.
                    _client.ReportError(error);
                }
            }
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // Stopped while waiting for the next tick.
        }
    }
}
