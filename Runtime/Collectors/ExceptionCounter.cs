using System;
using System.Runtime.ExceptionServices;
using System.Threading;
using MetricsGen.CompilerServices;

namespace MetricsGen;

/// <summary>
/// Counts first-chance exceptions by type name for <c>dotnet_exceptions_total{error_type}</c>, as .NET's
/// <c>System.Runtime</c> meter labels <c>dotnet.exceptions</c> (the type's short name). Exception types are bounded by
/// the program's code; past <see cref="DotNetRuntimeCollector.MaxExceptionTypes"/> of them, further types count in
/// one overflow series, so nothing is lost and memory stays bounded.
/// </summary>
internal static class ExceptionCounter
{
    private static readonly object Lock = new();
    private static readonly byte[] OverflowLabels = "metricsgen_overflow=\"true\""u8.ToArray();

    private static int s_installed;

    // Copy-on-write, read without the lock: the types seen (for the count) and the series (for the scrape). Types of
    // the same short name in different namespaces share one series, as they share one label value.
    private static Entry[] s_entries = Array.Empty<Entry>();
    private static Series[] s_series = Array.Empty<Series>();
    private static Series? s_overflow;

    // An exception thrown while counting (out of memory) must not be counted by re-entering the handler.
    [ThreadStatic]
    private static bool t_counting;

    /// <summary>Hooks the process' first-chance exceptions; later calls do nothing.</summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref s_installed, 1) == 0)
        {
            AppDomain.CurrentDomain.FirstChanceException += OnFirstChance;
        }
    }

    /// <summary>Writes the family: one series per exception type name seen, in the order first seen.</summary>
    public static void Write(ref ExpositionWriter writer, MetricDescriptor descriptor)
    {
        if (!writer.BeginFamily(descriptor))
        {
            return;
        }

        foreach (Series series in Volatile.Read(ref s_series))
        {
            writer.WriteSample(descriptor, series.Labels, Volatile.Read(ref series.Count));
        }

        if (Volatile.Read(ref s_overflow) is { } overflow)
        {
            writer.WriteSample(descriptor, overflow.Labels, Volatile.Read(ref overflow.Count));
        }
    }

    /// <summary>Counts one exception of <paramref name="type"/>; what the hook calls.</summary>
    internal static void Count(Type type)
    {
        // A throw already costs microseconds: scanning the few types a program throws is cheap beside it.
        foreach (Entry entry in Volatile.Read(ref s_entries))
        {
            if (ReferenceEquals(entry.Type, type))
            {
                Interlocked.Increment(ref entry.Series.Count);
                return;
            }
        }

        Interlocked.Increment(ref SeriesOf(type).Count);
    }

    private static void OnFirstChance(object? sender, FirstChanceExceptionEventArgs e)
    {
        if (t_counting)
        {
            return;
        }

        t_counting = true;
        try
        {
            Count(e.Exception.GetType());
        }
        catch (OutOfMemoryException)
        {
            // Losing one count beats failing the throw that is already under way.
        }
        finally
        {
            t_counting = false;
        }
    }

    private static Series SeriesOf(Type type)
    {
        lock (Lock)
        {
            foreach (Entry entry in s_entries)
            {
                if (ReferenceEquals(entry.Type, type))
                {
                    return entry.Series;
                }
            }

            Series? series = null;
            foreach (Series existing in s_series)
            {
                if (existing.Name == type.Name)
                {
                    series = existing;
                    break;
                }
            }

            if (series is null)
            {
                if (s_series.Length >= DotNetRuntimeCollector.MaxExceptionTypes)
                {
                    // Not remembered as an entry: the overflow is reached through the lock, and only past the limit.
                    return s_overflow ??= new Series(string.Empty, OverflowLabels);
                }

                series = new Series(type.Name, new LabelSetBuilder().Add("error_type"u8, type.Name).ToArray());
                Volatile.Write(ref s_series, Append(s_series, series));
            }

            Volatile.Write(ref s_entries, Append(s_entries, new Entry(type, series)));
            return series;
        }
    }

    private static T[] Append<T>(T[] items, T item)
    {
        var grown = new T[items.Length + 1];
        items.CopyTo(grown, 0);
        grown[^1] = item;
        return grown;
    }

    private sealed class Entry
    {
        public readonly Type Type;
        public readonly Series Series;

        public Entry(Type type, Series series)
        {
            Type = type;
            Series = series;
        }
    }

    private sealed class Series
    {
        public readonly string Name;
        public readonly byte[] Labels;
        public long Count;

        public Series(string name, byte[] labels)
        {
            Name = name;
            Labels = labels;
        }
    }
}
