using System.Collections.Generic;

namespace MetricsGen;

/// <summary>
/// Something that contributes metric families to a <see cref="MetricRegistry"/>: a generated
/// <c>[GatewayMetric]</c> class, or a collector such as the process collector.
/// </summary>
public interface IMetricSource
{
    /// <summary>A name for error messages, such as the class name of the source.</summary>
    string SourceName { get; }

    /// <summary>The families this source writes, used to refuse clashing registrations.</summary>
    IReadOnlyList<MetricDescriptor> Metrics { get; }

    /// <summary>Writes every family of the source, in a stable order.</summary>
    /// <param name="writer">The writer of the exposition being produced.</param>
    void Collect(ref ExpositionWriter writer);
}
