// The LLM gateway as an ASP.NET Core minimal API, NativeAOT-published by the aspnetcore e2e suite. Its first lines
// are the MetricsGen.AspNetCore usage the package promises; run with --urls http://127.0.0.1:5000 (or any port).
using MetricsGen.Sample;
using MetricsGen.Sample.AspNetCore;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Services.AddMetricSource<ShopMetrics>();   // a [GatewayMetric] class, resolved from DI
builder.Services.AddMetricSource<GatewayMetrics>();
builder.Services.AddSingleton(services => new GatewayRecorder(services.GetRequiredService<GatewayMetrics>()));
builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, GatewayJsonContext.Default));
var app = builder.Build();
app.UseHttpMetrics();
app.MapGet("/hello/{name}", (string name, ShopMetrics m) => { m.Greetings(Tier.Free).Inc(); return "hi " + name; });
app.MapPost("/v1/chat/completions", ChatCompletions.HandleAsync);
app.MapMetrics();                                   // GET/HEAD /metrics on the app's own port
app.Run();
