using System;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using MetricsGen;

namespace MetricsGen.Sample;

/// <summary>The Sample's default mode: serve /metrics while simulating gateway traffic, until Ctrl+C or SIGTERM.</summary>
public static class SampleServer
{
    public static int Run(SampleOptions options, GatewayMetrics metrics, GatewayRecorder recorder, AdversarialMetrics? adversarial, Ledger? ledger)
    {
        var exporterOptions = new PrometheusExporterOptions
        {
            Host = options.Host,
            Port = options.Port,
            OnError = error => Console.Error.WriteLine($"exporter: {error.Message}"),
        };
        if (options.TlsCert is not null && options.TlsKey is not null)
        {
            exporterOptions.Tls = new ExporterTlsOptions { CertificatePath = options.TlsCert, KeyPath = options.TlsKey, ClientCaPath = options.TlsClientCa };
        }

        PrometheusExporter exporter;
        try
        {
            if (options.BasicAuthFile is not null)
            {
                // htpasswd format: one "user:hash" per line.
                foreach (string line in File.ReadAllLines(options.BasicAuthFile))
                {
                    int colon = line.IndexOf(':');
                    if (colon > 0)
                    {
                        exporterOptions.BasicAuthUsers[line[..colon]] = line[(colon + 1)..].Trim();
                    }
                }
            }

            exporter = new PrometheusExporter(exporterOptions);
            exporter.Start();
        }
        catch (Exception error) when (error is SocketException or ArgumentException or InvalidOperationException or IOException or NotSupportedException)
        {
            Console.Error.WriteLine($"cannot serve on {options.Host}:{options.Port}: {error.Message}");
            return 1;
        }

        string shownHost = options.Host is "0.0.0.0" or "::" ? "localhost" : options.Host.Contains(':') ? $"[{options.Host}]" : options.Host;
        string scheme = exporterOptions.Tls is null ? "http" : "https";
        Console.WriteLine($"serving {scheme}://{shownHost}:{exporter.Port}/metrics (listening on {options.Host}); Ctrl+C to stop");

        using var stopping = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stopping.Cancel();
        };
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stopping.Cancel();
        });

        if (adversarial is not null)
        {
            AdversarialTraffic.Record(adversarial, recorder, ledger);
        }

        SimulateTraffic(options, recorder, metrics, ledger, stopping.Token);
        stopping.Token.WaitHandle.WaitOne();

        Console.WriteLine("stopping");
        exporter.Stop();
        return 0;
    }

    private static void SimulateTraffic(SampleOptions options, GatewayRecorder recorder, GatewayMetrics metrics, Ledger? ledger, CancellationToken stopping)
    {
        var random = new Random(2026);
        var clock = Stopwatch.StartNew();
        long sent = 0;
        while (!stopping.IsCancellationRequested && (options.Requests == 0 || sent < options.Requests))
        {
            // Keep to the rate on average, however long each iteration took.
            double due = sent / options.Rate;
            double wait = due - clock.Elapsed.TotalSeconds;
            if (wait > 0 && stopping.WaitHandle.WaitOne(TimeSpan.FromSeconds(wait)))
            {
                break;
            }

            metrics.InFlight.Inc();
            Traffic.RecordRandomRequest(recorder, random);
            metrics.InFlight.Dec();
            sent++;
        }

        if (options.ExpectFile is not null && ledger is not null)
        {
            ledger.WriteJson(options.ExpectFile);
        }

        if (!stopping.IsCancellationRequested)
        {
            Console.WriteLine($"traffic ended after {sent} requests; still serving");
        }
    }
}
