using System;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
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
    public async Task StopWhileAScrapeIsInFlightReturnsWithinTheBoundAndFreesThePort()
    {
        using var gate = new Gate();
        var server = new TestServer();
        gate.Attach(server.Source);
        using RawClient client = await server.ConnectAsync();
        await client.SendAsync(RawClient.Request("GET", "/metrics"));
        Assert.True(await gate.WaitEnteredAsync());
        int port = server.Port;

        var watch = Stopwatch.StartNew();
        server.Exporter.Stop();
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"Stop took {watch.Elapsed}");
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
}
