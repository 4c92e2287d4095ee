namespace MetricsGen.AspNetCore;

/// <summary>Marks the endpoints <c>MapMetrics</c> creates, so the HTTP metrics middleware can leave them out.</summary>
internal sealed class MetricsEndpointMetadata
{
    public static readonly MetricsEndpointMetadata Instance = new();

    private MetricsEndpointMetadata()
    {
    }
}
