using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace MetricsGen.AspNetCore.Tests;

/// <summary>AddMetricSource and AddPrometheusExporter with a generic host.</summary>
public sealed class HostingTests
{
    [Fact]
    public async Task AddMetricSourceUsesTheContainersRegistryAndRegistersAtStart()
    {
        var registry = new MetricRegistry();
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton(registry);
        builder.Services.AddMetricSource<ShopMetrics>();
        builder.Services.AddMetricSource<ShopMetrics>();
        using IHost host = builder.Build();

        Assert.Empty(registry.Sources);
        await host.StartAsync();

        // Registered when the host started, before anything resolved it.
        IMetricSource registered = Assert.Single(registry.Sources);
        ShopMetrics resolved = host.Services.GetRequiredService<ShopMetrics>();
        Assert.Same(registered, resolved);
        Assert.Same(resolved, host.Services.GetRequiredService<ShopMetrics>());
        Assert.DoesNotContain(MetricRegistry.Default.Sources, source => ReferenceEquals(source, resolved));
        resolved.Greetings(Tier.Paid).Inc();
        Assert.Equal(1, Exposition.Value(registry.GenerateLatest(), "shop_greetings_total", "tier=\"paid\""));
        await host.StopAsync();
    }

    [Fact]
    public async Task AddMetricSourceFallsBackToTheDefaultRegistry()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddMetricSource<DefaultRegistryMetrics>();
        using IHost host = builder.Build();
        await host.StartAsync();
        DefaultRegistryMetrics resolved = host.Services.GetRequiredService<DefaultRegistryMetrics>();
        try
        {
            Assert.Contains(MetricRegistry.Default.Sources, source => ReferenceEquals(source, resolved));
        }
        finally
        {
            MetricRegistry.Default.Unregister(resolved);
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task TheHostedExporterServesWhileTheHostRunsAndReleasesThePort()
    {
        var registry = new MetricRegistry();
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton(registry);
        builder.Services.AddMetricSource<ShopMetrics>();
        builder.Services.AddPrometheusExporter(options =>
        {
            options.Host = "127.0.0.1";
            options.Port = 0;
        });
        using IHost host = builder.Build();
        PrometheusExporter exporter = host.Services.GetRequiredService<PrometheusExporter>();
        Assert.False(exporter.IsRunning);
        Assert.Same(registry, exporter.Registry);

        await host.StartAsync();
        Assert.True(exporter.IsRunning);
        int port = exporter.Port;
        using (var client = new HttpClient())
        {
            string body = await client.GetStringAsync($"http://127.0.0.1:{port}/metrics");
            Assert.Contains("# TYPE shop_greetings_total counter", body, StringComparison.Ordinal);
        }

        await host.StopAsync();
        Assert.False(exporter.IsRunning);

        // Released: the port can be bound again by someone else.
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        listener.Stop();
    }

    [Fact]
    public async Task APortInUseFailsTheHostStart()
    {
        var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            int port = ((IPEndPoint)taken.LocalEndpoint).Port;
            HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
            builder.Services.AddSingleton(new MetricRegistry());
            builder.Services.AddPrometheusExporter(options =>
            {
                options.Host = "127.0.0.1";
                options.Port = port;
            });
            using IHost host = builder.Build();
            await Assert.ThrowsAsync<SocketException>(() => host.StartAsync());
        }
        finally
        {
            taken.Stop();
        }
    }
}

/// <summary>Registered with MetricRegistry.Default by one test only (and removed again), so no other test clashes.</summary>
[GatewayMetric(Prefix = "default_registry_test")]
public sealed partial class DefaultRegistryMetrics
{
    [Counter("events_total", Help = "Events.")]
    public partial Counter Events { get; }
}
