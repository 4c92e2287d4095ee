using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MetricsGen.Shared;

namespace MetricsGen;

/// <summary>
/// The layout of the two text formats: Prometheus text 0.0.4 and OpenMetrics 1.0.0. They differ here only in what
/// OpenMetrics adds after a sample (exemplars) and after a series (<c>_created</c>); names and headers were chosen
/// per format when the descriptor was built.
/// </summary>
public ref partial struct ExpositionWriter
{
    // Longest exemplar: 128 characters of labels (each up to 4 UTF-8 bytes, doubled by escaping) plus syntax.
    private const int MaxExemplarLength = (Exemplar.MaxLabelCharacters * 8) + (3 * TextEscaping.MaxValueLength) + 16;

    // The loops of the two commonest families, kept apart from the other types' line writer: one line per series with
    // nothing to decide per line but an exemplar or a _created sample (OpenMetrics only). Profiles of a 10,000-series
    // scrape showed the general path's per-line arguments and checks, and calls the JIT no longer inlined into it.
    private void WriteCountersText(MetricDescriptor descriptor, ReadOnlySpan<Counter> all)
    {
        ReadOnlySpan<byte> name = descriptor.NameUtf8;
        if (Format == ExpositionFormat.PrometheusText)
        {
            foreach (Counter series in all)
            {
                WriteValueLine(name, series.LabelBytes, series.Value);
            }

            return;
        }

        bool created = _createdSamples;
        foreach (Counter series in all)
        {
            ExemplarCell? exemplar = series.ExemplarCell;
            if (exemplar is null && !created)
            {
                WriteValueLine(name, series.LabelBytes, series.Value);
            }
            else
            {
                WriteCounterText(descriptor, series.LabelBytes, series.Value, exemplar, series.CreatedTicks);
            }
        }
    }

    private void WriteGaugesText(MetricDescriptor descriptor, ReadOnlySpan<Gauge> all)
    {
        ReadOnlySpan<byte> name = descriptor.NameUtf8;
        foreach (Gauge series in all)
        {
            WriteValueLine(name, series.LabelBytes, series.Value);
        }
    }

    /// <summary><c>name{labels} value\n</c>, or <c>name value\n</c> without labels.</summary>
    private void WriteValueLine(ReadOnlySpan<byte> name, ReadOnlySpan<byte> labels, double value)
    {
        Span<byte> span = Ensure(name.Length + labels.Length + TextEscaping.MaxValueLength + 4);
        CopyShort(name, span);
        int at = name.Length;
        if (labels.Length > 0)
        {
            span[at] = (byte)'{';
            CopyShort(labels, span.Slice(at + 1));
            at += labels.Length + 1;
            span[at++] = (byte)'}';
        }

        span[at++] = (byte)' ';
        at += TextEscaping.FormatValue(value, span.Slice(at));
        span[at] = (byte)'\n';
        _position += at + 1;
    }

    /// <summary>
    /// Copies a name or a label set (usually 16 to 64 bytes) with two overlapping vector loads and stores, inline;
    /// a call to the general copy per name and per label set was a visible share of a large scrape.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyShort(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        int length = source.Length;
        if (Vector256.IsHardwareAccelerated && (uint)(length - 16) <= 48 && destination.Length >= length)
        {
            ref byte from = ref MemoryMarshal.GetReference(source);
            ref byte to = ref MemoryMarshal.GetReference(destination);
            if (length <= 32)
            {
                Vector128<byte> head = Vector128.LoadUnsafe(ref from);
                Vector128<byte> tail = Vector128.LoadUnsafe(ref from, (nuint)(length - 16));
                head.StoreUnsafe(ref to);
                tail.StoreUnsafe(ref to, (nuint)(length - 16));
            }
            else
            {
                Vector256<byte> head = Vector256.LoadUnsafe(ref from);
                Vector256<byte> tail = Vector256.LoadUnsafe(ref from, (nuint)(length - 32));
                head.StoreUnsafe(ref to);
                tail.StoreUnsafe(ref to, (nuint)(length - 32));
            }

            return;
        }

        source.CopyTo(destination);
    }

    private void WriteCounterText(MetricDescriptor descriptor, ReadOnlySpan<byte> labels, double value, ExemplarCell? exemplar, long createdTicks)
    {
        if (exemplar is not null && Format == ExpositionFormat.OpenMetrics && exemplar.TryRead(out ExemplarSnapshot snapshot))
        {
            WriteSampleLine(descriptor.NameUtf8, labels, default, value, in snapshot);
        }
        else
        {
            WriteSampleLine(descriptor.NameUtf8, labels, default, value);
        }

        WriteCreated(descriptor, labels, createdTicks);
    }

    private void WriteGaugeText(MetricDescriptor descriptor, ReadOnlySpan<byte> labels, double value) =>
        WriteValueLine(descriptor.NameUtf8, labels, value);

    private void WriteHistogramText(MetricDescriptor descriptor, Histogram series)
    {
        byte[][] bounds = descriptor.BucketLabels;
        ExemplarCell[]? exemplars = Format == ExpositionFormat.OpenMetrics ? series.Exemplars : null;
        long running = 0;
        for (int i = 0; i < bounds.Length; i++)
        {
            long cumulative = series.CumulativeCount(i, ref running);
            if (exemplars is not null && exemplars[i].TryRead(out ExemplarSnapshot snapshot))
            {
                WriteSampleLine(descriptor.BucketNameUtf8, series.LabelBytes, bounds[i], cumulative, in snapshot);
            }
            else
            {
                WriteSampleLine(descriptor.BucketNameUtf8, series.LabelBytes, bounds[i], cumulative);
            }
        }

        // _count is the +Inf bucket, so the two always agree.
        WriteSampleLine(descriptor.CountNameUtf8, series.LabelBytes, default, running);
        WriteSampleLine(descriptor.SumNameUtf8, series.LabelBytes, default, series.Sum);
        WriteCreated(descriptor, series.LabelBytes, series.CreatedTicks);
    }

    private void WriteSummaryText(MetricDescriptor descriptor, ReadOnlySpan<byte> labels, scoped ReadOnlySpan<double> quantiles, long count, double sum, long createdTicks)
    {
        byte[][] quantileLabels = descriptor.BucketLabels;
        for (int i = 0; i < quantiles.Length; i++)
        {
            WriteSampleLine(descriptor.NameUtf8, labels, quantileLabels[i], quantiles[i]);
        }

        WriteSampleLine(descriptor.SumNameUtf8, labels, default, sum);
        WriteSampleLine(descriptor.CountNameUtf8, labels, default, count);
        WriteCreated(descriptor, labels, createdTicks);
    }

    private void WriteStateSetText(MetricDescriptor descriptor, ReadOnlySpan<byte> labels, int current)
    {
        byte[][] states = descriptor.BucketLabels;
        for (int i = 0; i < states.Length; i++)
        {
            WriteSampleLine(descriptor.NameUtf8, labels, states[i], i == current ? 1 : 0);
        }
    }

    private void WriteInfoText(MetricDescriptor descriptor, ReadOnlySpan<byte> labels) =>
        WriteSampleLine(descriptor.NameUtf8, labels, default, 1);

    private void WriteCreated(MetricDescriptor descriptor, ReadOnlySpan<byte> labels, long createdTicks)
    {
        if (_createdSamples && createdTicks != 0)
        {
            double seconds = (createdTicks - DateTime.UnixEpoch.Ticks) / (double)TimeSpan.TicksPerSecond;
            WriteSampleLine(descriptor.CreatedNameUtf8, labels, default, seconds);
        }
    }

    private void WriteSampleLine(ReadOnlySpan<byte> name, ReadOnlySpan<byte> labels, ReadOnlySpan<byte> extraLabel, double value)
    {
        // name{labels,extra} value\n — reserve once for the whole line.
        Span<byte> span = Ensure(name.Length + labels.Length + extraLabel.Length + TextEscaping.MaxValueLength + 5);
        int at = WriteSampleStart(span, name, labels, extraLabel, value);
        span[at++] = (byte)'\n';
        _position += at;
    }

    private void WriteSampleLine(ReadOnlySpan<byte> name, ReadOnlySpan<byte> labels, ReadOnlySpan<byte> extraLabel, double value, in ExemplarSnapshot exemplar)
    {
        Span<byte> span = Ensure(name.Length + labels.Length + extraLabel.Length + TextEscaping.MaxValueLength + 5 + MaxExemplarLength);
        int at = WriteSampleStart(span, name, labels, extraLabel, value);

        // OpenMetrics: value # {name="value",…} exemplar-value timestamp-in-seconds
        " # {"u8.CopyTo(span.Slice(at));
        at += 4;
        at += WriteExemplarLabel(span.Slice(at), exemplar.Name1, exemplar.Value1);
        if (exemplar.Name2 is not null)
        {
            span[at++] = (byte)',';
            at += WriteExemplarLabel(span.Slice(at), exemplar.Name2, exemplar.Value2!);
        }

        span[at++] = (byte)'}';
        span[at++] = (byte)' ';
        at += TextEscaping.FormatValue(exemplar.Value, span.Slice(at));
        span[at++] = (byte)' ';
        at += TextEscaping.FormatValue(exemplar.UnixSeconds, span.Slice(at));
        span[at++] = (byte)'\n';
        _position += at;
    }

    private static int WriteSampleStart(Span<byte> span, ReadOnlySpan<byte> name, ReadOnlySpan<byte> labels, ReadOnlySpan<byte> extraLabel, double value)
    {
        CopyShort(name, span);
        int at = name.Length;
        if (labels.Length + extraLabel.Length > 0)
        {
            span[at++] = (byte)'{';
            CopyShort(labels, span.Slice(at));
            at += labels.Length;
            if (extraLabel.Length > 0)
            {
                if (labels.Length > 0)
                {
                    span[at++] = (byte)',';
                }

                CopyShort(extraLabel, span.Slice(at));
                at += extraLabel.Length;
            }

            span[at++] = (byte)'}';
        }

        span[at++] = (byte)' ';
        at += TextEscaping.FormatValue(value, span.Slice(at));
        return at;
    }

    private static int WriteExemplarLabel(Span<byte> span, string name, string value)
    {
        // Exemplar values are written as given (trace IDs need no escaping, so this allocates nothing then).
        int at = TextEscaping.EncodeUtf8(name, span);
        "=\""u8.CopyTo(span.Slice(at));
        at += 2;
        at += TextEscaping.EncodeUtf8(ExpositionRules.EscapeLabelValue(value), span.Slice(at));
        span[at++] = (byte)'"';
        return at;
    }
}
