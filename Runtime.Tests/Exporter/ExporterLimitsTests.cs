using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace MetricsGen.Runtime.Tests.Exporter;

public class ExporterLimitsTests
{
    /// <summary>Whether server and clients speak TLS; the same tests run over TLS in a subclass that overrides it.</summary>
    protected virtual bool OverTls => false;

    [Fact]
    public async Task SlowlorisIsDroppedAfterTheHeaderDeadline()
    {
        // On a manual clock: each pause is shorter than the deadline, their sum longer. A server that restarted the
        // deadline on every line (what a slowloris client counts on) would keep the connection open.
        var clock = new ManualClock();
        await using TestServer server = WithHeaderDeadlineOfOneSecond(clock);
        using RawClient client = await server.ConnectAsync();
        await WaitUntilArmedAsync(clock);
        await client.SendAsync("GET /metrics HTTP/1.1\r\nHost: x\r\n");
        clock.Advance(TimeSpan.FromMilliseconds(600));
        await client.SendAsync("X-Slow: 1\r\n");
        clock.Advance(TimeSpan.FromMilliseconds(600));

        Assert.True(await client.IsClosedAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task HeadCompletedBeforeTheDeadlineIsServed()
    {
        // The other side of the deadline: 900 ms of a 1 s deadline gone, the head completes and is answered.
        var clock = new ManualClock();
        await using TestServer server = WithHeaderDeadlineOfOneSecond(clock);
        using RawClient client = await server.ConnectAsync();
        await WaitUntilArmedAsync(clock);
        await client.SendAsync("GET /metrics HTTP/1.1\r\nHost: x\r\n");
        clock.Advance(TimeSpan.FromMilliseconds(900));
        Assert.Equal(200, (await client.RoundTripAsync("X-Late: 1\r\n\r\n")).Status);
    }

    private TestServer WithHeaderDeadlineOfOneSecond(ManualClock clock) => new(
        o =>
        {
            o.RequestHeadersTimeout = TimeSpan.FromSeconds(1);
            o.DeadlineClock = clock;
        },
        tls: OverTls);

    // The connection arms its header deadline once it has accepted; time advanced before that would be lost.
    private static async Task WaitUntilArmedAsync(ManualClock clock)
    {
        var waited = Stopwatch.StartNew();
        while (clock.ArmedTimers == 0)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), "the connection never armed its deadline");
            await Task.Delay(1);
        }
    }

    [Fact]
    public async Task SilentConnectionIsDroppedAfterTheHeaderDeadline()
    {
        await using var server = new TestServer(o => o.RequestHeadersTimeout = TimeSpan.FromMilliseconds(300), tls: OverTls);
        using RawClient client = await server.ConnectAsync();
        Assert.True(await client.IsClosedAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task HeaderDeadlineRestartsForEachRequest()
    {
        // The connection's deadlines run on a manual clock: time passes only by Advance, so the outcome does not
        // depend on how fast this machine is. Each pause is longer than the header deadline and shorter than the idle
        // timeout: if idle time counted as header time, the connection would be closed before the next request.
        var clock = new ManualClock();
        await using TestServer server = WithHeaderDeadlineOfOneSecond(clock);
        using RawClient client = await server.ConnectAsync();
        for (int i = 0; i < 3; i++)
        {
            // Idle between requests is not header time: well past the deadline in total, each request is served.
            Assert.Equal(200, (await client.RoundTripAsync(RawClient.Request("GET", "/metrics"))).Status);
            clock.Advance(TimeSpan.FromMilliseconds(1500));
        }

        Assert.Empty(server.Errors.Snapshot());
    }

    [Fact]
    public async Task IdleKeepAliveConnectionIsClosed()
    {
        await using var server = new TestServer(o => o.IdleTimeout = TimeSpan.FromMilliseconds(300), tls: OverTls);
        using RawClient client = await server.ConnectAsync();
        var watch = Stopwatch.StartNew();
        Assert.Equal(200, (await client.RoundTripAsync(RawClient.Request("GET", "/metrics"))).Status);

        // The idle clock starts after the response, so the close cannot come sooner than that after the request.
        Assert.True(await client.IsClosedAsync(TimeSpan.FromSeconds(5)));
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(290), $"closed after {watch.Elapsed}");
    }

    [Fact]
    public async Task ConnectionsBeyondTheCapAreClosedAtOnce()
    {
        await using var server = new TestServer(o => o.MaxConnections = 2, tls: OverTls);
        using RawClient first = await server.ConnectAsync();
        using RawClient second = await server.ConnectAsync();
        Assert.Equal(200, (await first.RoundTripAsync(RawClient.Request("GET", "/metrics"))).Status);
        Assert.Equal(200, (await second.RoundTripAsync(RawClient.Request("GET", "/metrics"))).Status);

        using RawClient third = await server.ConnectAsync();
        Assert.True(await third.IsClosedAsync(TimeSpan.FromSeconds(2)));

        // Room again once one closes.
        first.Dispose();
        await WaitUntilAsync(async () =>
        {
            using RawClient again = await server.ConnectAsync();
            try
            {
                return (await again.RoundTripAsync(RawClient.Request("GET", "/metrics"))).Status == 200;
            }
            catch (Exception error) when (error is IOException or SocketException)
            {
                return false;
            }
        });
    }

    [Fact]
    public async Task SlowScrapeGets503AfterTheScrapeTimeout()
    {
        using var gate = new Gate();
        await using var server = new TestServer(o => o.ScrapeTimeout = TimeSpan.FromMilliseconds(200), tls: OverTls);
        gate.Attach(server.Source);
        using RawClient client = await server.ConnectAsync();
        var watch = Stopwatch.StartNew();
        RawResponse response = await client.RoundTripAsync(RawClient.Request("GET", "/metrics"));

        Assert.Equal(503, response.Status);

        // The source is held by the gate, so only the timeout can have answered; it must not have come early.
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(150), $"answered after {watch.Elapsed}");
        Assert.Contains("timeout", response.Text);
        Assert.IsType<TimeoutException>(Assert.Single(server.Errors.Snapshot()));
        Assert.True(await client.IsClosedAsync(TimeSpan.FromSeconds(5)));

        // Once the stuck collection ends, scraping works again.
        gate.Open();
        await WaitUntilAsync(async () => (await server.GetAsync()).Status == 200);
    }

    [Fact]
    public async Task ScrapesBeyondTheConcurrencyLimitGet503()
    {
        using var gate = new Gate();
        await using var server = new TestServer(o => o.MaxConcurrentScrapes = 1, tls: OverTls);
        gate.Attach(server.Source);
        using RawClient blocked = await server.ConnectAsync();
        await blocked.SendAsync(RawClient.Request("GET", "/metrics"));
        Assert.True(await gate.WaitEnteredAsync());

        using RawClient other = await server.ConnectAsync();
        RawResponse refused = await other.RoundTripAsync(RawClient.Request("GET", "/metrics"));
        Assert.Equal(503, refused.Status);
        Assert.Contains("concurrent", refused.Text);

        // The refusal keeps the connection; after the gate opens both are served.
        gate.Open();
        Assert.Equal(200, (await blocked.ReadResponseAsync()).Status);
        Assert.Equal(200, (await other.RoundTripAsync(RawClient.Request("GET", "/metrics"))).Status);
    }

    [Fact]
    public async Task TwoHundredConcurrentClientsAreServedOrCleanlyRefused()
    {
        await using var server = new TestServer(source: new TestSource(gaugeSeries: 500), tls: OverTls);
        var clients = Enumerable.Range(0, 200).Select(async _ =>
        {
            try
            {
                using RawClient client = await server.ConnectAsync();
                RawResponse response = await client.RoundTripAsync(RawClient.Request("GET", "/metrics", "Accept-Encoding: gzip"));
                return response.Status;
            }
            catch (Exception error) when (error is IOException or SocketException)
            {
                return 0; // closed by the connection cap
            }
        }).ToArray();

        // The bound only keeps a regression from hanging the run.
        await Task.WhenAll(clients).WaitAsync(TimeSpan.FromMinutes(1));
        int[] statuses = clients.Select(c => c.Result).ToArray();

        Assert.All(statuses, status => Assert.Contains(status, new[] { 0, 200, 503 }));
        Assert.Contains(200, statuses);
        Assert.Empty(server.Errors.Snapshot());
        Assert.Equal(200, (await server.GetAsync()).Status);
    }

    [Fact]
    public async Task ClientReadingOneByteAtATimeDoesNotDelayOthers()
    {
        // About 2 MB of exposition: far more than the socket buffers hold, so the slow client's send blocks.
        await using var server = new TestServer(source: new TestSource(gaugeSeries: 40_000), tls: OverTls);
        using RawClient slow = await server.ConnectAsync(receiveBufferSize: 1024);
        await slow.SendAsync(RawClient.Request("GET", "/metrics"));
        var oneByte = new byte[1];
        using var stopSlow = new CancellationTokenSource();
        var reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task trickle = Task.Run(async () =>
        {
            try
            {
                while (!stopSlow.IsCancellationRequested && await slow.Socket.ReceiveAsync(oneByte, SocketFlags.None) == 1)
                {
                    reading.TrySetResult();

                    // Paces the reader only; no outcome depends on it.
                    await Task.Delay(10);
                }
            }
            catch (Exception error) when (error is SocketException or ObjectDisposedException)
            {
            }
        });
        // The slow response is under way (its first byte arrived), so its send is what blocks from here on.
        await reading.Task.WaitAsync(TimeSpan.FromMinutes(1));

        // Served completely while the slow client is still reading (checked below); the WaitAsync is a hang guard.
        for (int i = 0; i < 3; i++)
        {
            RawResponse response = await server.GetAsync().WaitAsync(TimeSpan.FromMinutes(1));
            Assert.Equal(200, response.Status);
        }

        Assert.False(trickle.IsCompleted, "the slow client should still be reading");
        stopSlow.Cancel();
        slow.Dispose();
        await trickle;
    }

    // Polls a condition the server's state decides; the 10 s only turns a regression into a failure instead of a hang.
    internal static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "condition not met in time");
            await Task.Delay(20);
        }
    }
}

