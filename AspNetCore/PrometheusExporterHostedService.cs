using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;

namespace MetricsGen.AspNetCore;

/// <summary>Starts the container's <see cref="PrometheusExporter"/> with the host and stops it on shutdown.</summary>
internal sealed class PrometheusExporterHostedService : IHostedService
{
    private readonly PrometheusExporter _exporter;

    public PrometheusExporterHostedService(PrometheusExporter exporter) => _exporter = exporter;

    // Binds synchronously, so a port in use fails the host's start with the SocketException.
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _exporter.Start();
        return Task.CompletedTask;
    }

    // Closes the listener (the port is free afterwards) and waits for connections up to the exporter's ShutdownTimeout.
    public Task StopAsync(CancellationToken cancellationToken) => _exporter.StopAsync();
}
