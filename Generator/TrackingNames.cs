namespace MetricsGen.Generator;

/// <summary>Names of the tracked pipeline steps; the incremental tests check every one of them.</summary>
public static class TrackingNames
{
    /// <summary>The parsed class: model plus diagnostics.</summary>
    public const string ParseResults = nameof(ParseResults);

    /// <summary>The models handed to source output.</summary>
    public const string Models = nameof(Models);

    /// <summary>The diagnostics handed to their own output.</summary>
    public const string Diagnostics = nameof(Diagnostics);

    /// <summary>Metric members found outside a <c>[GatewayMetric]</c> class, one step per metric attribute.</summary>
    public const string OrphanCounters = nameof(OrphanCounters);

    /// <summary>See <see cref="OrphanCounters"/>.</summary>
    public const string OrphanGauges = nameof(OrphanGauges);

    /// <summary>See <see cref="OrphanCounters"/>.</summary>
    public const string OrphanHistograms = nameof(OrphanHistograms);

    /// <summary>See <see cref="OrphanCounters"/>.</summary>
    public const string OrphanSummaries = nameof(OrphanSummaries);

    /// <summary>See <see cref="OrphanCounters"/>.</summary>
    public const string OrphanInfos = nameof(OrphanInfos);

    /// <summary>See <see cref="OrphanCounters"/>.</summary>
    public const string OrphanStateSets = nameof(OrphanStateSets);
}