public class ExporterRobustnessTests
{
    /// <summary>Whether server and clients speak TLS; the same tests run over TLS in a subclass that overrides it.</summary>
    protected virtual bool OverTls => false;

    [Fact]
    public async Task ClientThatNeverReadsIsDisconnectedAfterTheWriteTimeout()
    {
        // About 4.5 MB: more than loopback socket buffers absorb, so the send blocks on the client that never reads.
        await using var server = new TestServer(o => o.WriteTimeout = TimeSpan.FromMilliseconds(300), new TestSource(gaugeSeries: 100_000), tls: OverTls);
        using RawClient stuck = await server.ConnectAsync(receiveBufferSize: 1024);
        await stuck.SendAsync(RawClient.Request("GET", "/metrics"));

        // Decided by the server: its connection ends once the write timeout cut it (the client reads nothing).
        await ExporterLimitsTests.WaitUntilAsync(() => Task.FromResult(server.Exporter.OpenConnections == 0));

        // Drain what was sent before the server gave up: it must end (close or reset) well short of the full body.
        long received = 0;
        var buffer = new byte[64 * 1024];
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            int count;
            while ((count = await stuck.Socket.ReceiveAsync(buffer, SocketFlags.None, limit.Token)) > 0)
            {
                received += count;
            }
        }
        catch (SocketException)
        {
        }

