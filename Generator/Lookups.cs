using MetricsGen.Generator.Model;

namespace MetricsGen.Generator;

/// <summary>How a metric's series are found: which fields and methods are generated for it follows from this.</summary>
internal enum Lookup
{
    Unlabelled,
    Slots,
    Map,
}

/// <summary>The choice of <see cref="Lookup"/> for a metric, shared by <see cref="GeneratedNames"/> and the emitter.</summary>
internal static class Lookups
{
    // Closed label sets up to this many combinations get one array slot per combination; beyond, a map.
    private const int MaxSlots = 1024;

    public static Lookup Of(MetricModel metric)
    {
        if (metric.Labels.Count == 0)
        {
            return Lookup.Unlabelled;
        }

        foreach (LabelModel label in metric.Labels.AsSpan())
        {
            if (!label.IsClosed)
            {
                return Lookup.Map;
            }
        }

        return SlotCount(metric) <= MaxSlots ? Lookup.Slots : Lookup.Map;
    }

    public static long SlotCount(MetricModel metric)
    {
        long count = 1;
        foreach (LabelModel label in metric.Labels.AsSpan())
        {
            count *= label.EnumSize;
            if (count > MaxSlots)
            {
                return MaxSlots + 1;
            }
        }

        return count;
    }
}
