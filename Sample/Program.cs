using System;
using MetricsGen;
using MetricsGen.Sample;

var metrics = new GatewayMetrics();
metrics.Requests("openai", "gpt-4o", Operation.Chat, RequestStatus.Ok).Inc();
metrics.RequestDuration("openai", "gpt-4o", Operation.Chat).Observe(0.42);
using (metrics.RequestDuration("openai", "gpt-4o", Operation.Stream).NewTimer()) { }
metrics.CostUsd("openai", "gpt-4o").Inc(0.0125);
metrics.InFlight.Inc(); metrics.InFlight.Dec(); metrics.InFlight.Set(3);
metrics.CacheHits(CacheType.Semantic).Inc();
metrics.ToolCalls("search \"web\"\n").Inc();
Console.Write(MetricRegistry.Default.GenerateLatest(args.Length > 0 ? ExpositionFormat.OpenMetrics : ExpositionFormat.PrometheusText));
