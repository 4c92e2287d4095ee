using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MetricsGen.AspNetCore;

/// <summary>One metric class registered with <c>AddMetricSource</c>; resolving it registers its families.</summary>
internal abstract class MetricSourceActivation
{
    public abstract object Activate(IServiceProvider services);
}

/// <summary>The activation of <typeparamref name="T"/>, resolved by its registered service type: nothing reflected.</summary>
internal sealed class MetricSourceActivation<T> : MetricSourceActivation
    where T : class
{
    public override object Activate(IServiceProvider services) => services.GetRequiredService<T>();
}

/// <summary>
/// Creates every <c>AddMetricSource</c> class when the host starts: a singleton is otherwise created on first use,
/// and until then its families would be missing from the scrapes.
/// </summary>
internal sealed class MetricSourceActivator : IHostedService
{
    private readonly IServiceProvider _services;
    private readonly IEnumerable<MetricSourceActivation> _activations;

    public MetricSourceActivator(IServiceProvider services, IEnumerable<MetricSourceActivation> activations)
    {
        _services = services;
        _activations = activations;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (MetricSourceActivation activation in _activations)
        {
            activation.Activate(_services);
        }

        // A web app that serves its metrics elsewhere (AddPrometheusExporter) still gets ASP.NET Core's meters; a worker
        // service has no server, and gets none. IsService asks without creating the server.
        if (_services.GetService<IServiceProviderIsService>()?.IsService(typeof(IServer)) == true)
        {
            MetricsGenServices.BridgeAspNetCoreMeters(_services, MetricsGenServices.RegistryOf(_services));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
