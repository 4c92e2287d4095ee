using System;
using System.Collections.Generic;

namespace MetricsGen.Sample;

/// <summary>Prices of one model in US dollars per million tokens.</summary>
public readonly record struct ModelPrice(double InputPerMillion, double OutputPerMillion);

/// <summary>
/// Records what an LLM gateway does, with the semantics of ractogateway's <c>GatewayMetricsMiddleware</c>:
/// every request is counted and its latency observed; tokens and cost only when above zero; one tool-call
/// increment per call, <c>unknown</c> when a call has no name.
/// </summary>
public sealed class GatewayRecorder
{
    /// <summary>List prices used by the Sample (USD per million tokens).</summary>
    public static readonly IReadOnlyDictionary<string, ModelPrice> DefaultPrices = new Dictionary<string, ModelPrice>(StringComparer.Ordinal)
    {
        ["gpt-4o"] = new(2.50, 10.00),
        ["gpt-4o-mini"] = new(0.15, 0.60),
        ["claude-sonnet-4"] = new(3.00, 15.00),
        ["text-embedding-3-small"] = new(0.02, 0),
    };

    private readonly GatewayMetrics _metrics;
    private readonly IReadOnlyDictionary<string, ModelPrice> _prices;

    /// <summary>Creates a recorder; a model missing from <paramref name="priceTable"/> costs nothing.</summary>
    public GatewayRecorder(GatewayMetrics metrics, IReadOnlyDictionary<string, ModelPrice>? priceTable = null)
    {
        _metrics = metrics;
        _prices = priceTable ?? DefaultPrices;
    }

    /// <summary>Records one finished request.</summary>
    public void RecordRequest(
        string provider,
        string model,
        Operation operation,
        RequestStatus status,
        double latencySeconds,
        long inputTokens = 0,
        long outputTokens = 0,
        IReadOnlyList<string?>? toolCalls = null)
    {
        _metrics.Requests(provider, model, operation, status).Inc();
        _metrics.RequestDuration(provider, model, operation).Observe(latencySeconds);

        if (inputTokens > 0)
        {
            _metrics.Tokens(provider, model, TokenType.Input).Inc(inputTokens);
        }

        if (outputTokens > 0)
        {
            _metrics.Tokens(provider, model, TokenType.Output).Inc(outputTokens);
        }

        double cost = CostOf(model, inputTokens, outputTokens);
        if (cost > 0)
        {
            _metrics.CostUsd(provider, model).Inc(cost);
        }

        if (toolCalls is not null)
        {
            foreach (string? tool in toolCalls)
            {
                _metrics.ToolCalls(string.IsNullOrEmpty(tool) ? "unknown" : tool).Inc();
            }
        }
    }

    /// <summary>Records a cache hit.</summary>
    public void RecordCacheHit(CacheType cacheType) => _metrics.CacheHits(cacheType).Inc();

    /// <summary>Records a cache miss.</summary>
    public void RecordCacheMiss(CacheType cacheType) => _metrics.CacheMisses(cacheType).Inc();

    /// <summary>The cost of a request in USD; zero for a model without a price.</summary>
    public double CostOf(string model, long inputTokens, long outputTokens) =>
        _prices.TryGetValue(model, out ModelPrice price)
            ? (Math.Max(inputTokens, 0) * price.InputPerMillion + Math.Max(outputTokens, 0) * price.OutputPerMillion) / 1_000_000
            : 0;
}
