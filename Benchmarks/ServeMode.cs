using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Threading;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Prom = Prometheus;

namespace MetricsGen.Benchmarks;

/// <summary>
/// Case 5: <c>Benchmarks serve metricsgen|prometheus-net|otel PORT [MAX_CONCURRENT_SCRAPES]</c> builds 10,000 counter
/// series (1,000 families of 10 series with two string labels, the same shape and values as case 4) in one library
/// and serves them over that library's own HTTP exporter on 127.0.0.1:PORT/metrics until SIGTERM or Ctrl+C.
/// It prints <c>ready http://127.0.0.1:PORT/metrics</c> once the exporter listens. <c>Benchmarks/http.sh</c> drives it.
/// </summary>
internal static class ServeMode
{
    private const int Families = 1_000;
    private const int SeriesPerFamily = 10;

    public static int Run(string[] args)
    {
        if (args.Length < 3 || !int.TryParse(args[2], NumberStyles.None, CultureInfo.InvariantCulture, out int port))
        {
            Console.Error.WriteLine("usage: Benchmarks serve metricsgen|prometheus-net|otel PORT [MAX_CONCURRENT_SCRAPES]");
            return 2;
        }

        int maxConcurrentScrapes = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 4;
        IDisposable server;
        switch (args[1])
        {
            case "metricsgen":
                server = ServeMetricsGen(port, maxConcurrentScrapes);
                break;
            case "prometheus-net":
                server = ServePrometheusNet(port);
                break;
            case "otel":
                server = ServeOpenTelemetry(port);
                break;
            default:
                Console.Error.WriteLine($"unknown library '{args[1]}'");
                return 2;
        }

        using var stopping = new ManualResetEventSlim();
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stopping.Set();
        });
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            stopping.Set();
        });

        Console.WriteLine($"ready http://127.0.0.1:{port}/metrics");
        Console.Out.Flush();
        stopping.Wait();
        server.Dispose();
        return 0;
    }

    private static IDisposable ServeMetricsGen(int port, int maxConcurrentScrapes)
    {
        var registry = new MetricRegistry();
        registry.Register(new SyntheticSource(Families, SeriesPerFamily));
        var exporter = new PrometheusExporter(
            new PrometheusExporterOptions { Host = "127.0.0.1", Port = port, MaxConcurrentScrapes = maxConcurrentScrapes },
            registry);
        exporter.Start();
        return exporter;
    }

    private static IDisposable ServePrometheusNet(int port)
    {
        // Default metrics (process, .NET meters, event counters) are suppressed, so only the 10,000 series are served.
        Prom.CollectorRegistry registry = PromRegistries.NewRegistry();
        Prom.IMetricFactory factory = Prom.Metrics.WithCustomRegistry(registry);
        var configuration = new Prom.CounterConfiguration { LabelNames = new[] { "tenant", "route" } };
        for (int f = 0; f < Families; f++)
        {
            Prom.Counter counter = factory.CreateCounter(SyntheticSource.FamilyName(f), SyntheticSource.FamilyHelp(f), configuration);
            for (int s = 0; s < SeriesPerFamily; s++)
            {
                counter.WithLabels(SyntheticSource.Tenant(s), SyntheticSource.Route(f, s)).Inc(SyntheticSource.Amount(f, s));
            }
        }

        var server = new Prom.MetricServer("127.0.0.1", port, "metrics/", registry);
        server.Start();
        return server;
    }

    // The listener answers as soon as Build() returns, before the counters below exist: wait for the ready line.
    private static IDisposable ServeOpenTelemetry(int port)
    {
        const string MeterName = "bench.http";
        var meter = new Meter(MeterName);
        MeterProvider provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(MeterName)
            // The default allows 1,000 metric streams; leave room for the 1,000 counters.
            .SetMaxMetricStreams(2 * Families)
            .AddPrometheusHttpListener(options =>
            {
                options.Host = "127.0.0.1";
                options.Port = port;
                // 0 turns the exporter's response cache off: every scrape collects and serializes again, as the
                // other two servers do. (Default 300 ms, which would serve most of wrk's requests from one buffer.)
                options.ScrapeResponseCacheDurationMilliseconds = 0;
                // Without the otel_scope_name label on every sample the body has the same series and labels as the
                // other two (plus one target_info line); with it, each line is ~25 B longer.
                options.ScopeInfoEnabled = false;
            })
            .Build() ?? throw new InvalidOperationException("No MeterProvider was built.");

        // OpenTelemetry appends "_total" to counters itself, so the instrument is named without it.
        for (int f = 0; f < Families; f++)
        {
            string name = SyntheticSource.FamilyName(f);
            Counter<double> counter = meter.CreateCounter<double>(name[..^"_total".Length], unit: null, description: SyntheticSource.FamilyHelp(f));
            for (int s = 0; s < SeriesPerFamily; s++)
            {
                counter.Add(
                    SyntheticSource.Amount(f, s),
                    new KeyValuePair<string, object?>("tenant", SyntheticSource.Tenant(s)),
                    new KeyValuePair<string, object?>("route", SyntheticSource.Route(f, s)));
            }
        }

        return new OtelServer(provider, meter);
    }

    private sealed class OtelServer(MeterProvider provider, Meter meter) : IDisposable
    {
        public void Dispose()
        {
            provider.Dispose();
            meter.Dispose();
        }
    }
}
