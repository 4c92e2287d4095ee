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
    private readonly Ledger? _ledger;

    /// <summary>Creates a recorder; a model missing from <paramref name="priceTable"/> costs nothing.</summary>
    /// <param name="metrics">The metrics to record into.</param>
    /// <param name="priceTable">Prices per model; <see cref="DefaultPrices"/> when null.</param>
    /// <param name="ledger">Optional independent account of the expected values, for the end-to-end checks.</param>
    public GatewayRecorder(GatewayMetrics metrics, IReadOnlyDictionary<string, ModelPrice>? priceTable = null, Ledger? ledger = null)
    {
        _metrics = metrics;
        _prices = priceTable ?? DefaultPrices;
        _ledger = ledger;
    }

    /// <summary>How many requests were recorded.</summary>
    public long RequestCount => System.Threading.Interlocked.Read(ref _requestCount);

    private long _requestCount;

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
        System.Threading.Interlocked.Increment(ref _requestCount);
        string op = LabelOf(operation);
        _metrics.Requests(provider, model, operation, status).Inc();
        _ledger?.Add("ractogateway_requests_total", 1, ("provider", provider), ("model", model), ("operation", op), ("status", LabelOf(status)));
        _metrics.RequestDuration(provider, model, operation).Observe(latencySeconds);
        _ledger?.Add("ractogateway_request_duration_seconds_count", 1, ("provider", provider), ("model", model), ("operation", op));
        _ledger?.Add("ractogateway_request_duration_seconds_sum", latencySeconds, ("provider", provider), ("model", model), ("operation", op));

        if (inputTokens > 0)
        {
            _metrics.Tokens(provider, model, TokenType.Input).Inc(inputTokens);
            _ledger?.Add("ractogateway_tokens_total", inputTokens, ("provider", provider), ("model", model), ("token_type", "input"));
        }

        if (outputTokens > 0)
        {
            _metrics.Tokens(provider, model, TokenType.Output).Inc(outputTokens);
            _ledger?.Add("ractogateway_tokens_total", outputTokens, ("provider", provider), ("model", model), ("token_type", "output"));
        }

        double cost = CostOf(model, inputTokens, outputTokens);
        if (cost > 0)
        {
            _metrics.CostUsd(provider, model).Inc(cost);
            _ledger?.Add("ractogateway_cost_usd_total", cost, ("provider", provider), ("model", model));
        }

        if (operation == Operation.Stream && status == RequestStatus.Ok)
        {
            // The Sample has no real stream; the first token arrives after a fixed share of the request.
            double firstToken = Math.Round(latencySeconds * 0.25, 6);
            _metrics.TimeToFirstToken(provider, model).Observe(firstToken);
            _ledger?.Add("ractogateway_time_to_first_token_seconds_count", 1, ("provider", provider), ("model", model));
            _ledger?.Add("ractogateway_time_to_first_token_seconds_sum", firstToken, ("provider", provider), ("model", model));
        }

        // A failed request opens the provider's circuit, a successful one closes it again.
        SetCircuit(provider, status == RequestStatus.Ok ? CircuitState.Closed : CircuitState.Open);

        if (toolCalls is not null)
        {
            foreach (string? tool in toolCalls)
            {
                RecordToolCall(tool);
            }
        }
    }

    /// <summary>Counts one tool call (<c>unknown</c> when unnamed); past the metric's 20 names, in its overflow series.</summary>
    public void RecordToolCall(string? tool)
    {
        string name = string.IsNullOrEmpty(tool) ? "unknown" : tool;
        Counter calls = _metrics.ToolCalls(name);
        calls.Inc();
        if (_ledger is not null)
        {
            // The ledger follows the series that really counted the call: its own, or the overflow series.
            if (calls.Labels == OverflowLabels)
            {
                _ledger.Add("ractogateway_tool_calls_total", 1, ("metricsgen_overflow", "true"));
            }
            else
            {
                _ledger.Add("ractogateway_tool_calls_total", 1, ("tool_name", name));
            }
        }
    }

    private const string OverflowLabels = "metricsgen_overflow=\"true\"";

    /// <summary>Sets the circuit breaker state of <paramref name="provider"/>.</summary>
    public void SetCircuit(string provider, CircuitState state)
    {
        _metrics.Circuit(provider).Set(state);
        foreach (CircuitState each in new[] { CircuitState.Closed, CircuitState.Open, CircuitState.HalfOpen })
        {
            _ledger?.Set("ractogateway_circuit_state", each == state ? 1 : 0, ("provider", provider), ("ractogateway_circuit_state", LabelOf(each)));
        }
    }

    /// <summary>Sets the build information of the gateway.</summary>
    public void SetBuild(string version, string commit)
    {
        _metrics.SetBuildInfo(version, commit);
        _ledger?.Set("ractogateway_build_info", 1, ("version", version), ("commit", commit));
    }

    /// <summary>Records a cache hit.</summary>
    public void RecordCacheHit(CacheType cacheType)
    {
        _metrics.CacheHits(cacheType).Inc();
        _ledger?.Add("ractogateway_cache_hits_total", 1, ("cache_type", LabelOf(cacheType)));
    }

    /// <summary>Records a cache miss.</summary>
    public void RecordCacheMiss(CacheType cacheType)
    {
        _metrics.CacheMisses(cacheType).Inc();
        _ledger?.Add("ractogateway_cache_misses_total", 1, ("cache_type", LabelOf(cacheType)));
    }

    // The ledger spells label values itself rather than asking the generator, so the two can disagree.
    private static string LabelOf(Operation operation) => operation switch
    {
        Operation.Chat => "chat",
        Operation.Stream => "stream",
        _ => "embed",
    };

    private static string LabelOf(RequestStatus status) => status == RequestStatus.Ok ? "ok" : "error";

    private static string LabelOf(CacheType cacheType) => cacheType == CacheType.Exact ? "exact" : "semantic";

    private static string LabelOf(CircuitState state) => state switch
    {
        CircuitState.Closed => "closed",
        CircuitState.Open => "open",
        _ => "half_open",
    };

    /// <summary>The cost of a request in USD; zero for a model without a price.</summary>
    public double CostOf(string model, long inputTokens, long outputTokens) =>
        _prices.TryGetValue(model, out ModelPrice price)
            ? (Math.Max(inputTokens, 0) * price.InputPerMillion + Math.Max(outputTokens, 0) * price.OutputPerMillion) / 1_000_000
            : 0;
}
