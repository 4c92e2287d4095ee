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
    // Closed label sets up to this many combinations get one slot per combination; beyond, a map.
    private const int MaxSlots = 1024;

    /// <summary>
    /// The generated index of an undefined enum value. A slot is the mixed-radix sum of the labels' indexes and a
    /// slotted family has at most <see cref="MaxSlots"/> combinations, so one index this far below zero keeps the whole
    /// sum negative (|sum of the others| &lt; 1024 &lt;= 65536 times its weight) and no sum can overflow
    /// (65536 * 2048 &lt; 2^31): the lookup finds nothing and needs no check of its own.
    /// </summary>
    public const int UndefinedIndex = -65536;

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