        Assert.False(limit.IsCancellationRequested, $"the server should have closed the connection (received {received} bytes)");

        // The server still serves. HEAD, because a 4.5 MB body read within the test's 300 ms write timeout would
        // make this check depend on how busy the machine is.
        using RawClient next = await server.ConnectAsync();
        Assert.Equal(200, (await next.RoundTripAsync(RawClient.Request("HEAD", "/metrics"), head: true)).Status);
    }

    [Fact]
    public async Task GarbageAndAbruptResetsDoNotHurtTheServer()
    {
        var unobserved = 0;
        EventHandler<UnobservedTaskExceptionEventArgs> onUnobserved = (_, _) => Interlocked.Increment(ref unobserved);
        TaskScheduler.UnobservedTaskException += onUnobserved;
        try
        {
            await using var server = new TestServer(o => o.RequestHeadersTimeout = TimeSpan.FromMilliseconds(500), tls: OverTls);
            var random = new Random(1234);
            var clients = Enumerable.Range(0, 40).Select(async i =>
            {
                byte[] garbage = new byte[random.Next(1, 4000)];
                lock (random)
                {
                    random.NextBytes(garbage);
                }

                using RawClient client = await server.ConnectAsync();
                try
                {
                    if (i % 3 == 0)
                    {
                        // Half a valid request, then a reset (linger 0).
                        await client.SendAsync("GET /metrics HTTP/1.1\r\nHost: x\r\nAcc");
                        client.Socket.LingerState = new LingerOption(true, 0);
                        client.Socket.Close();
                        return;
                    }

                    if (i % 3 == 1)
                    {
                        // A full request and a reset before reading the response.
                        await client.SendAsync(RawClient.Request("GET", "/metrics", "Accept-Encoding: gzip"));
                        client.Socket.LingerState = new LingerOption(true, 0);
                        client.Socket.Close();
                        return;
                    }

                    await client.SendAsync(garbage);
                    await client.IsClosedAsync(TimeSpan.FromSeconds(3));
                }
                catch (Exception error) when (error is SocketException or ObjectDisposedException or IOException)
                {
                    // IOException: what a reset looks like to a TLS client.
                }
            }).ToArray();
            await Task.WhenAll(clients);

            // The reset clients' scrapes may still be collecting (they hold the scrape slots until they end), so a
            // scrape right now can rightly get "too many concurrent scrapes"; once they drain it must get 200.
            // Once every connection ended no scrape can start, and once their collections ended no slot is held.
            await ExporterLimitsTests.WaitUntilAsync(() =>
                Task.FromResult(server.Exporter.OpenConnections == 0 && server.Exporter.Handler.ActiveScrapes == 0));
            Assert.Equal(200, (await server.GetAsync()).Status);
            Assert.Empty(server.Errors.Snapshot());
        }
        finally
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            TaskScheduler.UnobservedTaskException -= onUnobserved;
        }

        Assert.Equal(0, unobserved);
    }
}
