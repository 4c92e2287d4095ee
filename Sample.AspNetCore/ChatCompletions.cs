using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;
using MetricsGen.Sample;
using Microsoft.AspNetCore.Http;

namespace MetricsGen.Sample.AspNetCore;

/// <summary>The part of an OpenAI-style chat completion request the simulated gateway reads.</summary>
public sealed record ChatRequest(string? Model, IReadOnlyList<ChatMessage>? Messages, bool Stream = false);

/// <summary>One message of a conversation.</summary>
public sealed record ChatMessage(string Role, string Content);

/// <summary>The answer, shaped like OpenAI's.</summary>
public sealed record ChatResponse(string Id, string Object, string Model, IReadOnlyList<ChatChoice> Choices, ChatUsage Usage);

/// <summary>One choice of an answer.</summary>
public sealed record ChatChoice(int Index, ChatMessage Message, [property: JsonPropertyName("finish_reason")] string FinishReason);

/// <summary>Token counts of an answer.</summary>
public sealed record ChatUsage(
    [property: JsonPropertyName("prompt_tokens")] long PromptTokens,
    [property: JsonPropertyName("completion_tokens")] long CompletionTokens,
    [property: JsonPropertyName("total_tokens")] long TotalTokens);

/// <summary>Source-generated JSON for the endpoint: minimal APIs under NativeAOT serialize nothing by reflection.</summary>
[JsonSerializable(typeof(ChatRequest))]
[JsonSerializable(typeof(ChatResponse))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
public sealed partial class GatewayJsonContext : JsonSerializerContext
{
}

/// <summary>
/// POST /v1/chat/completions: the LLM gateway as a web API. Routes the model to its provider, simulates the
/// provider's latency, token counts and an occasional failure, and records every request through the gateway's
/// recorder (the ractogateway families). Only models with a price are accepted, so request bodies cannot add series.
/// </summary>
public static class ChatCompletions
{
    public static async Task<IResult> HandleAsync(ChatRequest request, GatewayRecorder recorder, CancellationToken cancellationToken)
    {
        string? model = request.Model;
        if (model is null || !GatewayRecorder.DefaultPrices.ContainsKey(model) || model.StartsWith("text-embedding", StringComparison.Ordinal))
        {
            return Results.BadRequest();
        }

        string provider = model.StartsWith("claude", StringComparison.Ordinal) ? "anthropic" : "openai";
        Operation operation = request.Stream ? Operation.Stream : Operation.Chat;
        long inputTokens = 0;
        foreach (ChatMessage message in request.Messages ?? Array.Empty<ChatMessage>())
        {
            // Roughly four characters per token, as the providers' rules of thumb say.
            inputTokens += Math.Max(1, message.Content.Length / 4);
        }

        long started = Stopwatch.GetTimestamp();
        await Task.Delay(Random.Shared.Next(5, 40), cancellationToken).ConfigureAwait(false);
        double latency = Stopwatch.GetElapsedTime(started).TotalSeconds;

        // One request in twenty fails upstream, as providers do now and then.
        if (Random.Shared.Next(20) == 0)
        {
            recorder.RecordRequest(provider, model, operation, RequestStatus.Error, latency, inputTokens);
            return Results.StatusCode(StatusCodes.Status502BadGateway);
        }

        long outputTokens = Random.Shared.Next(20, 400);
        recorder.RecordRequest(provider, model, operation, RequestStatus.Ok, latency, inputTokens, outputTokens);
        var answer = new ChatMessage("assistant", "(simulated answer of " + model + ")");
        return Results.Json(
            new ChatResponse("chatcmpl-" + Guid.NewGuid().ToString("N"), "chat.completion", model, new[] { new ChatChoice(0, answer, "stop") },
                new ChatUsage(inputTokens, outputTokens, inputTokens + outputTokens)),
            GatewayJsonContext.Default.ChatResponse);
    }
}
