using System;
using System.Threading;
using System.Threading.Tasks;

namespace MetricsGen;

/// <summary>
/// One periodic push of a <see cref="PushgatewayClient"/>: a loop on the thread pool that pushes, then waits for
/// the next tick. Disposing stops it and pushes one last time.
/// </summary>
internal sealed class PeriodicPush : IDisposable
{
    private readonly PushgatewayClient _client;
    private readonly TimeSpan _interval;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private readonly object _disposeLock = new();
    private bool _disposed;

    public PeriodicPush(PushgatewayClient client, TimeSpan interval)
    {
        _client = client;
        _interval = interval;
    }

    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>
    /// Stops the loop, waits for a push in progress, then pushes a last time; never throws. A concurrent second
    /// call (the user's and the client's Dispose) waits until the first is done, so the client never closes its
    /// connections under the last push.
    /// </summary>
    public void Dispose()
    {
        lock (_disposeLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            StopAndPushLast();
        }
    }

    private void StopAndPushLast()
    {
        _stop.Cancel();
        try
        {
            _loop.GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            // RunAsync catches everything; nothing to report here.
        }

        try
        {
            // The last push has the client's own timeout; it must not be cancelled with the loop.
            _client.PushForPeriodicAsync(CancellationToken.None).GetAwaiter().GetResult();
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
