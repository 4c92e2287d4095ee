using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace DashboardApp;

// Faults for the dashboards suite, added around the README's program without touching a byte of it.
//
// The obvious way, an [assembly: HostingStartup] named in ASPNETCORE_HOSTINGSTARTUPASSEMBLIES, does nothing here:
// WebApplication.CreateSlimBuilder configures its web host with the slim web host builder, which never runs hosting
// startups (tried: no fault was ever injected, with or without the variable). What every host does run is
// HostApplicationBuilder.Build, which announces the builder (as an IHostBuilder) on the "Microsoft.Extensions.Hosting"
// diagnostic listener as "HostBuilding" before it applies ConfigureServices callbacks and builds the container, the
// way test and design-time tools reach a program's host. So a module initializer, which the runtime runs before the
// program's first statement, subscribes to that listener when DASHBOARD_FAULTS=1 and adds one IStartupFilter when
// the host is built. A startup filter wraps the whole request pipeline, so its middleware runs before the program's
// own UseHttpMetrics:
//   X-Fault: 503    the status is set to 503 before the endpoint runs; /hello/{name} writes its string without
//                   touching the status, so the request is answered, and recorded, as a 503.
//   X-Fault: throw  RequestServices is replaced by a provider that throws when asked for ShopMetrics; the minimal
//                   API resolves the handler's ShopMetrics parameter from RequestServices inside the endpoint, so the
//                   exception escapes through UseHttpMetrics (recorded with error_type) and, as nothing catches it
//                   and the response has not started, Kestrel answers 500.
internal static class Faults
{
    [ModuleInitializer]
    internal static void Install()
    {
        if (Environment.GetEnvironmentVariable("DASHBOARD_FAULTS") == "1")
        {
            DiagnosticListener.AllListeners.Subscribe(new ListenerObserver());
        }
    }

    private sealed class ListenerObserver : IObserver<DiagnosticListener>
    {
        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name == "Microsoft.Extensions.Hosting")
            {
                listener.Subscribe(new HostingObserver());
            }
        }

        public void OnCompleted() { }

        public void OnError(Exception error) { }
    }

    private sealed class HostingObserver : IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(KeyValuePair<string, object?> hostingEvent)
        {
            // The payload is the builder as an IHostBuilder; its ConfigureServices callbacks run right after.
            if (hostingEvent is { Key: "HostBuilding", Value: IHostBuilder builder })
            {
                builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, FaultStartupFilter>());
                Console.WriteLine("dashboards harness: the X-Fault middleware is installed");
            }
        }

        public void OnCompleted() { }

        public void OnError(Exception error) { }
    }
}

internal sealed class FaultStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            string? fault = context.Request.Headers["X-Fault"];
            if (fault == "503")
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            }
            else if (fault == "throw")
            {
                context.RequestServices = new ThrowingServices(context.RequestServices);
            }

            return nextMiddleware(context);
        });
        next(app);
    };
}

// Every service as the request's own provider has it, except ShopMetrics, whose resolution throws.
internal sealed class ThrowingServices(IServiceProvider inner) : IServiceProvider
{
    public object? GetService(Type serviceType) => serviceType == typeof(ShopMetrics)
        ? throw new InvalidOperationException("X-Fault: throw (the dashboards suite's injected fault)")
        : inner.GetService(serviceType);
}
