using System;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace MetricsGen.Benchmarks;

/// <summary>Values shared by every library so each one is measured on the same inputs.</summary>
internal static class Shared
{
    public const string Provider = "openai";
    public const string Model = "gpt-4o";

    // What a prometheus-net or OpenTelemetry user writes for enum labels: cached lowercase constants.
    public const string OperationChat = "chat";
    public const string StatusOk = "ok";

    /// <summary>The bucket bounds of the 10-bucket histograms.</summary>
    public static readonly double[] Buckets = { 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0 };

    /// <summary>Observations cycled through by the histogram benchmarks; they land in different buckets.</summary>
    public static readonly double[] Observations =
    {
        0.001, 0.007, 0.02, 0.04, 0.09, 0.2, 0.4, 0.8, 2.0, 4.0, 7.0, 0.003, 0.03, 0.3, 3.0, 0.6,
    };
}

/// <summary>
/// An OpenTelemetry SDK pipeline as a Prometheus user sets it up: a <see cref="MeterProvider"/> whose reader is the
/// Prometheus HttpListener exporter (cumulative), so every measurement is really aggregated.
/// </summary>
internal sealed class OtelPipeline : IDisposable
{
    private readonly MeterProvider _provider;

    public OtelPipeline(string meterName, Action<MeterProviderBuilder>? configure = null)
    {
        Meter = new Meter(meterName);
        int port = FreePort();
        MeterProviderBuilder builder = Sdk.CreateMeterProviderBuilder()
            .AddMeter(meterName)
            .AddPrometheusHttpListener(options =>
            {
                options.Host = "localhost";
                options.Port = port;
            });
        configure?.Invoke(builder);
        _provider = builder.Build() ?? throw new InvalidOperationException("No MeterProvider was built.");
    }

    public Meter Meter { get; }

    public void Dispose()
    {
        _provider.Dispose();
        Meter.Dispose();
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>
/// prometheus-net registries for the benchmarks. The library's default metrics are switched off first: its .NET Meter
/// adapter would otherwise listen to every Meter in the process (the OpenTelemetry benchmarks' too) and its event
/// counter adapter would run a background thread during the measurements.
/// </summary>
internal static class PromRegistries
{
    private static readonly object Gate = new();
    private static bool s_suppressed;

    public static Prometheus.IMetricFactory NewFactory() => Prometheus.Metrics.WithCustomRegistry(NewRegistry());

    public static Prometheus.CollectorRegistry NewRegistry()
    {
        lock (Gate)
        {
            if (!s_suppressed)
            {
                Prometheus.Metrics.SuppressDefaultMetrics(new Prometheus.SuppressDefaultMetricOptions
                {
                    SuppressProcessMetrics = true,
                    SuppressDebugMetrics = true,
                    SuppressEventCounters = true,
                    SuppressMeters = true,
                });
                s_suppressed = true;
            }
        }

        return Prometheus.Metrics.NewCustomRegistry();
    }
}
