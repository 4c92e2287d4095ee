using System;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace MetricsGen.Runtime.Tests.Exporter;

public class ExporterLifecycleTests
{
    private static PrometheusExporterOptions Loopback(int port = 0) => new() { Host = "127.0.0.1", Port = port };

    [Fact]
    public void DefaultsAreAsDocumented()
    {
        var options = new PrometheusExporterOptions();
        Assert.Equal("0.0.0.0", options.Host);
        Assert.Equal(8000, options.Port);
        Assert.Equal("/metrics", options.Path);
        Assert.Equal(64, options.MaxConnections);
        Assert.Equal(4, options.MaxConcurrentScrapes);
        Assert.Equal(16 * 1024, options.MaxRequestHeaderBytes);
        Assert.Equal(TimeSpan.FromSeconds(10), options.RequestHeadersTimeout);
        Assert.Equal(TimeSpan.FromMinutes(2), options.IdleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ScrapeTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), options.WriteTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), options.ShutdownTimeout);

        using var exporter = new PrometheusExporter();
        Assert.Equal(8000, exporter.Port);
        Assert.Same(MetricRegistry.Default, exporter.Registry);
        Assert.False(exporter.IsRunning);
        Assert.Null(exporter.LastServedFormat);
    }

    [Theory]
    [InlineData("metrics")]
    [InlineData("/metrics?x")]
    [InlineData("")]
    public void InvalidPathIsRefused(string path) =>
        Assert.Throws<ArgumentException>(() => new PrometheusExporter(new PrometheusExporterOptions { Path = path }));

    [Fact]
    public void InvalidLimitsAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PrometheusExporter(new PrometheusExporterOptions { Port = 70000 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PrometheusExporter(new PrometheusExporterOptions { MaxConnections = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PrometheusExporter(new PrometheusExporterOptions { ScrapeTimeout = TimeSpan.Zero }));
    }

    [Fact]
    public void GenerateLatestNeedsNoServer()
    {
        var registry = new MetricRegistry();
        registry.Register(new TestSource());
        using var exporter = new PrometheusExporter(port: 9090, registry: registry);
        Assert.Equal(9090, exporter.Port);
        Assert.Contains("test_requests_total 7\n", exporter.GenerateLatest());
    }

    [Fact]
    public async Task PortZeroReportsTheAssignedPortAndSecondStartIsANoOp()
    {
        var registry = new MetricRegistry();
        await using var exporter = new PrometheusExporter(Loopback(), registry);
        Assert.Equal(0, exporter.Port);
        exporter.Start();
        int port = exporter.Port;
        Assert.NotEqual(0, port);
        Assert.True(exporter.IsRunning);

        exporter.Start();
        Assert.Equal(port, exporter.Port);
        using RawClient client = await RawClient.ConnectAsync(port);
        Assert.Equal(200, (await client.RoundTripAsync(RawClient.Request("GET", "/metrics"))).Status);
    }

    [Fact]
    public async Task PortInUseFailsOnStartAndLeavesTheExporterStopped()
    {
        await using var first = new PrometheusExporter(Loopback(), new MetricRegistry());
        first.Start();
        await using var second = new PrometheusExporter(Loopback(first.Port), new MetricRegistry());

        var error = Assert.Throws<SocketException>(second.Start);
        Assert.Equal(SocketError.AddressAlreadyInUse, error.SocketErrorCode);
        Assert.False(second.IsRunning);

        // Also refused on all interfaces when the loopback port is taken.
        await using var wildcard = new PrometheusExporter(new PrometheusExporterOptions { Host = "0.0.0.0", Port = first.Port }, new MetricRegistry());
        Assert.Throws<SocketException>(wildcard.Start);
        Assert.False(wildcard.IsRunning);
        second.Stop();
    }

    [Fact]
    public void UnresolvableHostFailsOnStart()
    {
        using var exporter = new PrometheusExporter(new PrometheusExporterOptions { Host = "no-such-host.invalid", Port = 0 }, new MetricRegistry());
        Assert.ThrowsAny<SocketException>(exporter.Start);
        Assert.False(exporter.IsRunning);
    }

    [Fact]
    public void StopWhenNeverStartedIsSafe()
    {
        var exporter = new PrometheusExporter(Loopback(), new MetricRegistry());
        exporter.Stop();
        exporter.Dispose();
        exporter.Dispose();
        Assert.False(exporter.IsRunning);
    }

    [Fact]
    public async Task StartStopStartRebindsTheSamePortAtOnce()
    {
        var registry = new MetricRegistry();
        registry.Register(new TestSource());
        int port;
        using (var probe = new PrometheusExporter(Loopback(), registry))
        {
            probe.Start();
            port = probe.Port;
        }

        await using var exporter = new PrometheusExporter(Loopback(port), registry);
        for (int round = 0; round < 3; round++)
        {
            exporter.Start();
            Assert.True(exporter.IsRunning);

            // The server closes first (Connection: close), so its side of the connection sits in TIME_WAIT on
            // the port; the next Start must bind anyway.
            using (RawClient client = await RawClient.ConnectAsync(port))
            {
                Assert.Equal(200, (await client.RoundTripAsync(RawClient.Request("GET", "/metrics", "Connection: close"))).Status);
                Assert.True(await client.IsClosedAsync(TimeSpan.FromSeconds(5)));
            }

            exporter.Stop();
            Assert.False(exporter.IsRunning);
            Assert.Throws<SocketException>(() =>
            {
                using var probeClient = new TcpClient();
                probeClient.Connect(IPAddress.Loopback, port);
            });
        }

        // Only this exporter counts scrapes, and only while it runs.
        Assert.DoesNotContain("metricsgen_exporter_scrapes_total", registry.GenerateLatest());
    }

    [Fact]
    public async Task StopWhileAScrapeIsInFlightDoesNotWaitForTheSourceAndFreesThePort()
    {
        using var gate = new Gate();

        // No shutdown patience limit: Stop returns only once the connection really ended, which it must do although
        // its collection is still stuck in the source. The WaitAsync only keeps a regression from hanging the run.
        var server = new TestServer(o => o.ShutdownTimeout = Timeout.InfiniteTimeSpan);
        gate.Attach(server.Source);
        using RawClient client = await server.ConnectAsync();
        await client.SendAsync(RawClient.Request("GET", "/metrics"));
        Assert.True(await gate.WaitEnteredAsync());
        int port = server.Port;

        await Task.Run(server.Exporter.Stop).WaitAsync(TimeSpan.FromMinutes(1));
        Assert.False(server.Exporter.IsRunning);
        Assert.True(await client.IsClosedAsync(TimeSpan.FromSeconds(2)));

        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        listener.Stop();

        gate.Open();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task StopClosesIdleKeepAliveConnections()
    {
        var server = new TestServer();
        using RawClient client = await server.ConnectAsync();
        Assert.Equal(200, (await client.RoundTripAsync(RawClient.Request("GET", "/metrics"))).Status);
        var watch = Stopwatch.StartNew();
        await server.Exporter.StopAsync();
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2));
        Assert.True(await client.IsClosedAsync(TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task DualModeIPv6ServesIPv4AndIPv6()
    {
        if (!Socket.OSSupportsIPv6)
        {
            // Nothing to test without IPv6; the IPv4 paths are covered everywhere else.
            return;
        }

        var registry = new MetricRegistry();
        registry.Register(new TestSource());
        await using var exporter = new PrometheusExporter(new PrometheusExporterOptions { Host = "::", Port = 0 }, registry);
        exporter.Start();

        using RawClient v4 = await RawClient.ConnectAsync(exporter.Port, IPAddress.Loopback);
        Assert.Equal(200, (await v4.RoundTripAsync(RawClient.Request("GET", "/metrics"))).Status);
        using RawClient v6 = await RawClient.ConnectAsync(exporter.Port, IPAddress.IPv6Loopback);
        Assert.Equal(200, (await v6.RoundTripAsync(RawClient.Request("GET", "/metrics"))).Status);
    }

    [Fact]
    public async Task WildcardIPv4HostServesLoopback()
    {
        var registry = new MetricRegistry();
        registry.Register(new TestSource());
        await using var exporter = new PrometheusExporter(new PrometheusExporterOptions { Port = 0 }, registry);
        exporter.Start();
        using RawClient client = await RawClient.ConnectAsync(exporter.Port);
        Assert.Equal(200, (await client.RoundTripAsync(RawClient.Request("GET", "/metrics"))).Status);
    }

    [Fact]
    public async Task TwoExportersOnOneRegistryBothServe()
    {
        var registry = new MetricRegistry();
        registry.Register(new TestSource());
        await using var first = new PrometheusExporter(Loopback(), registry);
        await using var second = new PrometheusExporter(Loopback(), registry);
        first.Start();
        second.Start();
        using RawClient client = await RawClient.ConnectAsync(second.Port);
        RawResponse response = await client.RoundTripAsync(RawClient.Request("GET", "/metrics"));
        Assert.Equal(200, response.Status);
        Assert.Contains("metricsgen_exporter_scrapes_total", response.Text);
    }

    [Fact]
    public void StartAfterDisposeThrowsObjectDisposedException()
    {
        var exporter = new PrometheusExporter(Loopback(), new MetricRegistry());
        exporter.Start();
        exporter.Dispose();
        Assert.False(exporter.IsRunning);
        Assert.Throws<ObjectDisposedException>(exporter.Start);

        // Disposing again, or stopping, is harmless.
        exporter.Dispose();
        exporter.Stop();
        Assert.False(exporter.IsRunning);
    }

    [Fact]
    public async Task StartAfterDisposeAsyncThrowsAndASecondDisposeAsyncIsANoOp()
    {
        var exporter = new PrometheusExporter(Loopback(), new MetricRegistry());
        exporter.Start();
        await exporter.DisposeAsync();
        Assert.True(exporter.DisposeAsync().IsCompletedSuccessfully);
        Assert.Throws<ObjectDisposedException>(exporter.Start);
        Assert.False(exporter.IsRunning);
    }

    [Fact]
    public async Task StopThenStartServesAgainUntilDisposed()
    {
        var registry = new MetricRegistry();
        registry.Register(new TestSource());
        var exporter = new PrometheusExporter(Loopback(), registry);
        exporter.Start();
        exporter.Stop();
        await exporter.StopAsync();
        exporter.Start();
        using (RawClient client = await RawClient.ConnectAsync(exporter.Port))
        {
            Assert.Equal(200, (await client.RoundTripAsync(RawClient.Request("GET", "/metrics"))).Status);
        }

        exporter.Dispose();
        Assert.Throws<ObjectDisposedException>(exporter.Start);
    }

    [Fact]
    public async Task DisposeOnAThreadWhoseContextNeverRunsPostedWorkReturns()
    {
        // A UI-like context that is blocked (here: never pumps). A Dispose that awaited on the caller's context
        // would hang; the synchronous stop needs no thread of the caller's.
        using var gate = new Gate();
        await using var server = new TestServer(o => o.ShutdownTimeout = Timeout.InfiniteTimeSpan);
        gate.Attach(server.Source);
        using RawClient client = await server.ConnectAsync();
        await client.SendAsync(RawClient.Request("GET", "/metrics"));
        Assert.True(await gate.WaitEnteredAsync());

        var disposed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            SynchronizationContext.SetSynchronizationContext(new NeverPumpedContext());
            server.Exporter.Dispose();
            disposed.SetResult();
        });
        thread.Start();

        // Only a guard against a hang; a correct Dispose returns as soon as the connection ended.
        await disposed.Task.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.False(server.Exporter.IsRunning);
        Assert.Throws<ObjectDisposedException>(server.Exporter.Start);
    }

    [Fact]
    public async Task AnErrorOfTheExporterReachesRegistryWarningAndOnErrorOnceEach()
    {
        var source = new TestSource { SourceName = "Broken", Throw = true };
        await using var server = new TestServer(source: source);
        var warnings = new ErrorLog();
        server.Registry.Warning += warnings.Add;

        Assert.Equal(500, (await server.GetAsync()).Status);

        MetricCollectionException reported = Assert.IsType<MetricCollectionException>(Assert.Single(warnings.Snapshot()));
        Assert.Equal("Broken", reported.SourceName);
        Assert.Same(reported, Assert.Single(server.Errors.Snapshot()));

        // OnError is subscribed while the exporter runs, and only then.
        await server.Exporter.StopAsync();
        server.Registry.ReportWarning(new InvalidOperationException("after stop"));
        Assert.Equal(2, warnings.Snapshot().Length);
        Assert.Single(server.Errors.Snapshot());
    }

    [Fact]
    public void BasicAuthUsersIsAnEmptyOrdinalDictionaryFilledByIndexerOrInitializer()
    {
        var options = new PrometheusExporterOptions { BasicAuthUsers = { ["a"] = ExporterAuthTests.Hash } };
        options.BasicAuthUsers["b"] = ExporterAuthTests.Hash;
        Assert.Equal(2, options.BasicAuthUsers.Count);
        Assert.False(options.BasicAuthUsers.ContainsKey("A"));
        Assert.Empty(new PrometheusExporterOptions().BasicAuthUsers);
    }

    private sealed class NeverPumpedContext : SynchronizationContext
    {
        public override void Post(SendOrPostCallback d, object? state)
        {
            // Dropped: nothing ever runs here, like a UI thread blocked in Dispose.
        }

        public override void Send(SendOrPostCallback d, object? state) => throw new NotSupportedException();
    }
}
