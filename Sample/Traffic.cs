using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace MetricsGen.Sample;

/// <summary>The traffic the Sample plays: a fixed batch for <c>--once</c>, random requests when serving.</summary>
public static class Traffic
{
    /// <summary>The Sample's activity source: each simulated request runs in an activity of it.</summary>
    public static readonly ActivitySource Requests = new("MetricsGen.Sample");

    private static ActivityListener? s_tracing;

    /// <summary>
    /// Stands in for a tracing SDK: records every activity of <see cref="Requests"/>, so that metrics declared with
    /// <c>Exemplars = true</c> pick up their trace and span IDs.
    /// </summary>
    public static void EnableTracing()
    {
        if (s_tracing is not null)
        {
            return;
        }

        s_tracing = new ActivityListener
        {
            ShouldListenTo = source => source == Requests,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(s_tracing);
    }

    /// <summary>
    /// The fixed batch of <c>--once</c>: five requests and five cache lookups (see Sample/README.md).
    /// </summary>
    public static void RecordFixedBatch(GatewayRecorder recorder, GatewayMetrics metrics)
    {
        using (Requests.StartActivity("llm.request"))
        {
            recorder.RecordRequest("openai", "gpt-4o", Operation.Chat, RequestStatus.Ok, 0.42, 1200, 350, new[] { "web_search" });
        }

        recorder.RecordRequest("openai", "gpt-4o", Operation.Stream, RequestStatus.Ok, 1.8, 800, 1200);
        recorder.RecordRequest("anthropic", "claude-sonnet-4", Operation.Chat, RequestStatus.Error, 0.12);
        recorder.RecordRequest("openai", "text-embedding-3-small", Operation.Embed, RequestStatus.Ok, 0.05, 5000);
        recorder.RecordRequest("anthropic", "claude-sonnet-4", Operation.Chat, RequestStatus.Ok, 2.5, 3000, 900, new[] { "calculator", null });
        recorder.RecordCacheHit(CacheType.Exact);
        recorder.RecordCacheHit(CacheType.Exact);
        recorder.RecordCacheHit(CacheType.Semantic);
        recorder.RecordCacheMiss(CacheType.Exact);
        recorder.RecordCacheMiss(CacheType.Semantic);
        metrics.InFlight.Set(0);
    }

    private static readonly (string Provider, string Model)[] Models =
    {
        ("openai", "gpt-4o"),
        ("openai", "gpt-4o-mini"),
        ("anthropic", "claude-sonnet-4"),
        ("openai", "text-embedding-3-small"),
        ("local", "llama-3-8b"),
    };

    private static readonly string?[] Tools = { "web_search", "calculator", "code_interpreter", null };

    /// <summary>Records one random request, as a busy gateway would.</summary>
    public static void RecordRandomRequest(GatewayRecorder recorder, Random random)
    {
        var (provider, model) = Models[random.Next(Models.Length)];
        Operation operation = model.StartsWith("text-embedding", StringComparison.Ordinal)
            ? Operation.Embed
            : random.Next(3) == 0 ? Operation.Stream : Operation.Chat;
        RequestStatus status = random.Next(20) == 0 ? RequestStatus.Error : RequestStatus.Ok;
        double latency = Math.Round(0.02 + random.NextDouble() * random.NextDouble() * 12, 3);
        long input = status == RequestStatus.Ok ? random.Next(50, 4000) : 0;
        long output = status == RequestStatus.Ok && operation != Operation.Embed ? random.Next(10, 1500) : 0;
        List<string?>? tools = null;
        if (operation == Operation.Chat && random.Next(3) == 0)
        {
            tools = new List<string?> { Tools[random.Next(Tools.Length)] };
        }

        using (Requests.StartActivity("llm.request"))
        {
            recorder.RecordRequest(provider, model, operation, status, latency, input, output, tools);
        }

        if (random.Next(2) == 0)
        {
            CacheType cache = random.Next(2) == 0 ? CacheType.Exact : CacheType.Semantic;
            if (random.Next(3) == 0)
            {
                recorder.RecordCacheHit(cache);
            }
            else
            {
                recorder.RecordCacheMiss(cache);
            }
        }
    }
}
