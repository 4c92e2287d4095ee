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
}
